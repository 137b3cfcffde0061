#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there.
# Works on a fresh Debian or Ubuntu machine with Rust (rustup) installed; run as root or with sudo.
#   scripts/setup.sh            native toolchain parts (rustfmt, clippy, wasm32 target)
set -euo pipefail

log() { printf '==> %s\n' "$*" >&2; }

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
