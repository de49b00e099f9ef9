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
# The workspace's shape: no module cycles, no file over 1,000 lines, no
# Result<_, String> in library code, a README under 20 KB.
scripts/check-structure.sh
# Every cargo command below selects the whole workspace with its tests and
# examples: cargo unifies dependency features over what a command selects, and
# RocksDB's build script depends on build tools (bindgen, regex) whose features
# would then differ. RocksDB's C++ (about 10 minutes on 2 cores) is still
# compiled twice, for clippy (`cargo check` builds those tools with other
# features) and for the build; the second time from ccache (scripts/env.sh).
cargo clippy --locked --workspace --all-targets -- -D warnings
# The workspace includes Oxigraph's own server (tools/oxigraph-cli, the
# `oxigraph` binary that tests/it/publish.rs pushes to), built here with the tests.
cargo build --locked --workspace --all-targets
# Every target with tests: chronograph's library, binary, integration tests and
# examples (`--all-targets` here would also ask for the unit tests of Oxigraph's
# server, whose test-only dependencies are not vendored).
cargo test --locked --workspace --tests --examples
scripts/client-tests.sh
