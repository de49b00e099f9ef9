#!/usr/bin/env bash
# Structure checks for the chronograph workspace (root package in src/, crates
# in crates/*/), run by hand or in CI:
#   1. no import cycle between the top-level modules of a crate, nor between
#      the direct submodules of any module directory (crate::x, super::x,
#      use groups; comments, doc-links and #[cfg(test)] code ignored);
#   2. no .rs file over 1,000 lines in src/, crates/*/src, crates/*/tests,
#      tests/ (data tables excepted: under a data/ directory, *_table.rs,
#      *tables.rs, or listed in ALLOW_LONG_FILES below);
#   3. no Result<_, String> in library code (crates/*/src except
#      crates/testkit, outside #[cfg(test)] code);
#   4. README.md at most 20 KB (20,480 bytes).
# Prints what fails and a one-line summary per check; exits 0 when all pass,
# 1 otherwise. The work is done by scripts/check_structure.py (Python 3.11,
# standard library only).
#
# Usage: scripts/check-structure.sh [REPO_ROOT]   (default: this script's repo)
set -euo pipefail

# Files allowed over the 1,000-line limit, relative to the repository root, one
# per line, e.g. "crates/core/src/big_generated.rs". Keep it empty: split the
# file instead, or name a data table *_table.rs.
ALLOW_LONG_FILES=(
)

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${1:-$script_dir/..}" && pwd)"
cd "$root"

args=(--root "$root")
for f in ${ALLOW_LONG_FILES[@]+"${ALLOW_LONG_FILES[@]}"}; do
    args+=(--allow-long "$f")
done
exec python3 "$script_dir/check_structure.py" "${args[@]}"
