#!/usr/bin/env bash
# The main job on the embedded sample data: build, load data/sample into an
# on-disk store, answer every query in queries/, and write a Turtle dump.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/bootstrap.sh

# The same selection as the test suite's (scripts/test.sh), so one build serves both.
cargo build --locked --workspace --all-targets
bin="$CARGO_TARGET_DIR/debug/chronograph"
out="${OUT:-out}"
store="$out/sample-store"
mkdir -p "$out"

echo "== load data/sample into $store"
"$bin" load --store "$store" --authority data/sample/authority.csv data/sample

for query in queries/*.rq; do
  echo
  echo "== $query"
  awk '/^#/ { sub(/^# ?/, ""); print; next } { exit }' "$query"
  "$bin" query --store "$store" --format table --file "$query"
done

echo
echo "== export Turtle"
"$bin" export --store "$store" --format turtle -o "$out/sample.ttl"
"$bin" export --store "$store" --canonical -o "$out/sample.canonical.nq"
echo "done: $out/sample.ttl"
echo
echo "To browse and query it: $bin serve --store $store   (then open http://127.0.0.1:7878/)"
