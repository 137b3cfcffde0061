#!/usr/bin/env bash
# Retrains the shipped seed bundle from the seed project's file (never committed).
#   scripts/retrain-seed.sh           writes assets/models/seed.json
#   scripts/retrain-seed.sh --check   retrains into a temporary file and fails if it differs
#                                     from the committed assets/models/seed.json
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${SEED_DATA:-../shared/data/seed/Paitients_Files_Train.csv}
if [ ! -f "$DATA" ]; then
  echo "retrain-seed: $DATA not found (set SEED_DATA)" >&2
  exit 2
fi
cargo build --release --locked --bin sepsis-risk
if [ "${1:-}" = "--check" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  target/release/sepsis-risk train --schema seed --data "$DATA" --out "$tmp/seed.json" --seed 42 --selection one-se > "$tmp/report.txt"
  if cmp -s "$tmp/seed.json" assets/models/seed.json; then
    echo "retrain-seed: the retrained bundle is byte-identical to assets/models/seed.json"
  else
    echo "retrain-seed: the retrained bundle differs from assets/models/seed.json:" >&2
    diff <(head -c 200000 assets/models/seed.json) <(head -c 200000 "$tmp/seed.json") | head -40 >&2 || true
    exit 1
  fi
else
  target/release/sepsis-risk train --schema seed --data "$DATA" --out assets/models/seed.json --seed 42 --selection one-se
fi
