#!/usr/bin/env bash
# Packaging check (issue 21): on a clean clone of HEAD, `cargo package --list`,
# `cargo package` (which builds the packaged crate on its own) and
# `cargo install --path .`, then the installed binary runs `init` and `build`
# in an empty folder. Prints the file list, the .crate size and the installed
# binary's size. Too slow for .ci/run (two full compiles); run it by hand:
#   bash benches/install_check.sh            # HEAD of this checkout
#   KEEP=1 bash benches/install_check.sh     # keep the scratch folder
# CARGO_TARGET_DIR, if set, is reused for the package build (a warm cache).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
WORK=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
git clone --quiet "$REPO" "$WORK/clone"
cd "$WORK/clone"
echo "=== clean clone of $(git rev-parse --short HEAD) in $WORK/clone"

echo "=== cargo package --list"
cargo package --locked --allow-dirty --list | tee "$WORK/list.txt"
echo "($(wc -l <"$WORK/list.txt") files)"

echo "=== cargo package"
cargo package --locked --allow-dirty 2>&1 | grep -E 'Packaged|Verifying|Finished|warning|error' || true
CRATE=$(ls "${CARGO_TARGET_DIR:-target}"/package/rapport-*.crate)
echo "crate: $CRATE $(stat -c %s "$CRATE") bytes"

echo "=== cargo install --path ."
cargo install --locked --path . --root "$WORK/install" 2>&1 | grep -E 'Installed|Finished|warning|error' || true
BIN=$WORK/install/bin/rapport
echo "installed: $BIN $(stat -c %s "$BIN") bytes"
"$BIN" --version

echo "=== the installed binary on a new site"
cd "$WORK"
"$BIN" init site
"$BIN" --root site build
test -f site/public/index.html
test -f site/public/search/search.js
echo "built: $(find site/public -type f | wc -l) files, $(du -sk site/public | cut -f1) kB"
