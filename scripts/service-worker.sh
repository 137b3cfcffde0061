#!/usr/bin/env bash
# Writes DIST/sw.js, the service worker that caches the app for offline use, from
# assets/sw.js: __SEPSIS_FILES__ becomes the JSON list of every file in DIST (as URL paths,
# sorted; the .gz copies and sw.js itself excluded) and __SEPSIS_VERSION__ the first 16 hex
# digits of the SHA-256 of "path sha256" lines of those files, so any change to any file
# (a new build hash, a retrained model) makes a new version. Deterministic.
#   scripts/service-worker.sh DIST
# Run by scripts/build-web.sh after `trunk build`, before compression.
set -euo pipefail
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DIST_DIR" >&2
  exit 2
fi
dist="$1"
template="$(dirname "$0")/../assets/sw.js"
if [ ! -f "$dist/index.html" ]; then
  echo "service-worker: $dist/index.html not found (build the app first)" >&2
  exit 2
fi
files=$(cd "$dist" && find . -type f ! -name '*.gz' ! -path './sw.js' -printf '%P\n' | LC_ALL=C sort)
for f in $files; do
  case "$f" in
    *[!A-Za-z0-9._/-]*)
      echo "service-worker: $dist/$f: unexpected characters in a file name" >&2
      exit 2
      ;;
  esac
done
version=$(cd "$dist" && for f in $files; do printf '%s %s\n' "/$f" "$(sha256sum "$f" | cut -d' ' -f1)"; done \
  | sha256sum | cut -c1-16)
list=$(for f in $files; do printf '"/%s",' "$f"; done)
list="[${list%,}]"
VERSION="$version" FILES="$list" perl -pe 's/__SEPSIS_VERSION__/$ENV{VERSION}/g; s/__SEPSIS_FILES__/$ENV{FILES}/g' \
  "$template" > "$dist/sw.js"
echo "service-worker: $dist/sw.js, version $version, $(printf '%s\n' $files | wc -l) files" >&2
