#!/usr/bin/env bash
# Search benchmark: rapport's index and client against Pagefind indexing the same built
# pages, on the generated corpus (../shared/bench/gen_corpus.py), side by side in one run.
# Reports, per corpus size:
#   - index build time (hyperfine, median and min-max): the whole `rapport build` (every
#     page, feed and the search index, fresh output folder) against `pagefind --site`
#     alone on that output; and rapport's search stage alone, in memory
#     (benches/search_index.rs: wall and CPU time, as the machine may be shared), and an
#     update of the live index (search::live) after one page gains a word;
#   - total index bytes (rapport: search/ without its HTML page; Pagefind: pagefind/);
#   - bytes a browser fetches for a cold one-word and two-word query (fresh browser
#     context, top 10 results with excerpts; everything under search/ or pagefind/,
#     the client code included);
#   - query latency in headless Chromium: cold (module, index and fragments all fetched),
#     warm (client loaded after earlier queries; this query's own files fetched as needed)
#     and repeat (the same query again: everything cached, computation only);
#   - the page weight of the search code (search.js, the theme's search-ui.js; Pagefind's
#     pagefind.js, its UI and WebAssembly), raw and gzip;
#   - relevance on real corpora (the bundled site, zola-docs, obsidian-tasks-docs): the
#     query sets in benches/search_queries/ (pages judged by reading them), hits@3 and
#     MRR@10 for rapport and Pagefind over the same built pages (RELEVANCE=0 skips it).
# Usage: benches/search.sh [N ...]  (default 1000 10000; `none` for relevance only)
# Needs: hyperfine, chromium, node >= 20 (it serves the pages too), python3; Pagefind from `pagefind` on PATH or
# installed here with npm (npm i pagefind) into $TOOLS.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${RAPPORT_SHARED:-../shared}
TOOLS=${TOOLS:-/tmp/rapport-bench-tools}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
BIN=$OUT/rapport
cp "$CARGO_TARGET_DIR/release/rapport" "$BIN"
PAGEFIND=$(command -v pagefind || true)
if [ -z "$PAGEFIND" ]; then
  [ -x "$TOOLS/node_modules/.bin/pagefind" ] || npm i --silent --prefix "$TOOLS" pagefind@1.6 >/dev/null
  PAGEFIND=$TOOLS/node_modules/.bin/pagefind
fi
echo "rapport $(git rev-parse --short HEAD), $("$PAGEFIND" --version), $(chromium --version 2>/dev/null | head -1)"

ONE=(rupture boundary attachment supervision mindfulness countertransference grief shame dissociation containment)
TWO=("therapeutic alliance" "rupture repair" "attachment trauma" "clinical supervision" "shame avoidance"
     "grief loss" "exposure anxiety" "session boundary" "mindfulness acceptance" "client consent")


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
        print(f"  {engine:<9}{label}: latency cold {stat([r['ms'] for r in cold], 'ms')}")
        print(f"  {engine:<9}{label}: latency warm {stat([r['ms'] for r in warm], 'ms')}"
              f" (bytes {stat([r['bytes'] for r in warm], 'kB', 1/1000)})")
        print(f"  {engine:<9}{label}: latency repeat {stat([r['repeat_ms'] for r in warm], 'ms')}")
PY
}

hyper() {
  python3 - "$1" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"  {r['command']:<34} median {r['median']:7.2f} s   min-max {r['min']:.2f}-{r['max']:.2f} s")
PY
}

# Raw and gzip bytes of each file given.
weigh() {
  for f in "$@"; do
    [ -f "$f" ] && printf '    %-28s %7d B raw %7d B gzip\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
  done
  return 0
}

# hits@3 and MRR@10 of each engine's warm-run rows against a query set.
relevance() {
  python3 - "$@" <<'PY'
import json, re, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
judged = {}
for line in open(sys.argv[2], encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        q, urls = line.rstrip("\n").split("\t")
        judged[q] = set(urls.split())
def path(u):
    u = re.sub(r"#.*$", "", u)
    u = re.sub(r"index\.html$", "", u)
    return u if u.endswith("/") else u + "/"
for engine in ("rapport", "pagefind"):
    hits = rr = 0
    misses = []
    for q, good in judged.items():
        got = [path(u) for r in rows if r["engine"] == engine and r["query"] == q for u in r.get("urls", [])]
        rank = next((i + 1 for i, u in enumerate(got[:10]) if u in good), None)
        hits += rank is not None and rank <= 3
        rr += 1 / rank if rank else 0
        if not rank or rank > 3:
            misses.append(f"{q!r}:{rank or '-'}")
    n = len(judged)
    print(f"  {engine:<9}hits@3 {hits / n:.2f}  MRR@10 {rr / n:.2f}  ({n} queries; outside the top 3: {', '.join(misses) or 'none'})")
PY
}

# A corpus as a site: its content/ copied, with the site.toml the corpus tests use.
corpus_site() {
  local name=$1 dir=$2
  rm -rf "$dir" && mkdir -p "$dir"
  case $name in
    bundled)
      cp -r content site.toml references.bib "$dir/" && { [ ! -d static ] || cp -r static "$dir/"; } ;;
    zola-docs)
      cp -r "$SHARED/corpora/zola-docs/docs/content" "$dir/content"
      printf 'title = "Zola"\nbase_url = "/"\n' > "$dir/site.toml"
      mkdir -p "$dir/content/themes" "$dir/templates"
      printf '+++\ntitle = "Themes"\n+++\n' > "$dir/content/themes/_index.md"
      echo '{% extends "section.html" %}' > "$dir/templates/documentation.html"
      # The docs site's own shortcodes (Zola's docs/templates/shortcodes/), as stand-ins,
      # as tests/it/corpora.rs supplies them: an unknown shortcode is an error.
      mkdir -p "$dir/templates/shortcodes"
      for name in resize_image resize_image_relative high_res_image; do
        echo "<img class=\"{{ op | default(value='x') }}\" src=\"/{{ path | safe }}\" alt=\"\">" > "$dir/templates/shortcodes/$name.html"
      done
      echo '<div class="gallery">{{ page.title }}</div>' > "$dir/templates/shortcodes/gallery.html" ;;
    obsidian-tasks-docs)
      cp -r "$SHARED/corpora/obsidian-tasks-docs/docs" "$dir/content"
      printf 'title = "Tasks"\nbase_url = "/"\n' > "$dir/site.toml"
      mkdir -p "$dir/content/.obsidian/plugins/templater-obsidian"
      echo '{"data_version": 2, "templates_folder": "_meta/templates"}' > "$dir/content/.obsidian/plugins/templater-obsidian/data.json" ;;
  esac
}

SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
[ "${SIZES[*]}" != none ] || SIZES=()
for n in "${SIZES[@]}"; do
  C=${CORPUS_ROOT:-/tmp/rapport-corpus}/$n
  python3 "$SHARED/bench/gen_corpus.py" "$n" "$C" --layouts generic >/dev/null
  S=$OUT/site-$n
  echo "=== $n pages"
  hyperfine --style none --warmup 1 --runs "${RUNS:-3}" --export-json "$OUT/h.json" \
    -n "rapport build (all pages + index)" --prepare "rm -rf $S" "$BIN --root $C/generic build --output $S" \
    -n "pagefind --site (index only)" --prepare "rm -rf $S/pagefind" "$PAGEFIND --site $S" >/dev/null
  hyper "$OUT/h.json"
  cargo bench --quiet --bench search_index -- "$C/generic" "${RUNS:-3}" 2>/dev/null | tail -2 | sed 's/^/  /'
  r_bytes=$(( $(du -sb "$S/search" | cut -f1) - $(stat -c %s "$S/search/index.html") ))
  echo "  index bytes: rapport $r_bytes in $(find "$S/search" -type f | wc -l) files;" \
       "pagefind $(du -sb "$S/pagefind" | cut -f1) in $(find "$S/pagefind" -type f | wc -l) files"
  cp benches/search_bench.html "$S/bench.html"
  : > "$OUT/rows.jsonl"
  for engine in rapport pagefind; do
    node --experimental-websocket benches/search_browser.mjs "$S" "$engine" "${ONE[@]}" "${TWO[@]}" >> "$OUT/rows.jsonl"
  done
  summarise "$OUT/rows.jsonl" "$(IFS='|'; echo "${ONE[*]}")" "$(IFS='|'; echo "${TWO[*]}")"
  if [ -n "${KEEP_ROWS:-}" ]; then cp "$OUT/rows.jsonl" "$KEEP_ROWS-$n.jsonl"; fi
  echo "  page weight of the search code:"
  weigh "$S/search/search.js" "$S/search-ui.js" "$S/pagefind/pagefind.js" "$S/pagefind/pagefind-ui.js" \
    "$(ls "$S"/pagefind/wasm.*.pagefind 2>/dev/null | head -1)"
done

[ "${RELEVANCE:-1}" = 1 ] || exit 0
for corpus in bundled zola-docs obsidian-tasks-docs; do
  echo "=== relevance: $corpus (benches/search_queries/$corpus.tsv)"
  C=$OUT/corpus-$corpus
  corpus_site "$corpus" "$C"
  "$BIN" --root "$C" build --output "$C/public" --quiet || { echo "  rapport failed to build $corpus"; exit 1; }
  "$PAGEFIND" --site "$C/public" >/dev/null
  cp benches/search_bench.html "$C/public/bench.html"
  mapfile -t QS < <(grep -v '^#' "benches/search_queries/$corpus.tsv" | cut -f1)
  : > "$OUT/rel.jsonl"
  for engine in rapport pagefind; do
    WARM_ONLY=1 node --experimental-websocket benches/search_browser.mjs "$C/public" "$engine" "${QS[@]}" >> "$OUT/rel.jsonl"
  done
  relevance "$OUT/rel.jsonl" "benches/search_queries/$corpus.tsv"
done
