#!/usr/bin/env bash
# Search benchmark: rapport's index and client against Pagefind indexing the same built
# pages, on the generated corpus (../shared/bench/gen_corpus.py), side by side in one run.
# Reports, per corpus size:
#   - index build time (hyperfine, median and min-max): the whole `rapport build` (every
#     page, feed and the search index, fresh output folder) against `pagefind --site`
#     alone on that output;
#   - total index bytes (rapport: search/ without its HTML page; Pagefind: pagefind/);
#   - bytes a browser fetches for a cold one-word and two-word query (fresh browser
#     context, top 10 results with excerpts; everything under search/ or pagefind/,
#     the client code included);
#   - query latency in headless Chromium: cold (module, index and fragments all fetched)
#     and warm (client loaded, each query's own files fetched as needed).
# Usage: benches/search.sh [N ...]  (default 1000 10000)
# Needs: hyperfine, chromium, node >= 20, python3; Pagefind from `pagefind` on PATH or
# installed here with npm (npm i pagefind) into $TOOLS.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${RAPPORT_SHARED:-../shared}
TOOLS=${TOOLS:-/tmp/rapport-bench-tools}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
OUT=$(mktemp -d)
SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$OUT"; }
trap cleanup EXIT
BIN=$OUT/rapport
cp "$CARGO_TARGET_DIR/release/rapport" "$BIN"
PAGEFIND=$(command -v pagefind || true)
if [ -z "$PAGEFIND" ]; then
  [ -x "$TOOLS/node_modules/.bin/pagefind" ] || npm i --silent --prefix "$TOOLS" pagefind@1 >/dev/null
  PAGEFIND=$TOOLS/node_modules/.bin/pagefind
fi
echo "rapport $(git rev-parse --short HEAD), $("$PAGEFIND" --version), $(chromium --version 2>/dev/null | head -1)"

ONE=(rupture boundary attachment supervision mindfulness countertransference grief shame dissociation containment)
TWO=("therapeutic alliance" "rupture repair" "attachment trauma" "clinical supervision" "shame avoidance"
     "grief loss" "exposure anxiety" "session boundary" "mindfulness acceptance" "client consent")

write_bench_page() {
  cat > "$1/bench.html" <<'HTML'
<!doctype html><meta charset="utf-8"><title>search bench</title>
<script type="module">
performance.setResourceTimingBufferSize(100000);
const p = new URLSearchParams(location.search);
const engine = p.get("engine");
const dir = engine === "rapport" ? "/search/" : "/pagefind/";
async function load() {
  if (engine === "rapport") {
    const m = await import("/search/search.js");
    return (q) => m.search(q, { limit: 10 });
  }
  const pf = await import("/pagefind/pagefind.js");
  await pf.options({});
  await pf.init();
  return async (q) => Promise.all((await pf.search(q)).results.slice(0, 10).map((r) => r.data()));
}
const fetched = () => performance.getEntriesByType("resource").filter((e) => new URL(e.name).pathname.startsWith(dir));
const bytes = () => fetched().reduce((a, e) => a + e.encodedBodySize, 0);
if (p.has("q")) {
  const t0 = performance.now();
  const run = await load();
  const r = await run(p.get("q"));
  window.__bench = { ms: performance.now() - t0, bytes: bytes(), files: fetched().length, results: r.length };
} else {
  const run = await load();
  await run("warmup");
  const out = [];
  for (const q of JSON.parse(p.get("warm"))) {
    const before = bytes(), t0 = performance.now();
    const r = await run(q);
    out.push({ query: q, ms: performance.now() - t0, bytes: bytes() - before, results: r.length });
  }
  window.__bench = out;
}
</script>
HTML
}

summarise() {
  python3 - "$@" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
one, two = set(sys.argv[2].split("|")), set(sys.argv[3].split("|"))
def stat(xs, unit, scale=1):
    xs = sorted(x * scale for x in xs)
    return f"median {statistics.median(xs):8.1f} {unit}  min-max {xs[0]:.1f}-{xs[-1]:.1f}"
for engine in ("rapport", "pagefind"):
    rs = [r for r in rows if r["engine"] == engine]
    if not rs:
        continue
    for label, qs in (("one-word", one), ("two-word", two)):
        cold = [r for r in rs if r["mode"] == "cold" and r["query"] in qs]
        warm = [r for r in rs if r["mode"] == "warm" and r["query"] in qs]
        print(f"  {engine:<9}{label}: cold bytes {stat([r['bytes'] for r in cold], 'kB', 1/1000)}"
              f" (results: {min(r['results'] for r in cold)}-{max(r['results'] for r in cold)})")
        print(f"  {engine:<9}{label}: cold latency {stat([r['ms'] for r in cold], 'ms')};"
              f" warm latency {stat([r['ms'] for r in warm], 'ms')}")
PY
}

hyper() {
  python3 - "$1" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"  {r['command']:<34} median {r['median']:7.2f} s   min-max {r['min']:.2f}-{r['max']:.2f} s")
PY
}

SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
for n in "${SIZES[@]}"; do
  C=${CORPUS_ROOT:-/tmp/rapport-corpus}/$n
  python3 "$SHARED/bench/gen_corpus.py" "$n" "$C" --layouts generic >/dev/null
  S=$OUT/site-$n
  echo "=== $n pages"
  hyperfine --style none --warmup 1 --runs "${RUNS:-3}" --export-json "$OUT/h.json" \
    -n "rapport build (all pages + index)" --prepare "rm -rf $S" "$BIN --root $C/generic build --output $S" \
    -n "pagefind --site (index only)" --prepare "rm -rf $S/pagefind" "$PAGEFIND --site $S" >/dev/null
  hyper "$OUT/h.json"
  r_bytes=$(( $(du -sb "$S/search" | cut -f1) - $(stat -c %s "$S/search/index.html") ))
  echo "  index bytes: rapport $r_bytes in $(find "$S/search" -type f | wc -l) files;" \
       "pagefind $(du -sb "$S/pagefind" | cut -f1) in $(find "$S/pagefind" -type f | wc -l) files"
  write_bench_page "$S"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  (cd "$S" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
  SERVER=$!
  sleep 1
  : > "$OUT/rows.jsonl"
  for engine in rapport pagefind; do
    node --experimental-websocket benches/search_browser.mjs "http://127.0.0.1:$PORT" "$engine" \
      "${ONE[@]}" "${TWO[@]}" >> "$OUT/rows.jsonl" 2>/dev/null
  done
  kill "$SERVER"; SERVER=
  summarise "$OUT/rows.jsonl" "$(IFS='|'; echo "${ONE[*]}")" "$(IFS='|'; echo "${TWO[*]}")"
  if [ -n "${KEEP_ROWS:-}" ]; then cp "$OUT/rows.jsonl" "$KEEP_ROWS-$n.jsonl"; fi
done
