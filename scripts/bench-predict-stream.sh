#!/usr/bin/env bash
# Streamed CLI prediction on large single CSV files (issue 14): generates, with
# `sepsis-risk demo`, a seed-schema CSV of about MB megabytes (default 1000: about 20 million
# rows, every ID distinct) and an ICU CSV of hourly rows with a patient_id column of about
# the same size, then runs `sepsis-risk predict` (results to a file) and `sepsis-risk
# evaluate` on each under /usr/bin/time -v and prints wall time and peak RSS, and the peak as
# a fraction of the file's size. Target: peak RSS under 300 MB for a 1 GB CSV.
#   scripts/bench-predict-stream.sh [MB]
# The files are generated once into target/bench/stream/ (kept for reruns; delete to redo).
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-1000}
dir=target/bench/stream
mkdir -p "$dir"
cargo build --release --locked --bin sepsis-risk
bin=target/release/sepsis-risk
seed_csv="$dir/seed-${MB}mb.csv"
icu_csv="$dir/icu-${MB}mb.csv"
# About 50 bytes per seed row, about 150 per ICU hour and 40 hours per demo stay. `demo`
# makes at most 10 M rows / 100 k stays at a time: larger files are made of pieces with
# their own ID prefixes (so that every ID stays distinct).
generate() { # schema, total, most per piece, ID prefix, output
  local schema=$1 total=$2 most=$3 prefix=$4 out=$5 k=0 left=$2
  rm -f "$out.tmp"
  while [ "$left" -gt 0 ]; do
    local n=$((left < most ? left : most))
    "$bin" demo --schema "$schema" --rows "$n" --seed $((11 + k)) \
      | { if [ "$k" -gt 0 ]; then tail -n +2; else cat; fi; } \
      | sed "s/^$prefix/${prefix:0:1}$k${prefix:2}/" >> "$out.tmp"
    left=$((left - n))
    k=$((k + 1))
  done
  mv "$out.tmp" "$out"
}
[ -s "$seed_csv" ] || generate seed $((MB * 20000)) 10000000 DEMO "$seed_csv"
[ -s "$icu_csv" ] || generate icu $((MB * 170)) 100000 demo "$icu_csv"
run() { # label, then the command
  local label=$1
  shift
  /usr/bin/time -v "$@" > /dev/null 2> "$dir/$label.time" || {
    tail -5 "$dir/$label.time" >&2
    return 1
  }
  awk -F': ' -v label="$label" '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /Maximum resident set size/ { kb = $2 }
    END { printf "%-16s %8.1f s  peak RSS %7.1f MB\n", label, s, kb / 1024 }' "$dir/$label.time"
}
for kind in seed icu; do
  csv="$dir/$kind-${MB}mb.csv"
  size_mb=$(($(stat -c %s "$csv") / 1000000))
  rows=$(($(wc -l < "$csv") - 1))
  echo "$kind: $csv, $size_mb MB, $rows rows"
  run "$kind-predict" "$bin" predict --model "assets/models/$kind.json" --input "$csv" \
    --output "$dir/$kind-results.csv"
  run "$kind-evaluate" "$bin" evaluate --model "assets/models/$kind.json" --input "$csv"
done
