#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there.
# Works on a fresh Debian or Ubuntu machine with Rust (rustup) installed; run as root or with sudo.
#   scripts/setup.sh            native toolchain parts (rustfmt, clippy, wasm32 target)
#   scripts/setup.sh --web      + the browser build: trunk 0.21.14, wasm-bindgen-cli at the
#                                 exact version of the wasm-bindgen crate in Cargo.lock, wasm-opt
#                                 (npm package binaryen, into .tools/; needs Node.js and npm)
#   scripts/setup.sh --server   + nginx (scripts/serve.sh, the serving tests)
#   scripts/setup.sh --browser  + chromium, chromium-driver and nginx (browser and e2e tests)
#   scripts/setup.sh --all      all of the above
# When everything is present it only checks (a few seconds) and touches nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-opt: Debian 12's binaryen (108) cannot read wasm-bindgen 0.2.130's output (table.fill);
# npm's binaryen ships a current wasm-opt as WebAssembly (docs/decisions.md, D10).
BINARYEN_VERSION=132.0.0

log() { printf '==> %s\n' "$*" >&2; }

web=0 server=0 browser=0
for arg in "$@"; do
  case "$arg" in
    --web) web=1 ;;
    --server) server=1 ;;
    --browser) browser=1 ;;
    --all) web=1 server=1 browser=1 ;;
    *) echo "setup: unknown option $arg (use --web, --server, --browser, --all)" >&2; exit 2 ;;
  esac
done

need_rustup_component() {
  if ! rustup component list --installed 2>/dev/null | grep -q "^$1"; then
    log "rustup component add $1"
    rustup component add "$1"
  fi
}

need_rustup_component rustfmt
need_rustup_component clippy
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# --- Debian packages: collect what is missing, then one apt-get update and one install. ---
packages=()
need_command_pkg() { # COMMAND PACKAGE: the package is needed when the command is not found
  if ! command -v "$1" > /dev/null 2>&1 && [ ! -x "/usr/sbin/$1" ]; then
    packages+=("$2")
  fi
}
if [ "$web" = 1 ]; then
  need_command_pkg node nodejs
  need_command_pkg npm npm
  # cargo install (trunk's build scripts) needs a C compiler and pkg-config.
  need_command_pkg cc build-essential
  need_command_pkg pkg-config pkg-config
fi
if [ "$server" = 1 ] || [ "$browser" = 1 ]; then
  need_command_pkg nginx nginx
fi
if [ "$browser" = 1 ]; then
  need_command_pkg chromium chromium
  need_command_pkg chromedriver chromium-driver
fi
if [ ${#packages[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    sudo=(sudo)
  fi
  log "apt-get install ${packages[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${packages[@]}"
fi

# --- Cargo-installed tools for the browser build. ---
if [ "$web" = 1 ]; then
  if [ "$(trunk --version 2> /dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "cargo install trunk --version $TRUNK_VERSION --locked (about 10 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  # The CLI must be exactly the version of the wasm-bindgen crate the app links.
  wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
  if [ -z "$wb_version" ]; then
    echo "setup: no wasm-bindgen crate in Cargo.lock; the browser app is not in this tree" >&2
    exit 2
  fi
  if [ "$(wasm-bindgen --version 2> /dev/null)" != "wasm-bindgen $wb_version" ]; then
    # Not --locked: the CLI's locked dependency webpki-roots 1.0.11 is not on the registry
    # (docs: /work/shared/docs/toolchain.md).
    log "cargo install wasm-bindgen-cli --version $wb_version --force (about 2 minutes)"
    cargo install wasm-bindgen-cli --version "$wb_version" --force
  fi
  if [ "$(.tools/node_modules/.bin/wasm-opt --version 2> /dev/null)" != "wasm-opt version ${BINARYEN_VERSION%%.*} (version_${BINARYEN_VERSION%%.*})" ]; then
    log "npm install binaryen@$BINARYEN_VERSION into .tools/ (wasm-opt)"
    mkdir -p .tools
    npm install --prefix .tools --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  fi
fi
