#!/usr/bin/env bash
# Benchmark: ingest and export, chronograph against oxigraph-cli, on the same
# generated corpus, one tool at a time, each step under /usr/bin/time -v (wall
# time and peak resident memory). Not a test; never run by CI.
#
#   bash bench/ingest-export-vs-oxigraph.sh [DOCUMENTS] [--no-peer-load]
#                                           [--exports turtle,nquads] [--keep-store DIR]
#                                           [--gzip-peer-input] [--exports-to-pipe]
#                                           [--peer-named-graphs-only]
#
# DOCUMENTS defaults to 10000 (a quick run); 1000000 is the full one. The corpus
# has DOCUMENTS/5 events and DOCUMENTS/50 people (seed 1, JSON Lines).
#   ingest: chronograph load --bulk (JSONL -> store: read, resolve mentions, map,
#           write the source graphs, the union graph and provenance; streaming)
#           vs oxigraph load of exactly the quads that load wrote, as N-Quads
#   export: chronograph export --format turtle | nquads vs oxigraph dump, same store content
# BULK_MEMORY=MB: chronograph load's --bulk-memory (default 256, as the CLI's).
# --no-peer-load: no oxigraph load (at 1M its N-Quads input alone is ~25 GB);
#   oxigraph dump then reads chronograph's store (an Oxigraph store).
# --gzip-peer-input: oxigraph load reads the N-Quads gzipped (gzip -1; it
#   decompresses .gz itself), for disks without room for ~25 GB at 1M.
# --exports-to-pipe: both exports go to a pipe counted by wc -l, not to a file
#   (no disk needed; oxigraph dump is slower to standard output than to a file).
# --peer-named-graphs-only: oxigraph load gets the named graphs' quads only,
#   not the union graph chronograph derives from them: the same information,
#   so the ratio says what keeping the union graph costs (the table says so).
# --exports: which export rows to measure (`none` for the ingest rows alone).
#   --keep-store: move the loaded store there at the end (for
#   bench/serve-vs-oxigraph.sh --store DIR). It stays on the disk while oxigraph
#   loads: at 1,000,000 documents that is 16 GB more than the run's ~50 GB, and
#   with 61 GB free `oxigraph load` ran out of disk writing its last files.
# Writes out/bench/ingest-export-N.md and puts the table into BENCHMARKS.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../scripts/env.sh
source scripts/env.sh
# shellcheck source=lib.sh
source bench/lib.sh
PEER_LOAD=1
BULK_MEMORY="${BULK_MEMORY:-256}" # load --bulk-memory (MB), 256 by default as in the CLI
EXPORTS="turtle,nquads"
KEEP_STORE=""
PEER_GZIP=0
EXPORTS_TO_PIPE=0
PEER_WITH_UNION=1
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-peer-load) PEER_LOAD=0; shift ;;
    --exports) EXPORTS="$2"; shift 2 ;;
    --keep-store) KEEP_STORE="$2"; shift 2 ;;
    --gzip-peer-input) PEER_GZIP=1; shift ;;
    --exports-to-pipe) EXPORTS_TO_PIPE=1; shift ;;
    --peer-named-graphs-only) PEER_WITH_UNION=0; shift ;;
    *) positional+=("$1"); shift ;;
  esac
done
DOCUMENTS="$(documents_argument "${positional[@]}")"

WORK="${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/chronograph-ingest.XXXXXX")}"
BASE="http://localhost:7878/"
trap 'rm -rf "$WORK"' EXIT

# --- tools and data --------------------------------------------------------
ensure_gnu_time
ensure_oxigraph
build_chronograph
generate_corpus "$DOCUMENTS"

# --- ingest ----------------------------------------------------------------
say "ingest"
measure cg-load "$chronograph" load --bulk --bulk-memory "$BULK_MEMORY" --store "$WORK/cg-store" --base "$BASE" \
  --authority "$WORK/corpus/authority.csv" "$WORK/corpus"
tail -n 1 "$WORK/cg-load.out" >&2
rm -rf "$WORK/corpus" # room on the disk: at 1M the corpus is 7 GB
gigabytes() { du -sb "$1" | awk '{ printf "%.1f GB", $1 / 1e9 }'; }
stores_line="Stores on disk: chronograph's $(gigabytes "$WORK/cg-store") (compacted by its load)"

# --- export ----------------------------------------------------------------
# Each tool writes its export to a file, as a user would (-o / --file), then
# the file is counted and removed. --exports-to-pipe writes both to a pipe
# counted by wc -l instead, for disks without room: at 1,000,000 documents
# chronograph's N-Quads passed 17 GB and oxigraph's dump has twice the lines.
# oxigraph dump writes to standard output more slowly than to a file (10,000
# documents: Turtle 5.03 s to a pipe, 3.58 s to a file), so the two kinds differ.
# chronograph's exports run right after its load, and its store is then
# removed (or moved to --keep-store) before oxigraph's load: at 1,000,000
# documents the two stores together need more than 60 GB.
declare -A LINES_OF
measure_export() { # NAME FILE COMMAND... (COMMAND writes to FILE)
  local name="$1" file="$2"; shift 2
  measure "$name" "$@"
  LINES_OF[$name]=$(wc -l <"$file" | tr -d ' ')
  rm -f "$file"
}
measure_piped_export() { # NAME COMMAND... (COMMAND writes to standard output)
  local name="$1"; shift
  measure "$name" bash -o pipefail -c '"$@" | wc -l' _ "$@"
  LINES_OF[$name]=$(tr -d ' ' <"$WORK/$name.out")
}
# export_rows TOOL STORE: TOOL's (cg or ox) exports of STORE, those of --exports.
export_rows() {
  local tool="$1" store="$2" format
  for format in turtle nquads; do
    [[ ",$EXPORTS," == *,$format,* ]] || continue
    local name="$tool-$format" file="$WORK/$tool.$format"
    local -a command
    if [ "$tool" = cg ]; then
      command=("$chronograph" export --store "$store" --base "$BASE" --format "$format")
    elif [ "$format" = turtle ]; then
      command=("$oxigraph" dump --location "$store" --graph "${BASE}graph/union" --format ttl)
    else
      command=("$oxigraph" dump --location "$store" --format nq)
    fi
    if [ "$EXPORTS_TO_PIPE" = 1 ]; then
      measure_piped_export "$name" "${command[@]}"
    elif [ "$tool" = cg ]; then
      measure_export "$name" "$file" "${command[@]}" -o "$file"
    else
      measure_export "$name" "$file" "${command[@]}" --file "$file"
    fi
  done
}
say "export (chronograph)"
export_rows cg "$WORK/cg-store"

if [ "$PEER_LOAD" = 1 ]; then
  # Exactly what chronograph's load wrote: every named graph, plus the union graph.
  peer_input="$WORK/all.nq"
  squeeze() { cat; }
  if [ "$PEER_GZIP" = 1 ]; then
    peer_input="$WORK/all.nq.gz"
    squeeze() { gzip -1; }
  fi
  say "writing the peer's input: $peer_input"
  {
    "$chronograph" export --store "$WORK/cg-store" --base "$BASE" --format nquads 2>/dev/null
    if [ "$PEER_WITH_UNION" = 1 ]; then
      "$chronograph" export --store "$WORK/cg-store" --base "$BASE" --format nquads --graph "${BASE}graph/union" 2>/dev/null
    fi
  } | tee >(wc -l >"$WORK/all.count") | squeeze >"$peer_input"
  # the count's process substitution may finish after the pipeline
  for _ in $(seq 600); do [ -s "$WORK/all.count" ] && break; sleep 0.5; done
  quads=$(tr -d ' ' <"$WORK/all.count")
  quads_what="named graphs and union graph"
  [ "$PEER_WITH_UNION" = 0 ] && quads_what="the named graphs only, not the union graph chronograph derives from them (--peer-named-graphs-only)"
  [ "$PEER_GZIP" = 1 ] && quads_what="$quads_what; oxigraph read them gzipped"
  if [ -n "$KEEP_STORE" ]; then
    rm -rf "$KEEP_STORE"
    mv "$WORK/cg-store" "$KEEP_STORE"
    say "store kept in $KEEP_STORE"
  else
    rm -rf "$WORK/cg-store"
  fi
  measure ox-load "$oxigraph" load --location "$WORK/ox-store" --file "$peer_input"
  rm "$peer_input"
  # chronograph's load ends by compacting its store; oxigraph's does not (it
  # advises `oxigraph optimize`), so that is timed too, and its dumps read the
  # compacted store, as chronograph's do.
  measure ox-optimize "$oxigraph" optimize --location "$WORK/ox-store"
  stores_line="$stores_line, oxigraph's $(gigabytes "$WORK/ox-store") (after \`oxigraph optimize\`)"
  say "export (oxigraph)"
  export_rows ox "$WORK/ox-store"
else
  quads=$(sed -n 's/^store .*: \([0-9]*\) quads$/\1/p' "$WORK/cg-load.out")
  quads_what="named graphs; the union graph holds about as many again"
  say "export (oxigraph, of chronograph's store)"
  export_rows ox "$WORK/cg-store"
  if [ -n "$KEEP_STORE" ]; then
    rm -rf "$KEEP_STORE"
    mv "$WORK/cg-store" "$KEEP_STORE"
    say "store kept in $KEEP_STORE"
  fi
fi
cg_nq="${LINES_OF[cg-nquads]:-}"
ox_nq="${LINES_OF[ox-nquads]:-}"
export_target="Both tools write their exports to a file."
[ "$EXPORTS_TO_PIPE" = 1 ] && export_target="Both tools write their exports to a pipe counted by \`wc -l\`."

# --- report ----------------------------------------------------------------
table="$OUT_DIR/ingest-export-$DOCUMENTS-bulk-memory-$BULK_MEMORY.md"
seconds() { echo "${SECONDS_OF[$1]:-}"; }
shown() { if [ -n "${SECONDS_OF[$1]:-}" ]; then echo "${SECONDS_OF[$1]} s"; else echo "not run"; fi; }
rss() { if [ -n "${RSS_OF[$1]:-}" ]; then echo "$(mib "${RSS_OF[$1]}") MiB"; else echo "-"; fi; }
both() { [ -n "${SECONDS_OF[$1]:-}" ] && [ -n "${SECONDS_OF[$2]:-}" ]; }
# throughput ratio: (statements_a / seconds_a) / (statements_b / seconds_b)
throughput_ratio() { awk -v na="$1" -v ta="$2" -v nb="$3" -v tb="$4" 'BEGIN { if (ta > 0 && tb > 0 && nb > 0) printf "%.2f", (na / ta) / (nb / tb); else print "n/a" }'; }
{
  title_suffix=""
  [ "$BULK_MEMORY" = 256 ] || title_suffix=", --bulk-memory $BULK_MEMORY"
  echo "### Ingest and export, $DOCUMENTS documents$title_suffix"
  echo
  echo "$(machine); chronograph $("$chronograph" --version | cut -d' ' -f2) (release) vs oxigraph-cli $OXIGRAPH_VERSION."
  echo "Corpus: \`$corpus_command\`" \
       "($(awk -v b="$corpus_bytes" 'BEGIN { printf "%.0f MB", b / 1e6 }') in ${SECONDS_OF[gen-corpus]} s); $quads quads in the store ($quads_what)."
  if [ "$PEER_LOAD" = 1 ]; then
    echo "oxigraph's exports read the store \`oxigraph load\` built from the same quads."
  else
    echo "No \`oxigraph load\` at this size (--no-peer-load): oxigraph's exports read chronograph's store (an Oxigraph store)."
  fi
  echo "$stores_line. $export_target"
  if both cg-nquads ox-nquads; then
    echo "The N-Quads dumps hold $cg_nq (chronograph, union graph left out) and $ox_nq (oxigraph, all graphs) lines: the N-Quads ratio is per statement."
  fi
  echo
  echo "| step | chronograph | oxigraph | ratio | goal | peak RSS chronograph | peak RSS oxigraph |"
  echo "|---|--:|--:|--:|--:|--:|--:|"
  ingest_ratio="n/a"
  both cg-load ox-load && ingest_ratio="$(ratio "$(seconds cg-load)" "$(seconds ox-load)")× the time"
  echo "| ingest: \`load --bulk --bulk-memory $BULK_MEMORY\` JSONL (compaction included) vs \`oxigraph load\` of the same quads (N-Quads) | $(shown cg-load) | $(shown ox-load) | $ingest_ratio | ≤ 1.25× | $(rss cg-load) | $(rss ox-load) |"
  if both cg-load ox-optimize; then
    ox_total=$(awk -v a="$(seconds ox-load)" -v b="$(seconds ox-optimize)" 'BEGIN { printf "%.2f", a + b }')
    echo "| ingest to a compacted store: the same vs \`oxigraph load\` + \`oxigraph optimize\` ($(seconds ox-optimize) s) | $(shown cg-load) | $ox_total s | $(ratio "$(seconds cg-load)" "$ox_total")× the time | ≤ 1.25× | $(rss cg-load) | $(rss ox-optimize) (optimize) |"
  fi
  if both cg-turtle ox-turtle; then
    echo "| export Turtle (union graph, the same triples) | $(shown cg-turtle) | $(shown ox-turtle) | $(ratio "$(seconds ox-turtle)" "$(seconds cg-turtle)")× the throughput | ≥ 1.0× | $(rss cg-turtle) | $(rss ox-turtle) |"
  fi
  if both cg-nquads ox-nquads; then
    echo "| export N-Quads | $(shown cg-nquads) | $(shown ox-nquads) | $(throughput_ratio "$cg_nq" "$(seconds cg-nquads)" "$ox_nq" "$(seconds ox-nquads)")× the throughput | ≥ 1.0× | $(rss cg-nquads) | $(rss ox-nquads) |"
  fi
} >"$table"
cat "$table"

key="ingest-export-$DOCUMENTS"
[ "$BULK_MEMORY" = 256 ] || key="$key-bulk-memory-$BULK_MEMORY"
[ "$PEER_WITH_UNION" = 1 ] || key="$key-named-graphs-peer"
put_in_benchmarks "$key" "$table"
