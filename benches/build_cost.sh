#!/usr/bin/env bash
# Build cost of a change for sites that do not use it: two rapport binaries
# (OLD and NEW, e.g. built from a commit before math, diagrams and citations
# and from this one) build the same sites side by side, each run from an
# empty output folder (a cold build: nothing skipped as unchanged).
#   (a) a bundled site: by default the checkout OLD was built in (OLD's
#       bundled site, so it uses none of NEW's features), >= 10 runs each;
#   (b) the generated 10,000-page corpus (../shared/bench/gen_corpus.py,
#       generic layout), >= 5 runs each.
# One hyperfine run per site; its commands are OLD and NEW in blocks ordered
# A B B A A B B A, so drift on the shared machine hits both alike. Prints the
# median and min–max of each binary over all its blocks, and NEW/OLD.
# Usage: benches/build_cost.sh OLD_BINARY NEW_BINARY [BUNDLED_SITE_ROOT]
#   e.g. git worktree add /tmp/old a84709e && (cd /tmp/old && cargo build --release)
#        benches/build_cost.sh /tmp/old/target/release/rapport target/release/rapport
# Env: N (corpus pages, default 10000), BLOCKS (per binary, default 4),
#      RUNS_SITE (runs per block, default 3), RUNS_CORPUS (default 2),
#      CORPUS (corpus folder, default /tmp/rapport-corpus/N), BENCH_TMP (output, default /dev/shm).
# Needs: hyperfine, python3.
set -euo pipefail
OLD=$(realpath "${1:?usage: build_cost.sh OLD_BINARY NEW_BINARY [BUNDLED_SITE_ROOT]}")
NEW=$(realpath "${2:?usage: build_cost.sh OLD_BINARY NEW_BINARY [BUNDLED_SITE_ROOT]}")
SITE=$(realpath "${3:-$(dirname "$OLD")/../..}")
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${RAPPORT_SHARED:-$HERE/../../shared}
N=${N:-10000}
CORPUS=${CORPUS:-/tmp/rapport-corpus/$N}
BLOCKS=${BLOCKS:-4}
# Output on tmpfs when there is one: on ext4, creating thousands of files in a folder just
# deleted cost more than the build and varied by a factor of two from run to run.
OUT=$(mktemp -d -p "${BENCH_TMP:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)}")
trap 'rm -rf "$OUT"' EXIT
# Private copies, so rebuilding either crate during a run cannot change what is measured.
cp "$OLD" "$OUT/old" && cp "$NEW" "$OUT/new"
[ -f "$SITE/site.toml" ] || { echo "no site.toml in $SITE" >&2; exit 2; }
python3 "$SHARED/bench/gen_corpus.py" "$N" "$CORPUS" --layouts generic,hugo >/dev/null

# measure LABEL ROOT RUNS: one hyperfine run of OLD and NEW building ROOT, blocks A B B A ...
measure() {
  local label=$1 root=$2 runs=$3 args=() which
  for b in $(seq 0 $((2 * BLOCKS - 1))); do
    # Pairs alternate order: (old new) (new old) (old new) ...
    if (( (b / 2 + b) % 2 == 0 )); then which=old; else which=new; fi
    args+=(-n "$which#$b" --prepare "rm -rf $OUT/$label-$which" "$OUT/$which --quiet --root $root build --output $OUT/$label-$which")
  done
  echo "=== $label: $root ($(find "$root/content" -name '*.md' | wc -l) markdown files), $((BLOCKS * runs)) runs each"
  for which in old new; do  # warms the file cache
    "$OUT/$which" --quiet --root "$root" build --output "$OUT/$label-$which"
  done
  hyperfine -N --style none --runs "$runs" --export-json "$OUT/$label.json" "${args[@]}" >/dev/null
  python3 - "$OUT/$label.json" <<'PY'
import json, statistics, sys
times = {}
for r in json.load(open(sys.argv[1]))["results"]:
    times.setdefault(r["command"].split("#")[0], []).extend(r["times"])
for name in ("old", "new"):
    ts = [t * 1000 for t in times[name]]
    print(f"  {name}  median {statistics.median(ts):8.1f} ms   min–max {min(ts):.1f}–{max(ts):.1f} ms   ({len(ts)} runs)")
ratio = statistics.median(times["new"]) / statistics.median(times["old"])
print(f"  new/old median: {ratio:.3f} ({(ratio - 1) * 100:+.1f}%)")
PY
}

echo "old: $OLD"; echo "new: $NEW"
measure bundled "$SITE" "${RUNS_SITE:-3}"
measure corpus "$CORPUS/generic" "${RUNS_CORPUS:-2}"
