#!/usr/bin/env bash
# Transfer between the two ICU units of PhysioNet 2019 set A (columns Unit1 / Unit2): the
# stand-in for "a new hospital" available here (issue 15). Three models, all scored on the
# same half of Unit 2's patients (B), which none of them saw:
#   1. trained on Unit 1 (as the shipped model was trained on set A: `train --schema icu
#      --seed 42`), scored on Unit 2 B as it is;
#   2. that model recalibrated on the other half of Unit 2 (A): `recalibrate` (Platt, 5
#      folds by patient, the utility rule as trained);
#   3. a model trained on Unit 2 A only.
# Prints a table of AUROC, ECE, normalized utility, alerts per patient-day and sensitivity /
# PPV at each model's threshold; everything is written under target/transfer/ (bundles and
# the evaluations as JSON). A stay's unit is the first hour that records one; stays with
# neither unit recorded are left out (counted). Unit 2's stays are split into halves by
# alternating in file-name order.
#   scripts/transfer-units.sh            (ICU_DATA=dir overrides ../shared/data/...)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${ICU_DATA:-../shared/data/physionet2019/training_setA}
if [ ! -d "$DATA" ]; then
  echo "transfer-units: $DATA not found (set ICU_DATA)" >&2
  exit 2
fi
DATA=$(cd "$DATA" && pwd)
out=target/transfer
rm -rf "$out"
mkdir -p "$out"/unit1 "$out"/unit2a "$out"/unit2b
cargo build --release --locked --bin sepsis-risk
bin=target/release/sepsis-risk

# One line per stay: "file unit" (unit 0: neither recorded).
find "$DATA" -maxdepth 1 -name '*.psv' -print0 | sort -z | xargs -0 awk -F'|' '
  FNR == 1 { if (NR > 1 && !seen) print prev, 0
             prev = FILENAME; u1 = 0; u2 = 0; seen = 0
             for (i = 1; i <= NF; i++) { if ($i == "Unit1") u1 = i; if ($i == "Unit2") u2 = i }
             next }
  !seen && ((u1 && $u1 != "NaN") || (u2 && $u2 != "NaN")) {
    unit = (u1 && $u1 == "1") ? 1 : ((u2 && $u2 == "1") ? 2 : 0); print FILENAME, unit; seen = 1 }
  END { if (NR > 0 && !seen) print prev, 0 }' > "$out/units.txt"
if ! grep -q . "$out/units.txt"; then
  echo "transfer-units: no stays found in $DATA" >&2
  exit 2
fi
n2=0
while read -r f unit; do
  case "$unit" in
    1) ln -s "$f" "$out/unit1/" ;;
    2) if [ $((n2 % 2)) -eq 0 ]; then ln -s "$f" "$out/unit2a/"; else ln -s "$f" "$out/unit2b/"; fi
       n2=$((n2 + 1)) ;;
  esac
done < "$out/units.txt"
count() { find "$1" -maxdepth 1 -name '*.psv' | wc -l; }
echo "transfer-units: stays: Unit 1 $(count "$out/unit1"), Unit 2 A $(count "$out/unit2a"), Unit 2 B $(count "$out/unit2b"), no unit $(awk '$2 == 0' "$out/units.txt" | wc -l)" >&2

t0=$(date +%s)
"$bin" train --schema icu --data "$out/unit1" --seed 42 --out "$out/unit1.json" --json > "$out/unit1-train.json"
t1=$(date +%s)
"$bin" recalibrate --model "$out/unit1.json" --data "$out/unit2a" --out "$out/unit1-recalibrated.json" > "$out/recalibrate.txt"
t2=$(date +%s)
"$bin" train --schema icu --data "$out/unit2a" --seed 42 --out "$out/unit2a.json" --json > "$out/unit2a-train.json"
t3=$(date +%s)
for m in unit1 unit1-recalibrated unit2a; do
  "$bin" evaluate --model "$out/$m.json" --input "$out/unit2b" --json > "$out/$m-on-unit2b.json"
done
"$bin" evaluate --model "$out/unit1.json" --input "$out/unit1" --json > "$out/unit1-on-unit1.json"
echo "transfer-units: trained on Unit 1 in $((t1 - t0)) s, recalibrated in $((t2 - t1)) s, trained on Unit 2 A in $((t3 - t2)) s" >&2

row() {
  # name, evaluation JSON
  perl -MJSON::PP -e '
    local $/; open my $fh, "<", $ARGV[1] or die; my $e = decode_json(<$fh>);
    printf "| %-44s | %.3f | %.4f | %.3f | %.2f | %.3f | %.3f |\n", $ARGV[0],
      $e->{roc_auc}, $e->{ece}, $e->{utility}, $e->{alerts_per_patient_day}, $e->{sensitivity}, $e->{precision};
  ' "$1" "$2"
}
{
  echo "| scored on Unit 2 B ($(count "$out/unit2b") stays) | AUROC | ECE | utility | alerts / patient-day | sensitivity | PPV |"
  echo "|---|---|---|---|---|---|---|"
  row "1. trained on Unit 1, as it is" "$out/unit1-on-unit2b.json"
  row "2. 1 recalibrated on Unit 2 A (Platt)" "$out/unit1-recalibrated-on-unit2b.json"
  row "3. trained on Unit 2 A" "$out/unit2a-on-unit2b.json"
  row "(1 on its own training data, Unit 1)" "$out/unit1-on-unit1.json"
} | tee "$out/table.md"
