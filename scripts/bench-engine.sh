#!/usr/bin/env bash
# Side-by-side benchmark of the tree engine against scikit-learn (issue 13), on one exported
# feature matrix (examples/export_icu_features.rs), runs interleaved, same thread count:
#   - one boosting fit with the shipped ICU settings (300 rounds, depth 3, learning rate 0.05,
#     leaf 50, L2 1, no row subsampling) against HistGradientBoostingClassifier with the same
#     settings (early_stopping=False, 255 bins);
#   - one random-forest fit (100 trees, depth 10, leaf 50, sqrt features; ours histogram-based
#     with 255 bins, scikit-learn's RandomForestClassifier exact) against RandomForestClassifier.
# Each fit runs in its own process (`sepsis-risk fit`, scripts/bench/sklearn_fit.py) on every
# labelled row outside patient fold 0 and is scored on fold 0. Prints, per family, the median
# fit time, process wall time and peak RSS of both, their ratios (ours / scikit-learn), and
# both held-out AUROCs. Results (JSON per run) go to target/bench-engine/.
#
#   scripts/bench-engine.sh                 set A (../shared/data/physionet2019/training_setA,
#                                           or ICU_DATA)
#   scripts/bench-engine.sh --demo 17652    invented stays of the same width, for machines
#                                           without the data
#   options: --runs R (default 2 per engine and family), --threads T (default: all cores),
#            --families "boosting forest"
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ICU_DATA:-../shared/data/physionet2019/training_setA}
DEMO=""
RUNS=2
THREADS=$(nproc)
FAMILIES="boosting forest"
while [ $# -gt 0 ]; do
  case "$1" in
    --demo) DEMO=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --families) FAMILIES=$2; shift 2 ;;
    *) echo "bench-engine: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi
  $SUDO apt-get install -y -q time >/dev/null
fi
if ! python3 -c "import sklearn, pandas" 2>/dev/null; then
  python3 -m pip install -q -r scripts/reference/requirements.txt
fi
cargo build --release --locked --bin sepsis-risk --example export_icu_features
OUT=target/bench-engine
mkdir -p "$OUT"
if [ -n "$DEMO" ]; then
  prefix=$OUT/demo$DEMO
  source_args=(--demo "$DEMO")
else
  if [ ! -d "$DATA" ]; then
    echo "bench-engine: $DATA not found (set ICU_DATA, or use --demo N)" >&2
    exit 2
  fi
  prefix=$OUT/seta
  source_args=("$DATA")
fi
if [ ! -f "$prefix.rows.csv" ]; then
  echo "bench-engine: exporting the feature matrix to $prefix.*" >&2
  target/release/examples/export_icu_features "${source_args[@]}" "$prefix"
fi

ours_params() {
  case "$1" in
    boosting) echo "--param n_estimators=300 --param max_depth=3 --param learning_rate=0.05 --param min_samples_leaf=50 --param l2_regularization=1 --param subsample=1" ;;
    forest) echo "--param n_trees=100 --param max_depth=10 --param min_samples_leaf=50 --param max_features=0" ;;
  esac
}

# run ENGINE FAMILY RUN: one fit in its own process, its JSON report plus wall time and peak
# RSS (GNU time) in $OUT/ENGINE-FAMILY-RUN.json.
run() {
  local engine=$1 family=$2 n=$3 json=$OUT/$1-$2-$3.json timing=$OUT/$1-$2-$3.time
  if [ "$engine" = ours ]; then
    # shellcheck disable=SC2046
    SEPSIS_RISK_THREADS=$THREADS /usr/bin/time -f '%e %M' -o "$timing" \
      target/release/sepsis-risk fit --matrix "$prefix" --family "$family" --holdout-fold 0 \
      $(ours_params "$family") > "$json"
  else
    OMP_NUM_THREADS=$THREADS /usr/bin/time -f '%e %M' -o "$timing" \
      python3 scripts/bench/sklearn_fit.py "$prefix" "$family" 0 "$THREADS" > "$json"
  fi
  read -r wall rss < "$timing"
  python3 - "$json" "$wall" "$rss" <<'PY'
import json, sys
path, wall, rss = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
r = json.load(open(path))
r["wall_seconds"], r["peak_rss_mb"] = wall, rss / 1024
json.dump(r, open(path, "w"), indent=2)
print(f"  {path}: fit {r['fit_seconds']:.1f} s, wall {wall:.1f} s, peak RSS {rss / 1024:.0f} MB, AUROC {r['test_roc_auc']:.4f}", file=sys.stderr)
PY
}

for n in $(seq 1 "$RUNS"); do
  for family in $FAMILIES; do
    # Alternate which engine goes first, so drift in the machine's speed affects both.
    if [ $((n % 2)) = 1 ]; then order="ours sklearn"; else order="sklearn ours"; fi
    for engine in $order; do
      run "$engine" "$family" "$n"
    done
  done
done

python3 - "$OUT" "$RUNS" "$THREADS" "$prefix" $FAMILIES <<'PY'
import json, statistics, sys
out, runs, threads, prefix, families = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
print(f"engine benchmark on {prefix} ({threads} threads, {runs} interleaved runs per engine; medians)")
for fam in families:
    r = {e: [json.load(open(f"{out}/{e}-{fam}-{n}.json")) for n in range(1, runs + 1)] for e in ("ours", "sklearn")}
    med = lambda e, k: statistics.median(x[k] for x in r[e])
    o, s = r["ours"][0], r["sklearn"][0]
    print(f"\n{fam}: {o['train_rows']} training rows x {o['columns']} columns, {o['test_rows']} held-out rows")
    print(f"  ours:         {o['hyperparameters']}")
    print(f"  scikit-learn: {s['hyperparameters']}")
    for k, name in (("fit_seconds", "fit time (s)"), ("wall_seconds", "process wall time (s)"), ("peak_rss_mb", "peak RSS (MB)")):
        a, b = med("ours", k), med("sklearn", k)
        print(f"  {name:<22} ours {a:9.1f}   scikit-learn {b:9.1f}   ratio {a / b:.2f}")
    print(f"  held-out AUROC         ours {med('ours', 'test_roc_auc'):.4f}   scikit-learn {med('sklearn', 'test_roc_auc'):.4f}")
PY
