#!/usr/bin/env bash
# chronograph against an earlier commit of itself, side by side in one run on
# one corpus: `load --bulk` (compaction included), `map` to N-Triples and the
# Turtle and N-Quads exports, each binary twice, alternating. A change that
# should not change speed (a restructuring) shows ratios near 1.00.
#
#   bash bench/before-after.sh REV [DOCUMENTS]     # e.g. d4da33e 100000
#
# The earlier commit is built (release) in a git worktree under the same
# CARGO_TARGET_DIR's sibling, so RocksDB is compiled once. Not a test; never
# run by CI. The table goes into BENCHMARKS.md under `before-after-N`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../scripts/env.sh
source scripts/env.sh
# shellcheck source=lib.sh
source bench/lib.sh
REV="${1:?usage: $0 REV [DOCUMENTS]}"
DOCUMENTS="$(documents_argument "${2:-100000}")"
WORK="${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/chronograph-before-after.XXXXXX")}"
trap 'rm -rf "$WORK"; git worktree remove --force "$WORK/before-src" 2>/dev/null || true' EXIT

ensure_gnu_time
build_chronograph
after="$chronograph"
after_rev="$(git rev-parse --short HEAD)"
before_rev="$(git rev-parse --short "$REV")"
say "building $before_rev (release) in a worktree"
git worktree add --detach "$WORK/before-src" "$REV" >/dev/null
(cd "$WORK/before-src" && CARGO_TARGET_DIR="$CARGO_TARGET_DIR" cargo build --release --locked --bin chronograph)
before="$WORK/before-chronograph"
cp "$CARGO_TARGET_DIR/release/chronograph" "$before"
# The worktree build replaced the release binary: build this commit's again.
cargo build --release --locked --bin chronograph
cp "$CARGO_TARGET_DIR/release/chronograph" "$WORK/after-chronograph"
after="$WORK/after-chronograph"

chronograph="$after"
generate_corpus "$DOCUMENTS"
corpus=("--authority" "$WORK/corpus/authority.csv" "$WORK/corpus")

run_steps() { # label binary round
  local label="$1" bin="$2" round="$3" store="$WORK/store-$1-$3"
  say "$label ($round)"
  measure "$label-load-$round" "$bin" load --bulk --store "$store" "${corpus[@]}"
  measure "$label-map-$round" "$bin" map --output "$WORK/$label.nt" "${corpus[@]}"
  measure "$label-turtle-$round" "$bin" export --store "$store" --format turtle --output "$WORK/$label.ttl"
  measure "$label-nquads-$round" "$bin" export --store "$store" --format nquads --output "$WORK/$label.nq"
  rm -rf "$store" "$WORK/$label.nt" "$WORK/$label.ttl" "$WORK/$label.nq"
}
for round in 1 2; do
  run_steps before "$before" "$round"
  run_steps after "$after" "$round"
done

best() { # step label -> the faster of the two rounds
  awk -v a="${SECONDS_OF[$2-$1-1]}" -v b="${SECONDS_OF[$2-$1-2]}" 'BEGIN { printf "%.2f", (a < b ? a : b) }'
}
peak() { awk -v a="${RSS_OF[$2-$1-1]}" -v b="${RSS_OF[$2-$1-2]}" 'BEGIN { printf "%.0f", (a > b ? a : b) / 1024 }'; }
table="$WORK/before-after.md"
{
  echo "### chronograph $after_rev vs $before_rev, $DOCUMENTS documents"
  echo
  echo "$(machine); release builds. Command: \`bash bench/before-after.sh $before_rev $DOCUMENTS\`."
  echo "Corpus: \`$corpus_command\`. Each step twice per binary, alternating; the faster round is shown, the two rounds of each are in the notes."
  echo
  echo "| step | $before_rev (before) | $after_rev (after) | after / before | peak RSS before | peak RSS after |"
  echo "|---|--:|--:|--:|--:|--:|"
  for step in load map turtle nquads; do
    b=$(best "$step" before); a=$(best "$step" after)
    case "$step" in
      load) what="\`load --bulk\` (compaction included)" ;;
      map) what="\`map\` to N-Triples" ;;
      turtle) what="\`export --format turtle\`" ;;
      nquads) what="\`export --format nquads\`" ;;
    esac
    echo "| $what | $b s | $a s | $(ratio "$a" "$b")× | $(peak "$step" before) MiB | $(peak "$step" after) MiB |"
  done
  echo
  echo -n "Rounds (s):"
  for step in load map turtle nquads; do
    echo -n " $step before ${SECONDS_OF[before-$step-1]}/${SECONDS_OF[before-$step-2]}, after ${SECONDS_OF[after-$step-1]}/${SECONDS_OF[after-$step-2]};"
  done
  echo
} >"$table"
cat "$table" >&2
put_in_benchmarks "before-after-$DOCUMENTS" "$table"
