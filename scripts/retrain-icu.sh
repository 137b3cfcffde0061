#!/usr/bin/env bash
# Retrains the ICU bundle from PhysioNet/CinC 2019 training set A (never committed).
#   scripts/retrain-icu.sh            writes assets/models/icu.json (and target/icu-train.json,
#                                     the training report)
#   scripts/retrain-icu.sh --check    retrains into a temporary file and fails if it differs
#                                     from the committed assets/models/icu.json
# About 10 minutes and 2.25 GB on 2 cores (all of set A: 17,652 patients, 687,218 hours).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ICU_DATA:-../shared/data/physionet2019/training_setA}
if [ ! -d "$DATA" ]; then
  echo "retrain-icu: $DATA not found (set ICU_DATA)" >&2
  exit 2
fi
cargo build --release --locked --bin sepsis-risk
args=(train --schema icu --data "$DATA" --seed 42)
if [ "${1:-}" = "--check" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  target/release/sepsis-risk "${args[@]}" --out "$tmp/icu.json" --json > "$tmp/report.json"
  if cmp -s "$tmp/icu.json" assets/models/icu.json; then
    echo "retrain-icu: the retrained bundle is byte-identical to assets/models/icu.json"
  else
    echo "retrain-icu: the retrained bundle differs from assets/models/icu.json" >&2
    exit 1
  fi
else
  mkdir -p target
  target/release/sepsis-risk "${args[@]}" --out assets/models/icu.json --json | tee target/icu-train.json
fi
