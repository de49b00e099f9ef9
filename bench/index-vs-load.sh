#!/usr/bin/env bash
# Benchmark: what building the search index costs a bulk load. The same
# generated corpus loaded twice, one load after the other on one machine:
# `chronograph load --bulk --no-index` (the store and its statistics, the
# index left for later) and `chronograph load --bulk` (the same, with the
# search index of every document and event built from the read of the
# records that counts the statistics); then `chronograph reindex` of the
# second store (the index rebuilt whole from the store). Time and peak RSS
# of each (GNU time). The load without the index counts the statistics in
# a last step whose time it prints: that load minus the step is the load
# without index and statistics, which the goal compares with. Not a test;
# never run by CI. See bench/README.md.
#
#   bash bench/index-vs-load.sh [DOCUMENTS] [--rounds N] [--keep-store DIR]
#
# DOCUMENTS defaults to 10000 (events: a fifth of it; people: a fiftieth).
# --rounds N (default 1) alternates the two loads N times: this machine's
# speed drifts by a third from one minute to the next, and the overhead is
# then taken from the sums of the rounds.
# --keep-store moves the indexed store there at the end (for
# bench/search-vs-oxigraph.sh). Writes out/bench/index-vs-load-N.md and the
# table into BENCHMARKS.md (key index-vs-load-N).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../scripts/env.sh
source scripts/env.sh
# shellcheck source=lib.sh
source bench/lib.sh

KEEP_STORE=""
ROUNDS=1
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep-store) KEEP_STORE="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) positional+=("$1"); shift ;;
  esac
done
DOCUMENTS="$(documents_argument "${positional[@]}")"
[ -z "$KEEP_STORE" ] || [ ! -e "$KEEP_STORE" ] || { echo "$KEEP_STORE exists; give a new folder" >&2; exit 2; }

WORK="${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/chronograph-index.XXXXXX")}"
mkdir -p "$WORK"
BASE="http://localhost:7878/"
trap 'rm -rf "$WORK"' EXIT

ensure_gnu_time
build_chronograph
generate_corpus "$DOCUMENTS"
gigabytes() { du -sb "$1" | awk '{ printf "%.2f GB", $1 / 1e9 }'; }

declare -A CPU_OF
cpu_of() { # name: user + system seconds from GNU time's report
  CPU_OF[$1]=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$WORK/$1.time")
}
plain_total=0 indexed_total=0 plain_cpu=0 indexed_cpu=0 plain_statistics=0
statistics_seconds() { # name: the seconds the load printed for its statistics step
  local line
  line=$(grep '^statistics: counted in' "$WORK/$1.out" || true)
  [ -n "$line" ] || { echo "$1 printed no 'statistics: counted in'" >&2; exit 1; }
  awk '{ print $4 }' <<<"$line"
}
for round in $(seq 1 "$ROUNDS"); do
  suffix=""; [ "$ROUNDS" -eq 1 ] || suffix="-$round"
  say "load without the index$suffix"
  measure "load-no-index$suffix" "$chronograph" load --bulk --no-index --store "$WORK/plain" --base "$BASE" \
    --authority "$WORK/corpus/authority.csv" "$WORK/corpus"
  plain_size=$(gigabytes "$WORK/plain")
  rm -rf "$WORK/plain" # room on the disk: at 1M a store is 16 GB

  say "load with the index$suffix"
  rm -rf "$WORK/indexed"
  measure "load-indexed$suffix" "$chronograph" load --bulk --store "$WORK/indexed" --base "$BASE" \
    --authority "$WORK/corpus/authority.csv" "$WORK/corpus"
  indexed_line=$(grep '^search index:' "$WORK/load-indexed$suffix.out" || true)
  cpu_of "load-no-index$suffix"; cpu_of "load-indexed$suffix"
  plain_total=$(awk -v a="$plain_total" -v b="${SECONDS_OF[load-no-index$suffix]}" 'BEGIN { print a + b }')
  indexed_total=$(awk -v a="$indexed_total" -v b="${SECONDS_OF[load-indexed$suffix]}" 'BEGIN { print a + b }')
  plain_cpu=$(awk -v a="$plain_cpu" -v b="${CPU_OF[load-no-index$suffix]}" 'BEGIN { print a + b }')
  indexed_cpu=$(awk -v a="$indexed_cpu" -v b="${CPU_OF[load-indexed$suffix]}" 'BEGIN { print a + b }')
  plain_statistics=$(awk -v a="$plain_statistics" -v b="$(statistics_seconds "load-no-index$suffix")" 'BEGIN { print a + b }')
  peak_rss=$(awk -v a="${peak_rss:-0}" -v b="${RSS_OF[load-indexed$suffix]}" 'BEGIN { print (b > a) ? b : a }')
done
index_size=$(gigabytes "$WORK/indexed/search-index")
store_size=$(gigabytes "$WORK/indexed")
rm -rf "$WORK/corpus"

say "reindex"
measure reindex "$chronograph" reindex --store "$WORK/indexed"
reindex_line=$(tail -n 1 "$WORK/reindex.out")

cpu_of reindex
overhead=$(awk -v a="$indexed_total" -v b="$plain_total" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }')
cpu_overhead=$(awk -v a="$indexed_cpu" -v b="$plain_cpu" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }')
bare_total=$(awk -v a="$plain_total" -v s="$plain_statistics" 'BEGIN { print a - s }')
both_overhead=$(awk -v a="$indexed_total" -v b="$bare_total" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }')
met_time=$(awk -v a="$indexed_total" -v b="$bare_total" 'BEGIN { print (a <= 1.25 * b) ? "**met**" : "not met" }')
met_rss=$(awk -v k="$peak_rss" 'BEGIN { print (k < 2 * 1024 * 1024) ? "**met**" : "not met" }')
row() { # name what
  printf '| %s | %s | %.2f | %.2f | %s |\n' "$1" "$2" "${SECONDS_OF[$1]}" "${CPU_OF[$1]}" "$(mib "${RSS_OF[$1]}")"
}
table="$OUT_DIR/index-vs-load-$DOCUMENTS.md"
{
  echo "### Search index during a bulk load, $DOCUMENTS documents"
  echo
  echo "$(machine); $("$chronograph" --version) (release); one command after the other."
  echo "Command: \`bash bench/index-vs-load.sh $DOCUMENTS$([ "$ROUNDS" -eq 1 ] || echo " --rounds $ROUNDS")\`. Corpus: \`$corpus_command\` ($(awk -v b="$corpus_bytes" 'BEGIN { printf "%.0f MB", b / 1e6 }'))."
  echo "Stores: without the index $plain_size; with it $store_size, of which the index $index_size. The indexed load printed \`$indexed_line\`; reindex printed \`$reindex_line\`."
  echo "Both loads count the statistics; the indexed one counts them from the read of the records that builds the index."
  echo
  echo "| command | what | seconds | CPU seconds | peak RSS MiB |"
  echo "|---|---|--:|--:|--:|"
  for round in $(seq 1 "$ROUNDS"); do
    suffix=""; [ "$ROUNDS" -eq 1 ] || suffix="-$round"
    row "load-no-index$suffix" '`load --bulk --no-index`'
    row "load-indexed$suffix" '`load --bulk` (the statistics counted and the index built from one read of the loaded store)'
  done
  row reindex '`reindex` (the index rebuilt whole)'
  echo
  echo "Statistics counted in the last step of the load without the index: $(printf '%.2f' "$plain_statistics") s$([ "$ROUNDS" -eq 1 ] || echo " (sums of $ROUNDS rounds)")."
  echo
  echo "Index and statistics during the load: $both_overhead of the load's time without them ($(printf '%.2f' "$indexed_total") s vs $(printf '%.2f' "$bare_total") s; goal ≤ +25%: $met_time). Against the load without the index (with its statistics step): $overhead of its time ($cpu_overhead of its CPU time$([ "$ROUNDS" -eq 1 ] || echo "; sums of $ROUNDS rounds")). Peak RSS $(mib "$peak_rss") MiB (goal < 2 GiB: $met_rss)."
} >"$table"
echo
cat "$table"
put_in_benchmarks "index-vs-load-$DOCUMENTS" "$table"
if [ -n "$KEEP_STORE" ]; then
  mv "$WORK/indexed" "$KEEP_STORE"
  say "the indexed store is in $KEEP_STORE"
fi
