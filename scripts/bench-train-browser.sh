#!/usr/bin/env bash
# Training in the browser against the native build, side by side on this machine (issue 15):
# the seed schema's full default search (tests/train_bench.rs) natively with one thread (the
# browser build has one), natively with every core, and in headless Chromium; interleaved
# ROUNDS times (default 2). Prints each run, the median times and the ratios, and checks that
# every run trained the same bundle.
#   scripts/bench-train-browser.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
native() {
  cargo test --locked --test train_bench -- --ignored --nocapture 2>/dev/null | grep '^train-bench' | sed "s/target=native/target=$1/"
}
browser() {
  cargo test --locked --target wasm32-unknown-unknown --test train_bench -- --include-ignored --nocapture 2>/dev/null \
    | grep -o 'train-bench.*' | head -1
}
# Build both first so that no run includes compilation.
cargo test --locked --no-run --test train_bench 2>/dev/null
cargo test --locked --no-run --target wasm32-unknown-unknown --test train_bench 2>/dev/null
for _ in $(seq "$rounds"); do
  SEPSIS_RISK_THREADS=1 native native-1-thread | tee -a "$out"
  native native-all-threads | tee -a "$out"
  browser | tee -a "$out"
done
median() { grep "target=$1 " "$out" | sed 's/.* ms=\([0-9]*\).*/\1/' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
n1=$(median native-1-thread) nall=$(median native-all-threads) b=$(median wasm32-chromium)
echo "median ms: native 1 thread $n1, native all threads $nall, Chromium $b"
awk -v b="$b" -v n1="$n1" -v na="$nall" 'BEGIN { printf "Chromium / native 1 thread: %.2fx; Chromium / native all threads: %.2fx (target: at most 2x)\n", b / n1, b / na }'
shas=$(sed 's/.* sha=//' "$out" | sort -u | wc -l)
if [ "$shas" -ne 1 ]; then
  echo "bench-train-browser: the runs trained different bundles:" >&2
  cat "$out" >&2
  exit 1
fi
echo "every run trained the same bundle (sha256 $(sed 's/.* sha=//' "$out" | head -1))"
