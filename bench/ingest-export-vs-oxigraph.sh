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

DOCUMENTS="${1:-10000}"
case "$DOCUMENTS" in ''|*[!0-9]*) echo "usage: $0 [DOCUMENTS]" >&2; exit 2 ;; esac
EVENTS=$((DOCUMENTS / 5))
PEOPLE=$((DOCUMENTS / 50 > 10 ? DOCUMENTS / 50 : 10))
OXIGRAPH_VERSION="${OXIGRAPH_VERSION:-0.5.13}"
TOOLS="${CHRONOGRAPH_TOOLS:-$HOME/.cache/chronograph/tools}"
OUT_DIR="${OUT_DIR:-out/bench}"
WORK="${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/chronograph-ingest.XXXXXX")}"
BASE="http://localhost:7878/"
mkdir -p "$OUT_DIR"
trap 'rm -rf "$WORK"' EXIT

say() { printf '\n== %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------
bash scripts/bootstrap.sh
if [ ! -x /usr/bin/time ]; then
  say "installing GNU time (for peak RSS)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi
oxigraph="$TOOLS/bin/oxigraph"
if ! { [ -x "$oxigraph" ] && "$oxigraph" --version 2>/dev/null | grep -q " $OXIGRAPH_VERSION\$"; }; then
  say "installing oxigraph-cli $OXIGRAPH_VERSION into $TOOLS (RocksDB from source: 15+ minutes on 2 cores)"
  CARGO_TARGET_DIR="$HOME/.cache/chronograph/tools-target" \
    nice -n 10 cargo install oxigraph-cli --locked --version "$OXIGRAPH_VERSION" --root "$TOOLS"
fi
say "building chronograph (release)"
# The same build as bench/serve-vs-oxigraph.sh, so the two share one release RocksDB.
cargo build --release --locked --bin chronograph --example sparql_load
chronograph="$CARGO_TARGET_DIR/release/chronograph"

# measure NAME COMMAND...: runs it under /usr/bin/time -v; records seconds and peak RSS (KiB).
declare -A SECONDS_OF RSS_OF
measure() {
  local name="$1"; shift
  /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" ||
    { echo "$name failed:" >&2; tail -n 20 "$WORK/$name.err" >&2; exit 1; }
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/$name.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/$name.time")
  SECONDS_OF[$name]=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }')
  RSS_OF[$name]="$rss"
  printf '%-20s %8.2f s  %8.1f MiB\n' "$name" "${SECONDS_OF[$name]}" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" >&2
}

# --- data ------------------------------------------------------------------
say "corpus: $DOCUMENTS documents, $EVENTS events, $PEOPLE people (seed 1, JSON Lines)"
measure gen-corpus "$chronograph" gen-corpus --documents "$DOCUMENTS" --events "$EVENTS" \
  --people "$PEOPLE" --seed 1 --format jsonl --out "$WORK/corpus"
corpus_bytes=$(du -sb "$WORK/corpus" | cut -f1)

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
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
table="$OUT_DIR/ingest-export-$DOCUMENTS.md"
{
  echo "### Ingest and export, $DOCUMENTS documents"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr);" \
       "chronograph $("$chronograph" --version | cut -d' ' -f2) (release) vs oxigraph-cli $OXIGRAPH_VERSION."
  echo "Corpus: \`chronograph gen-corpus --documents $DOCUMENTS --events $EVENTS --people $PEOPLE --seed 1 --format jsonl\`" \
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

# Put the table into BENCHMARKS.md between markers for this size.
begin="<!-- ingest-export-$DOCUMENTS:begin -->"
end="<!-- ingest-export-$DOCUMENTS:end -->"
[ -f BENCHMARKS.md ] || printf '# Benchmarks\n\nMeasured by the scripts in bench/; see bench/README.md.\n' >BENCHMARKS.md
python3 - "$table" "$begin" "$end" <<'EOF'
import sys
table, begin, end = sys.argv[1:]
text = open("BENCHMARKS.md").read()
block = f"{begin}\n{open(table).read().rstrip()}\n{end}"
if begin in text and end in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open("BENCHMARKS.md", "w").write(text)
EOF
say "table written to $table and BENCHMARKS.md"
