#!/usr/bin/env bash
# Large uploads in the page (issue 14): generated seed-schema CSVs of 10,000, 100,000 and
# 1,000,000 rows and folders of ICU stays, each picked in the page in headless Chromium
# (tests/e2e.rs upload_benchmark_in_chromium). Prints for each the wall time from the file
# pick to the row count shown, the User Timing measures sepsis-risk:upload-* (time in each
# stage), the page's longest main-thread task and the renderer's peak resident memory; and,
# side by side in the same run, scikit-learn's in-process predict_proba of the same pipeline
# on the same CSVs (scripts/bench/sklearn_predict.py) when Python with scikit-learn is there.
# Needs the release dist (scripts/build-web.sh). Generated files go to target/bench/.
#   scripts/bench-upload-browser.sh [ROWS,...] [STAYS,...]
#     ROWS:  numbers of seed rows (default 10000,100000,1000000)
#     STAYS: folders of .psv stays or numbers of generated stays (default 1000,20000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-10000,100000,1000000}
STAYS=${2:-1000,20000}
BENCH_UPLOAD_ROWS="$ROWS" BENCH_UPLOAD_STAYS="$STAYS" cargo test --locked --features web-tests \
  --test e2e -- --ignored upload_benchmark_in_chromium --nocapture 2>&1 \
  | tee target/bench-upload-browser.log | grep '^upload-bench' || {
  echo "bench-upload-browser: the browser run failed (target/bench-upload-browser.log)" >&2
  exit 1
}
if python3 -c 'import sklearn, pandas' 2> /dev/null; then
  IFS=',' read -ra sizes <<< "$ROWS"
  for n in "${sizes[@]}"; do
    python3 scripts/bench/sklearn_predict.py "target/bench/upload-seed-$n.csv"
  done
else
  echo "bench-upload-browser: no scikit-learn here: no side-by-side predict_proba" >&2
fi
