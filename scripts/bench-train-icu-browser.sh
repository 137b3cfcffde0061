#!/usr/bin/env bash
# ICU training in the browser against the native CLI on the same stays (issue 15): the first
# N stays of PhysioNet 2019 set A (by file name; default 5,000, "a mid-size hospital's
# export") copied into target/bench/icu-<N>/, then
#   1. native: `sepsis-risk train --schema icu --data <folder> --seed 42` (2 threads), under
#      /usr/bin/time -v (wall time, peak RSS);
#   2. browser: the same folder picked in the page and trained with the Train page's defaults
#      (the same options) in the Web Worker in headless Chromium (tests/e2e.rs
#      icu_training_benchmark_in_chromium): the worker's time, its peak wasm memory, the
#      page's longest main-thread task;
# and prints the ratio and whether the two bundles are byte-identical. One run each,
# sequential (each takes minutes); needs the release dist (scripts/build-web.sh).
#   scripts/bench-train-icu-browser.sh [N]      (ICU_DATA=dir overrides the set A folder)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
DATA=${ICU_DATA:-../shared/data/physionet2019/training_setA}
if [ ! -d "$DATA" ]; then
  echo "bench-train-icu-browser: $DATA not found (set ICU_DATA)" >&2
  exit 2
fi
dir="target/bench/icu-$N"
rm -rf "$dir"
mkdir -p "$dir"
mapfile -t stays < <(find "$DATA" -maxdepth 1 -name '*.psv' | LC_ALL=C sort)
cp -t "$dir" "${stays[@]:0:$N}"
echo "bench-train-icu-browser: $(find "$dir" -name '*.psv' | wc -l) stays in $dir" >&2
cargo build --release --locked --bin sepsis-risk
/usr/bin/time -v target/release/sepsis-risk train --schema icu --data "$dir" --seed 42 \
  --out target/bench/icu-native.json > target/bench/icu-native.txt 2> target/bench/icu-native.time
native_s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' target/bench/icu-native.time)
native_mb=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' target/bench/icu-native.time)
native_sha=$(sha256sum target/bench/icu-native.json | cut -d' ' -f1)
echo "native: ${native_s} s, peak RSS ${native_mb} MB, sha ${native_sha}"
line=$(BENCH_ICU_STAYS="$PWD/$dir" cargo test --locked --features web-tests --test e2e -- \
  --ignored icu_training_benchmark_in_chromium --nocapture 2>&1 | tee target/bench/icu-browser.log \
  | grep '^train-bench icu' || true)
if [ -z "$line" ]; then
  echo "bench-train-icu-browser: the browser run failed (target/bench/icu-browser.log)" >&2
  exit 1
fi
echo "browser: $line"
browser_ms=$(sed -E 's/.* ms=([0-9.]+).*/\1/' <<< "$line")
browser_sha=$(sed -E 's/.* sha=([0-9a-f]+).*/\1/' <<< "$line")
awk -v b="$browser_ms" -v n="$native_s" 'BEGIN { printf "ratio browser / native: %.2f (target at most 2)\n", b / 1000 / n }'
if [ "$browser_sha" = "$native_sha" ]; then
  echo "the browser's bundle is byte-identical to the CLI's"
else
  echo "the browser's bundle differs from the CLI's" >&2
  exit 1
fi
