# Shared settings for the project's scripts (sourced, not run).
# The build directory lives outside the clone so that later runs on the same
# machine reuse the RocksDB build (~13 minutes on 2 cores); a fresh machine builds it once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/chronograph/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
