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
# Oxigraph's own server (tools/oxigraph-cli), for tests/publish.rs: the same
# Oxigraph and RocksDB build as chronograph's, so it costs about a minute.
cargo build --locked -p oxigraph-cli --bin oxigraph
cargo test --locked --all-targets
scripts/client-tests.sh
