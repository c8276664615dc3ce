#!/usr/bin/env bash
# Builds the fuzz targets once, then runs each for SECONDS_PER_TARGET (default
# 660) of wall time, one after the other, and prints the CPU time and
# executions each got, so a note can say how much fuzzing was really done.
# The built binaries are run directly, so editing the sources meanwhile does
# not rebuild them halfway. Needs cargo-fuzz (`cargo install cargo-fuzz`);
# RUSTC_BOOTSTRAP lets a stable toolchain build the sanitizers.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${SECONDS_PER_TARGET:-660}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frontmatter markdown paths)
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
bin=target/x86_64-unknown-linux-gnu/release
for target in "${targets[@]}"; do
  log="target/fuzz-$target.log"
  mkdir -p corpus/"$target" artifacts/"$target"
  /usr/bin/time -f "$target: %U s user, %S s system, %e s wall" \
    "$bin/$target" -artifact_prefix=artifacts/"$target"/ -max_total_time="$seconds" -print_final_stats=1 \
    corpus/"$target" >"$log" 2>&1 || { echo "$target: FAILED, see fuzz/$log"; tail -30 "$log"; exit 1; }
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$log" | tail -2
  tail -1 "$log"
done
