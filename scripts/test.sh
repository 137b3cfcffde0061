#!/usr/bin/env bash
# Runs every test of the project, installing what is missing first (scripts/setup.sh).
# This is the README's test command and what CI (.ci/run) runs: formatting, clippy (native and
# wasm32), native tests, browser component tests, the release build of the app, the serving
# tests (nginx) and the end-to-end tests (headless Chromium); then the build's sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n==> %s\n' "$*" >&2; }

# Missing chromium, chromedriver or nginx is an error, never a skip: setup installs them.
scripts/setup.sh --all

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (native, all targets, -D warnings)"
cargo clippy --all-targets --locked --features web-tests -- -D warnings

log "cargo clippy (wasm32 library and web app)"
cargo clippy --lib --bins --target wasm32-unknown-unknown --locked -- -D warnings

log "native tests"
cargo test --locked

# --- Browser: component tests, release build, serving and end-to-end tests. ---
if [ -f tests/components.rs ]; then
  log "component tests and training parity (wasm-bindgen-test in headless Chromium)"
  CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} \
    cargo test --locked --target wasm32-unknown-unknown --test components --test training_parity
fi

log "release build of the browser app (scripts/build-web.sh)"
scripts/build-web.sh

log "serving (nginx + repository config) and end-to-end (headless Chromium) tests"
cargo test --locked --features web-tests --test serving --test e2e

log "sizes of the release build"
scripts/measure-web.sh
