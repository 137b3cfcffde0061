#!/usr/bin/env bash
# Release build of the browser app into dist/, ready for nginx (deploy/nginx/):
#   1. trunk build --release (offline, locked: no download of tools or crates)
#   2. dist/sw.js: the service worker with this build's file list and version
#      (scripts/service-worker.sh)
#   3. target/nginx/sepsis-risk-csp.conf: the CSP hashes of the inline scripts/styles of
#      dist/index.html (scripts/csp-hashes.sh); the nginx config includes it
#   4. dist/**/*.gz next to every compressible file (gzip -9), served by gzip_static
# The same steps run in CI (scripts/test.sh) and in the container build of issue 4.
# Needs trunk, wasm-bindgen-cli and wasm-opt: `scripts/setup.sh --web` installs them.
#   CSP_OUT=path overrides where the CSP include goes.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '==> %s\n' "$*" >&2; }

if [ ! -f index.html ] || [ ! -f Trunk.toml ]; then
  echo "build-web: index.html or Trunk.toml missing: the browser app is not in this tree" >&2
  exit 2
fi
# wasm-opt from npm's binaryen (scripts/setup.sh --web); Trunk finds it on the PATH by version.
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
for tool in trunk wasm-bindgen wasm-opt; do
  if ! command -v "$tool" > /dev/null; then
    echo "build-web: $tool not found (run scripts/setup.sh --web)" >&2
    exit 2
  fi
done

log "trunk build --release"
trunk build --release --offline --locked --skip-version-check --dist dist

log "service worker (scripts/service-worker.sh): dist/sw.js"
scripts/service-worker.sh dist

log "CSP hashes"
scripts/csp-hashes.sh dist "${CSP_OUT:-target/nginx/sepsis-risk-csp.conf}"

log "precompress (gzip -9) for gzip_static"
find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' \
  -o -name '*.json' -o -name '*.html' -o -name '*.txt' -o -name '*.csv' \) \
  -exec gzip -9 -k -f -n {} +

log "dist/ is ready"
ls -l dist >&2
