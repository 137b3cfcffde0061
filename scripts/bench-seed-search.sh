#!/usr/bin/env bash
# Seed retrain against scikit-learn's GridSearchCV over the same 34 candidates (issue 13):
# `sepsis-risk train --schema seed` (the command of scripts/retrain-seed.sh) and
# scripts/bench/sklearn_seed_search.py, each in its own process, interleaved, same thread
# count; prints the median wall time of both and the ratio (ours / scikit-learn).
#   scripts/bench-seed-search.sh [--runs R] [--threads T]     (SEED_DATA: the seed CSV)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${SEED_DATA:-../shared/data/seed/Paitients_Files_Train.csv}
RUNS=3
THREADS=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    *) echo "bench-seed-search: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -f "$DATA" ]; then
  echo "bench-seed-search: $DATA not found (set SEED_DATA)" >&2
  exit 2
fi
if ! python3 -c "import sklearn, pandas" 2>/dev/null; then
  python3 -m pip install -q -r scripts/reference/requirements.txt
fi
cargo build --release --locked --bin sepsis-risk
OUT=target/bench-seed-search
mkdir -p "$OUT"
ours=() theirs=()
for r in $(seq 1 "$RUNS"); do
  t0=$EPOCHREALTIME
  SEPSIS_RISK_THREADS=$THREADS target/release/sepsis-risk train --schema seed --data "$DATA" \
    --out "$OUT/seed-$r.json" --seed 42 --selection one-se --json > "$OUT/ours-$r.json"
  t1=$EPOCHREALTIME
  OMP_NUM_THREADS=$THREADS python3 scripts/bench/sklearn_seed_search.py "$DATA" "$THREADS" \
    > "$OUT/sklearn-$r.json"
  t2=$EPOCHREALTIME
  ours+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')")
  theirs+=("$(awk -v a="$t1" -v b="$t2" 'BEGIN {print b - a}')")
  printf 'run %d: ours %.2f s, scikit-learn %.2f s\n' "$r" "${ours[-1]}" "${theirs[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mo=$(median "${ours[@]}")
mt=$(median "${theirs[@]}")
printf '\nseed retrain (%d threads, %d runs, medians of process wall time):\n' "$THREADS" "$RUNS"
printf '  sepsis-risk train        %.2f s  (search, calibration, threshold, test metrics, bundle)\n' "$mo"
printf '  scikit-learn GridSearchCV %.2f s  (search and refit only)\n' "$mt"
printf '  ratio ours / scikit-learn: %.3f\n' "$(awk -v a="$mo" -v b="$mt" 'BEGIN {print a / b}')"
python3 - "$OUT/sklearn-1.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("  scikit-learn CV AUROC of each family's best:",
      ", ".join(f"{k} {v['cv_mean']:.3f}" for k, v in r["families"].items()))
PY
