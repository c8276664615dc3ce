#!/usr/bin/env bash
# The file-system floor of a cold build, side by side with Hugo on the generated corpus
# (../shared/bench), alternating run by run (benches/alternate.py): Hugo's whole build,
# rapport's whole build, and a program that does nothing but write a copy of each one's output
# folder (benches/write_floor.rs: every file's bytes already in memory, written in parallel as
# rapport's stage writes them). Each run writes into a new folder after `rm -rf` of its last
# one (untimed), like benches/build.sh. What the copies cost is what creating those files
# costs on this machine, whatever renders them. BENCH_DIR puts the outputs on another file
# system (benches/build.sh says why a journaled ext4 image is worth measuring too).
# Usage: benches/floor.sh [N ...]  (default 1000 10000). Needs: apt-get install -y hugo
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${RAPPORT_SHARED:-../shared}
cargo build --release --quiet
FLOOR=$(cargo bench --quiet --no-run --bench write_floor --message-format=json |
  python3 -c 'import json,sys; print([m["executable"] for m in map(json.loads, sys.stdin) if m.get("target", {}).get("name") == "write_floor" and m.get("executable")][-1])')
# Outputs go under BENCH_DIR (default /tmp): see the header.
OUT=$(mktemp -d -p "${BENCH_DIR:-/tmp}")
trap 'rm -rf "$OUT"' EXIT
BIN=$OUT/rapport
cp target/release/rapport "$BIN"
cp "$FLOOR" "$OUT/floor"
for n in "${@:-1000}" ; do
  C=${CORPUS_ROOT:-/tmp/rapport-corpus}/$n
  python3 "$SHARED/bench/gen_corpus.py" "$n" "$C" --layouts generic,hugo >/dev/null
  rm -rf "$OUT/hugo-ref" "$OUT/rapport-ref"
  hugo --quiet -s "$C/hugo" -d "$OUT/hugo-ref"
  "$BIN" --quiet --root "$C/generic" build --no-cache --output "$OUT/rapport-ref"
  echo "=== $n pages: Hugo writes $(find "$OUT/hugo-ref" -type f | wc -l) files ($(du -sm "$OUT/hugo-ref" | cut -f1) MB)," \
    "rapport $(find "$OUT/rapport-ref" -type f | wc -l) ($(du -sm "$OUT/rapport-ref" | cut -f1) MB)"
  python3 benches/alternate.py "${RUNS:-5}" \
    hugo "rm -rf $OUT/h" "hugo --quiet -s $C/hugo -d $OUT/h" \
    "rapport (fresh output)" "rm -rf $OUT/r" "$BIN --root $C/generic build --no-cache --output $OUT/r" \
    "only writing Hugo's files" "rm -rf $OUT/fh" "$OUT/floor $OUT/hugo-ref $OUT/fh" \
    "only writing rapport's files" "rm -rf $OUT/fr" "$OUT/floor $OUT/rapport-ref $OUT/fr"
done
