#!/usr/bin/env python3
"""Times commands side by side, alternating them run by run.

hyperfine times all runs of one command before the next command starts. On
a file system whose cost depends on its recent history (ext4 skips inodes
freed in the last minute or so when it allocates a new one, so a build
right after another build's `rm -rf` pays more), that order penalises
whichever command comes after the most deletions. Here every round runs
each command once, in A B C, then C B A order, so each sees the same
history on average. Each run's prepare command (say `rm -rf OUT`) is not
timed.

Usage: alternate.py RUNS NAME PREPARE COMMAND [NAME PREPARE COMMAND ...]
Prints median and min-max wall time per command, and each median as a
multiple of the first command's. One warm-up run of each is not counted.
Exits 1 when a run fails.
"""

import statistics
import subprocess
import sys
import time


def run(prepare, command):
    subprocess.run(prepare, shell=True, check=True)
    start = time.perf_counter()
    done = subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {command}\n{done.stderr.decode(errors='replace')}")
    return took


def main():
    runs = int(sys.argv[1])
    rest = sys.argv[2:]
    if runs < 1 or not rest or len(rest) % 3:
        sys.exit(__doc__)
    commands = [tuple(rest[i:i + 3]) for i in range(0, len(rest), 3)]
    times = {name: [] for name, _, _ in commands}
    for _, prepare, command in commands:
        run(prepare, command)
    for round_ in range(runs):
        order = commands if round_ % 2 == 0 else commands[::-1]
        for name, prepare, command in order:
            times[name].append(run(prepare, command))
    first = statistics.median(times[commands[0][0]])
    for name, _, _ in commands:
        t = times[name]
        median = statistics.median(t)
        print(f"  {name:<32} median {median * 1000:8.0f} ms   min-max {min(t) * 1000:.0f}-{max(t) * 1000:.0f} ms"
              f"   {median / first:.2f}x {commands[0][0]}")


if __name__ == "__main__":
    main()
