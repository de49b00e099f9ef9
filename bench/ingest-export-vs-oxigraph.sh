#!/usr/bin/env bash
# Benchmark: ingest and export, chronograph against oxigraph-cli, on the same
# generated corpus, one tool at a time, each step under /usr/bin/time -v (wall
# time and peak resident memory). Not a test; never run by CI.
#
#   bash bench/ingest-export-vs-oxigraph.sh [DOCUMENTS]
#
# DOCUMENTS defaults to 10000 (a quick run); 1000000 is the full one. The corpus
# has DOCUMENTS/5 events and DOCUMENTS/50 people (seed 1, JSON Lines).
#   ingest: chronograph load --bulk (JSONL -> store: read, resolve mentions, map,
#           write the source graphs, the union graph and provenance; streaming)
#           vs oxigraph load of exactly the quads that load wrote, as N-Quads
#   export: chronograph export --format turtle | nquads vs oxigraph dump, same store content
# Writes out/bench/ingest-export-N.md and puts the table into BENCHMARKS.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../scripts/env.sh
source scripts/env.sh
# shellcheck source=lib.sh
source bench/lib.sh
DOCUMENTS="$(documents_argument "$@")"

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
measure cg-load "$chronograph" load --bulk --store "$WORK/cg-store" --base "$BASE" \
  --authority "$WORK/corpus/authority.csv" "$WORK/corpus"
tail -n 1 "$WORK/cg-load.out" >&2
# Exactly what chronograph's load wrote: every named graph, plus the union graph.
"$chronograph" export --store "$WORK/cg-store" --base "$BASE" --format nquads -o "$WORK/graphs.nq" 2>/dev/null
"$chronograph" export --store "$WORK/cg-store" --base "$BASE" --format nquads --graph "${BASE}graph/union" -o "$WORK/union.nq" 2>/dev/null
cat "$WORK/graphs.nq" "$WORK/union.nq" >"$WORK/all.nq"
rm "$WORK/graphs.nq" "$WORK/union.nq"
quads=$(wc -l <"$WORK/all.nq" | tr -d ' ')
measure ox-load "$oxigraph" load --location "$WORK/ox-store" --file "$WORK/all.nq"
rm "$WORK/all.nq"

# --- export ----------------------------------------------------------------
say "export"
measure cg-turtle "$chronograph" export --store "$WORK/cg-store" --base "$BASE" --format turtle -o "$WORK/cg.ttl"
measure ox-turtle "$oxigraph" dump --location "$WORK/ox-store" --graph "${BASE}graph/union" --file "$WORK/ox.ttl"
rm -f "$WORK/cg.ttl" "$WORK/ox.ttl"
measure cg-nquads "$chronograph" export --store "$WORK/cg-store" --base "$BASE" --format nquads -o "$WORK/cg.nq"
measure ox-nquads "$oxigraph" dump --location "$WORK/ox-store" --file "$WORK/ox.nq"
cg_nq=$(wc -l <"$WORK/cg.nq" | tr -d ' ')
ox_nq=$(wc -l <"$WORK/ox.nq" | tr -d ' ')
rm -f "$WORK/cg.nq" "$WORK/ox.nq"

# --- report ----------------------------------------------------------------
table="$OUT_DIR/ingest-export-$DOCUMENTS.md"
{
  echo "### Ingest and export, $DOCUMENTS documents"
  echo
  echo "$(machine); chronograph $("$chronograph" --version | cut -d' ' -f2) (release) vs oxigraph-cli $OXIGRAPH_VERSION."
  echo "Corpus: \`$corpus_command\`" \
       "($(awk -v b="$corpus_bytes" 'BEGIN { printf "%.0f MB", b / 1e6 }') in ${SECONDS_OF[gen-corpus]} s); $quads quads in the store (named graphs and union graph)."
  echo "The N-Quads dumps hold $cg_nq (chronograph, union graph left out) and $ox_nq (oxigraph, all graphs) lines."
  echo
  echo "| step | chronograph | oxigraph | time ratio (chronograph / oxigraph) | peak RSS chronograph | peak RSS oxigraph |"
  echo "|---|--:|--:|--:|--:|--:|"
  echo "| ingest: \`load --bulk\` JSONL vs \`oxigraph load\` of the same quads (N-Quads) | ${SECONDS_OF[cg-load]} s | ${SECONDS_OF[ox-load]} s | $(ratio "${SECONDS_OF[cg-load]}" "${SECONDS_OF[ox-load]}") | $(mib "${RSS_OF[cg-load]}") MiB | $(mib "${RSS_OF[ox-load]}") MiB |"
  echo "| export Turtle (union graph) | ${SECONDS_OF[cg-turtle]} s | ${SECONDS_OF[ox-turtle]} s | $(ratio "${SECONDS_OF[cg-turtle]}" "${SECONDS_OF[ox-turtle]}") | $(mib "${RSS_OF[cg-turtle]}") MiB | $(mib "${RSS_OF[ox-turtle]}") MiB |"
  echo "| export N-Quads | ${SECONDS_OF[cg-nquads]} s | ${SECONDS_OF[ox-nquads]} s | $(ratio "${SECONDS_OF[cg-nquads]}" "${SECONDS_OF[ox-nquads]}") | $(mib "${RSS_OF[cg-nquads]}") MiB | $(mib "${RSS_OF[ox-nquads]}") MiB |"
} >"$table"
cat "$table"

put_in_benchmarks "ingest-export-$DOCUMENTS" "$table"
