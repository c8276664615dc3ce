#!/usr/bin/env bash
# Full-build benchmark: rapport against Hugo on the generated corpus (../shared/bench).
# Cold builds side by side, alternating run by run (benches/alternate.py: on this machine's
# file system a build right after another's `rm -rf` pays more, so blocks of runs would favour
# whoever ran after a pause): each run starts from an empty output folder (`rm -rf`, untimed)
# and rapport skips its build cache, so nothing is skipped as unchanged. Then, in one hyperfine
# run, the unchanged rebuild answered by the build cache, the same with --no-cache (every page
# rendered again, no file rewritten), and warm builds after editing one page's body and one
# page's title (each run makes a new edit first). Prints median and min–max per command, then
# peak memory.
# File systems: on ext4 without a journal (this machine's disk: /sys/fs/ext4/vda/journal_task
# reads <none>), each new inode is found by stepping over every inode freed in the last half
# minute (`recently_deleted` in the kernel's ext4/ialloc.c), so a build right after `rm -rf`
# of its last output pays about (files deleted x files created): a few times more for a
# site of 4,790 files than for one of 1,059, and it shows as system time (`perf record`:
# recently_deleted, find_inode_bit). A journaled ext4,
# mkfs.ext4's default, never does this. To measure on one as well:
#   truncate -s 8G /tmp/j.img && mkfs.ext4 -q -F /tmp/j.img && mkdir -p /mnt/j &&
#   mount -o loop /tmp/j.img /mnt/j && BENCH_DIR=/mnt/j benches/build.sh
# Usage: benches/build.sh [N ...]  (default 1000 10000). Needs: apt-get install -y hugo hyperfine
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${RAPPORT_SHARED:-../shared}
cargo build --release --quiet
# Outputs go under BENCH_DIR (default /tmp): see the header.
OUT=$(mktemp -d -p "${BENCH_DIR:-/tmp}")
trap 'rm -rf "$OUT"' EXIT
# A private copy, so rebuilding the crate during a long run cannot change what is measured.
BIN=$OUT/rapport
cp target/release/rapport "$BIN"
# One edit per run: a line added to a page's body, or its title changed (TOML front matter).
cat >"$OUT/edit" <<'SH'
#!/bin/sh
stamp=$(date +%s%N)
case "$1" in
  body) printf '\nA line added at %s.\n' "$stamp" >>"$2" ;;
  title) sed -i "0,/^title = /s/^title = .*/title = \"Edited $stamp\"/" "$2" ;;
esac
SH
chmod +x "$OUT/edit"
for n in "${@:-1000}" ; do
  C=${CORPUS_ROOT:-/tmp/rapport-corpus}/$n
  python3 "$SHARED/bench/gen_corpus.py" "$n" "$C" --layouts generic,hugo >/dev/null
  PAGE=$(find "$C/generic/content" -name '*.md' ! -name '_index.md' | sort | sed -n "$((n / 2))p")
  echo "=== $n pages ($(find "$C/generic/content" -name '*.md' | wc -l) markdown files)"
  python3 benches/alternate.py "${RUNS:-5}" \
    hugo "rm -rf $OUT/h" "hugo --quiet -s $C/hugo -d $OUT/h" \
    "rapport (fresh output)" "rm -rf $OUT/r-$n" "$BIN --root $C/generic build --no-cache --output $OUT/r-$n"
  hyperfine --style none --ignore-failure --warmup 1 --runs "${RUNS:-5}" --export-json "$OUT/h.json" \
    -n "rapport (unchanged, cache)" --prepare "true" "$BIN --root $C/generic build --output $OUT/r2-$n" \
    -n "rapport (unchanged, --no-cache)" --prepare "true" "$BIN --root $C/generic build --no-cache --output $OUT/r2-$n" \
    -n "rapport (body edit, warm)" --prepare "$OUT/edit body $PAGE" "$BIN --root $C/generic build --output $OUT/r2-$n" \
    -n "rapport (title edit, warm)" --prepare "$OUT/edit title $PAGE" "$BIN --root $C/generic build --output $OUT/r2-$n" >/dev/null
  python3 - "$OUT/h.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    failed = sum(1 for c in r.get("exit_codes", []) if c)
    note = f"   ({failed} of {len(r['exit_codes'])} runs FAILED)" if failed else ""
    print(f"  {r['command']:<32} median {r['median']*1000:8.0f} ms   min-max {r['min']*1000:.0f}-{r['max']*1000:.0f} ms{note}")
PY
  for cmd in "$BIN --root $C/generic build --no-cache --output $OUT/m1" "hugo --quiet -s $C/hugo -d $OUT/m2"; do
    rm -rf "$OUT/m1" "$OUT/m2"
    /usr/bin/time -f "  peak %M KiB  ${cmd%% *}" sh -c "$cmd >/dev/null 2>&1"
  done
done
