#!/usr/bin/env bash
# Installs what a fresh Debian machine with only Rust needs to build chronograph:
# libclang-dev (RocksDB's bindings are generated with bindgen), a C++ compiler
# and ccache.
set -euo pipefail

missing=()
dpkg -s libclang-dev >/dev/null 2>&1 || missing+=(libclang-dev)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
# ccache: RocksDB's C++ is compiled by a build script, which cargo reruns when
# the build tools it depends on were built with other features (cargo clippy
# and cargo test select different ones); ccache turns the second compile into
# cache hits (scripts/env.sh puts it first on PATH).
command -v ccache >/dev/null 2>&1 || missing+=(ccache)

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
