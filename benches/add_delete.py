#!/usr/bin/env python3
"""Time from writing a new page to a dev server serving it, and from deleting it
to a 404, on a generated corpus (../shared/bench/gen_corpus.py), for rapport or a
peer; prints the medians with min-max and the server's peak memory.
Usage: benches/add_delete.py SITE_ROOT 'COMMAND with {root} and {port}' [ROUNDS]
(the site is modified: use a copy). rapport: 'target/release/rapport --root {root}
serve --port {port}'; Hugo: 'hugo server -s {root} --port {port} --bind 127.0.0.1'."""
import os, shlex, statistics, subprocess, sys, time, urllib.request

root, command = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
port = 18999
cmd = shlex.split(command.format(root=root, port=port))
server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open("/tmp/add_delete.log", "w"))


def get(path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
            return r.status, r.read().decode()
    except Exception as e:  # a 404 arrives as an HTTPError
        return getattr(e, "code", 0), ""


def peak_mib(pid):
    """VmHWM of the server and its children (Hugo forks nothing; rapport neither)."""
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


TIMEOUT_S = 10.0


def timed(action, done):
    """Milliseconds from `action` until `done()`; a wait past TIMEOUT_S counts as a timeout."""
    start = time.time()
    action()
    while not done():
        if time.time() - start > TIMEOUT_S:
            return float("inf")
        time.sleep(0.002)
    return (time.time() - start) * 1000


def summary(name, xs):
    timeouts = sum(x == float("inf") for x in xs)
    return (f"{name} ms median {statistics.median(xs):.0f} (min {min(xs):.0f}, max {max(xs):.0f}) of {len(xs)}"
            f", {timeouts} past {TIMEOUT_S:.0f} s")


try:
    t0 = time.time()
    while get("/")[0] != 200:
        time.sleep(0.05)
    print(f"startup {time.time() - t0:.2f} s")
    content = os.path.join(root, "content")
    section = sorted(d for d in os.listdir(content) if os.path.isdir(os.path.join(content, d)))[0]
    adds, deletes = [], []
    for i in range(rounds):
        name = f"probe-page-{i}"
        path = os.path.join(content, section, name + ".md")
        text = f'+++\ntitle = "Probe {i}"\n+++\nProbe body {i}.\n'
        adds.append(timed(lambda: open(path, "w").write(text),
                          lambda: f"Probe body {i}." in get(f"/{section}/{name}/")[1]))
        time.sleep(1.5)
        deletes.append(timed(lambda: os.remove(path), lambda: get(f"/{section}/{name}/")[0] == 404))
        time.sleep(1.5)
    print(summary("add", adds))
    print(summary("delete", deletes))
    print(f"peak memory {peak_mib(server.pid):.0f} MiB")
finally:
    server.kill()
