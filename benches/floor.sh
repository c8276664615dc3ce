#!/usr/bin/env bash
# The file-system floor of a cold build, side by side with Hugo in one hyperfine run, on the
# generated corpus (../shared/bench): Hugo's whole build, rapport's whole build, and a program
# that does nothing but write a copy of each one's output folder (benches/write_floor.rs: every
# file's bytes already in memory, written in parallel as rapport's stage writes them). Each run
# writes into a new folder beside the others, after `rm -rf` of its last one, like
# benches/build.sh. What the copies cost is what creating those files costs on this machine,
# whatever renders them.
# Usage: benches/floor.sh [N ...]  (default 1000 10000). Needs: apt-get install -y hugo hyperfine
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${RAPPORT_SHARED:-../shared}
cargo build --release --quiet
FLOOR=$(cargo bench --quiet --no-run --bench write_floor --message-format=json |
  python3 -c 'import json,sys; print(next(m["executable"] for m in map(json.loads, sys.stdin) if m.get("target", {}).get("name") == "write_floor" and m.get("executable")))')
OUT=$(mktemp -d)
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
  hyperfine --style none --warmup 1 --runs "${RUNS:-5}" --export-json "$OUT/h.json" \
    -n hugo --prepare "rm -rf $OUT/h" "hugo --quiet -s $C/hugo -d $OUT/h" \
    -n "rapport (fresh output)" --prepare "rm -rf $OUT/r" "$BIN --root $C/generic build --no-cache --output $OUT/r" \
    -n "only writing Hugo's files" --prepare "rm -rf $OUT/fh" "$OUT/floor $OUT/hugo-ref $OUT/fh" \
    -n "only writing rapport's files" --prepare "rm -rf $OUT/fr" "$OUT/floor $OUT/rapport-ref $OUT/fr" >/dev/null
  python3 - "$OUT/h.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
hugo = results[0]["median"]
for r in results:
    print(f"  {r['command']:<30} median {r['median']*1000:8.0f} ms   min-max {r['min']*1000:.0f}-{r['max']*1000:.0f} ms"
          f"   {r['median']/hugo:.2f}x Hugo")
PY
done
