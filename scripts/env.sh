# Shared settings for the project's scripts (sourced, not run).
# The build directory lives outside the clone so that later runs on the same
# machine reuse the RocksDB build (~13 minutes on 2 cores); a fresh machine builds it once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/chronograph/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# C and C++ compiles (RocksDB's above all) go through ccache: `cc` and `c++`
# from its folder, once scripts/bootstrap.sh has installed it (until then the
# folder is missing and PATH finds the compilers as usual).
if [[ ":$PATH:" != *":/usr/lib/ccache:"* ]]; then
  export PATH="/usr/lib/ccache:$PATH"
fi
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/chronograph/ccache}"
