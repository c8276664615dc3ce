#!/usr/bin/env bash
# Edit-to-served latency of `rapport serve` against `hugo server`, side by side on the
# generated corpus (wraps ../shared/bench/run_incremental.py): body edits, title edits
# (until the section listing shows the new title) and a page-template edit.
# Usage: benches/serve.sh [N ...]  (default 1000 10000). Needs: apt-get install -y hugo
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${RAPPORT_SHARED:-../shared}
cargo build --release --quiet
BIN=$(mktemp -d)/rapport
cp target/release/rapport "$BIN"
THEME=$PWD/themes/rapport/templates/base.html
EDITS=${EDITS:-20}
for n in "${@:-1000 10000}"; do
  for size in $n; do
    echo "=== $size pages"
    # The template edit needs a site-level template: copy the theme base.html (every page extends
    # it, so an edit re-renders every page: the worst case) into the site first.
    python3 "$SHARED/bench/run_incremental.py" --peer custom --name rapport --n "$size" \
      --serve-cmd "sh -c 'mkdir -p {src}/templates && cp $THEME {src}/templates/ && exec $BIN --root {src} serve --port {port}'" \
      --layout generic --check http --poll 0.002 --settle 0.3 \
      --edits "$EDITS" --title-edits "$EDITS" --template-edits 3 --template templates/base.html
    python3 "$SHARED/bench/run_incremental.py" --peer hugo --n "$size" --poll 0.01 --settle 1.0 \
      --edits "$EDITS" --title-edits "$EDITS" --template-edits 3
  done
done
