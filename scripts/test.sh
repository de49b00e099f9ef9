#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, every Rust test, then
# the real third-party clients (Python SPARQLWrapper + rdflib, Comunica, headless
# Chromium) against a running `chronograph serve`; scripts/client-tests.sh
# installs them (venv, npm, apt) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/bootstrap.sh

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked --all-targets
scripts/client-tests.sh
