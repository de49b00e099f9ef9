#!/usr/bin/env bash
# Benchmark: mapping records to N-Triples, chronograph against Morph-KGC (RML),
# on the same generated corpus, one tool at a time, each under /usr/bin/time -v
# (wall time and peak resident memory). Not a test; never run by CI.
#
#   bash bench/map-vs-morph-kgc.sh [DOCUMENTS]
#
# DOCUMENTS defaults to 10000 (DOCUMENTS/5 events, DOCUMENTS/50 people; seed 1).
#   chronograph: `chronograph map --format ntriples` of the JSONL files and the
#                authority file (read, resolve mentions, map; both cores)
#   Morph-KGC:   the RML mapping bench/rml/corpus.rml.ttl of the same records,
#                N-Triples, two processes (both cores). Morph-KGC reads JSON,
#                not JSON Lines: the JSONL files are first turned into one JSON
#                array per kind (untimed).
# Morph-KGC $MORPH_KGC_VERSION is installed with pip into a virtualenv under
# $TOOLS. Writes out/bench/map-N.md and puts the table into BENCHMARKS.md.
# MORPH_KGC_MEMORY_CAP_MIB: Morph-KGC is stopped when its processes together
# hold more resident memory than this (default: 85% of the machine's), and the
# table says after how long; it reads each JSON source whole, and at 1,000,000
# documents that is more than this machine has.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../scripts/env.sh
source scripts/env.sh
# shellcheck source=lib.sh
source bench/lib.sh
DOCUMENTS="$(documents_argument "$@")"
MORPH_KGC_MEMORY_CAP_MIB="${MORPH_KGC_MEMORY_CAP_MIB:-$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.85 }' /proc/meminfo)}"

MORPH_KGC_VERSION="${MORPH_KGC_VERSION:-2.10.0}"
WORK="${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/chronograph-map.XXXXXX")}"
trap 'rm -rf "$WORK"' EXIT

# --- tools and data --------------------------------------------------------
ensure_gnu_time
build_chronograph
venv="$TOOLS/morph-kgc-$MORPH_KGC_VERSION"
if ! "$venv/bin/python" -c 'import morph_kgc' 2>/dev/null; then
  say "installing Morph-KGC $MORPH_KGC_VERSION into $venv (pip)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "morph-kgc==$MORPH_KGC_VERSION"
fi
generate_corpus "$DOCUMENTS"

say "JSON arrays for Morph-KGC (untimed)"
mkdir -p "$WORK/rml"
python3 - "$WORK/corpus" "$WORK/rml" <<'PY'
import glob, os, sys
corpus, out = sys.argv[1:]
for kind in ("documents", "events"):
    with open(os.path.join(out, f"{kind}.json"), "w", encoding="utf-8") as json_array:
        json_array.write("[")
        first = True
        for path in sorted(glob.glob(os.path.join(corpus, f"{kind}-*.jsonl"))):
            with open(path, encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        json_array.write(("" if first else ",\n") + line.strip())
                        first = False
        json_array.write("]\n")
PY
cp "$WORK/corpus/authority.csv" "$WORK/rml/"
cat >"$WORK/rml/config.ini" <<INI
[CONFIGURATION]
output_file = $WORK/morph-kgc.nt
output_format = N-TRIPLES
number_of_processes = $(nproc)
logging_level = WARNING

[Corpus]
mappings = $here/bench/rml/corpus.rml.ttl
INI

# --- mapping ---------------------------------------------------------------
say "mapping"
measure cg-map "$chronograph" map --format ntriples --authority "$WORK/corpus/authority.csv" \
  -o "$WORK/chronograph.nt" "$WORK/corpus"
cat "$WORK/cg-map.err" >&2
cg_triples=$(wc -l <"$WORK/chronograph.nt" | tr -d ' ')
rm "$WORK/chronograph.nt"
# Morph-KGC finds the JSON and CSV sources relative to its working directory.
measure_capped mk-map "$MORPH_KGC_MEMORY_CAP_MIB" env -C "$WORK/rml" "$venv/bin/python" -m morph_kgc config.ini
mk_triples=0
[ -f "$WORK/morph-kgc.nt" ] && mk_triples=$(wc -l <"$WORK/morph-kgc.nt" | tr -d ' ')
rm -f "$WORK/morph-kgc.nt"

# --- report ----------------------------------------------------------------
per_second() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }
table="$OUT_DIR/map-$DOCUMENTS.md"
{
  echo "### Mapping records to N-Triples, $DOCUMENTS documents"
  echo
  echo "$(machine); chronograph $("$chronograph" --version | cut -d' ' -f2) (release) vs Morph-KGC $MORPH_KGC_VERSION ($("$venv/bin/python" --version))."
  echo "Corpus: \`$corpus_command\` ($(awk -v b="$corpus_bytes" 'BEGIN { printf "%.0f MB", b / 1e6 }'))."
  echo "chronograph writes more triples than the RML mapping can (typed dates with their bounds, names resolved against the authority file, mentions found in the text); see bench/rml/corpus.rml.ttl."
  echo
  echo "Peak RSS: the largest single process (GNU time; a process killed at the cap is not counted there); for Morph-KGC also all its processes together (proportional set sizes), read once a second."
  if [ -n "${CAPPED_AFTER[mk-map]:-}" ]; then
    echo "Morph-KGC passed the cap of $MORPH_KGC_MEMORY_CAP_MIB MiB (MORPH_KGC_MEMORY_CAP_MIB; 85% of the machine's memory unless set) after ${CAPPED_AFTER[mk-map]} s and was stopped: it did not finish, and its time and triples are those when it was stopped."
  fi
  echo
  echo "| tool | time | triples | triples/s | peak RSS | time ratio (Morph-KGC / chronograph) |"
  echo "|---|--:|--:|--:|--:|--:|"
  echo "| chronograph \`map --format ntriples\` | ${SECONDS_OF[cg-map]} s | $cg_triples | $(per_second "$cg_triples" "${SECONDS_OF[cg-map]}") | $(mib "${RSS_OF[cg-map]}") MiB | |"
  mk_ratio="$(ratio "${SECONDS_OF[mk-map]}" "${SECONDS_OF[cg-map]}")"
  mk_time="${SECONDS_OF[mk-map]} s"
  if [ -n "${CAPPED_AFTER[mk-map]:-}" ]; then
    mk_ratio="none: did not finish"
    mk_time="stopped after $mk_time"
  fi
  echo "| Morph-KGC, RML ($(nproc) processes) | $mk_time | $mk_triples | $(per_second "$mk_triples" "${SECONDS_OF[mk-map]}") | $(mib "${RSS_OF[mk-map]}") MiB ($(mib "${PEAK_SUM_OF[mk-map]}") MiB all processes) | $mk_ratio |"
} >"$table"
cat "$table"
put_in_benchmarks "map-$DOCUMENTS" "$table"
