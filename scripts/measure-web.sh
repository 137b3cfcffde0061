#!/usr/bin/env bash
# Sizes of the release build in dist/ (scripts/build-web.sh): each file raw and gzip -9, per
# kind, and the total a first load transfers with gzip (every file index.html pulls in: html,
# js, wasm, css; the seed model is embedded in the wasm; the Web Worker's files are not part
# of it: they load only when a recalibration or training starts).
#   scripts/measure-web.sh [DIST]     (default dist/); also writes target/web-sizes.txt
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
if [ ! -f "$dist/index.html" ]; then
  echo "measure-web: $dist/index.html not found (run scripts/build-web.sh)" >&2
  exit 2
fi
mkdir -p target
{
  printf '%-52s %10s %10s\n' file raw gzip-9
  first_raw=0 first_gz=0
  while IFS= read -r f; do
    raw=$(wc -c < "$f")
    gz=$(gzip -9 -c -n "$f" | wc -c)
    printf '%-52s %10d %10d\n' "${f#"$dist"/}" "$raw" "$gz"
    case "$f" in
      # The Web Worker's files load only when a job starts (src/worker.rs).
      */sepsis-risk-worker*) ;;
      *.html | *.js | *.wasm | *.css)
        first_raw=$((first_raw + raw))
        first_gz=$((first_gz + gz))
        ;;
    esac
  done < <(find "$dist" -type f ! -name '*.gz' | sort)
  printf '%-52s %10d %10d\n' 'first load (html + js + wasm + css)' "$first_raw" "$first_gz"
  printf 'first load gzip: %d KB (target: under 500 KB)\n' $(((first_gz + 1023) / 1024))
} | tee target/web-sizes.txt
