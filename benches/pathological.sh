#!/usr/bin/env bash
# Times every pathological input (tests/it/adversarial/pathological.rs) in a
# release build, RUNS times (default 5), and prints median and min–max per
# input. Each time is a whole `rapport build` of a small site holding the
# input as one page. The test itself asserts each input's outcome; the bound
# (2 s per input, any run) is checked here, not in a test: past it the
# script exits 1.
# Usage: benches/pathological.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
for _ in $(seq "${RUNS:-5}"); do
  cargo test --release --quiet --test it adversarial::pathological -- --nocapture 2>/dev/null \
    | grep -E ' ms  exit ' >>"$LOG"
done
python3 - "$LOG" <<'PY'
import re, statistics, sys
times = {}
for line in open(sys.argv[1]):
    m = re.match(r"(.+?)\s+([\d.]+) ms  exit (\d)", line)
    times.setdefault(m[1], []).append(float(m[2]))
rows = sorted(times.items(), key=lambda kv: -statistics.median(kv[1]))
print(f"{'input':<28} {'median':>9}  min–max (ms), {len(rows[0][1])} runs")
for name, ts in rows:
    print(f"{name:<28} {statistics.median(ts):>9.1f}  {min(ts):.1f}–{max(ts):.1f}")
worst = max(max(ts) for ts in times.values())
print(f"slowest single run: {worst:.1f} ms ({'within' if worst < 2000 else 'OVER'} the 2 s bound)")
sys.exit(0 if worst < 2000 else 1)
PY
