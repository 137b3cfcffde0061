#!/usr/bin/env bash
# Runs every test of the project, installing what is missing first (scripts/setup.sh).
# This is the README's test command and what CI (.ci/run) runs.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\n==> %s\n' "$*" >&2; }

scripts/setup.sh

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (native, all targets, -D warnings)"
cargo clippy --all-targets --locked -- -D warnings

log "cargo clippy (wasm32 library)"
cargo clippy --lib --target wasm32-unknown-unknown --locked -- -D warnings

log "native tests"
cargo test --locked
