#!/usr/bin/env bash
# libFuzzer targets of the parsers and loaders that take outside bytes (fuzz/, issue 16):
# csv_parse, dataset_validate, patient_files, bundle_load, csv_write_round_trip.
#   scripts/fuzz.sh                      every target for 30 s (the smoke run of scripts/test.sh)
#   scripts/fuzz.sh --seconds S          every target for S seconds
#   scripts/fuzz.sh --runs N [TARGET..]  until N executions (or --seconds, whichever first)
# Starts from the committed seed corpus (fuzz/seeds/TARGET) plus what earlier runs found
# (fuzz/corpus/TARGET, not committed); a crash stops the run and leaves its input in
# fuzz/artifacts/TARGET. Prints executions and speed per target. Installs cargo-fuzz when
# missing. Built with `--sanitizer none` on the stable toolchain (no nightly needed): Rust's
# own checks (bounds, overflow with debug assertions, panics) are what the targets look for.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=30
RUNS=0
TARGETS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(csv_parse dataset_validate patient_files bundle_load csv_write_round_trip)
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi
cargo fuzz build --sanitizer none --debug-assertions
for t in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log=$(mktemp)
  # -runs=0 means no limit in libFuzzer only when given as -1; pass the limit only when set.
  limit=()
  if [ "$RUNS" -gt 0 ]; then limit=(-runs="$RUNS"); fi
  if ! cargo fuzz run --sanitizer none --debug-assertions "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
      -max_total_time="$SECONDS_PER" -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="fuzz/artifacts/$t/" "${limit[@]}" > "$log" 2>&1; then
    tail -40 "$log" >&2
    echo "fuzz: $t FAILED (input in fuzz/artifacts/$t/)" >&2
    exit 1
  fi
  execs=$(awk -F: '/stat::number_of_executed_units/ {gsub(/ /, "", $NF); print $NF}' "$log")
  speed=$(awk -F: '/stat::average_exec_per_sec/ {gsub(/ /, "", $NF); print $NF}' "$log")
  printf 'fuzz: %-22s %12s executions, %8s per second, no crash\n' "$t" "$execs" "$speed"
  rm -f "$log"
done
