#!/usr/bin/env bash
# Benchmark: `chronograph serve` against `oxigraph serve-read-only` on the same
# data, the same queries (queries/*.rq), the same default graph, the same
# concurrency and the same number of requests, one server at a time, on
# 127.0.0.1 only. Not a test; never run by CI. See bench/README.md.
#
#   bash bench/serve-vs-oxigraph.sh [--documents N | --store DIR]
#                                   [--concurrency N] [--requests N] [--warmup N]
#                                   [--max-seconds S] [--queries 'GLOB'] [--label NAME]
#
# The data: data/sample (default; oxigraph gets its own store, loaded with the
# same quads and optimized), or a generated corpus of N documents loaded with
# `chronograph load --bulk` (--documents), or an existing chronograph store
# (--store; with --documents N too, N only labels the table). With --documents and --store both servers open the same store
# folder read-only (chronograph's store is an Oxigraph store).
#
# Writes out/bench/serve-vs-oxigraph[-N][-NAME].md (the markdown table), the raw
# measurements next to it (*.jsonl), and the table into BENCHMARKS.md. --label
# NAME keeps a run with other queries apart from the samples' table, e.g.
# --queries 'bench/floor/*.rq' --label floor (what reading the whole archive
# costs at the least).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../scripts/env.sh
source scripts/env.sh

CONCURRENCY="${CONCURRENCY:-4}"
REQUESTS="${REQUESTS:-1000}"       # measured requests per query per server
WARMUP="${WARMUP:-10}"             # unmeasured requests per query per server
MAX_SECONDS="${MAX_SECONDS:-60}"   # hard cap per query per server
QUERY_TIMEOUT="${QUERY_TIMEOUT:-60}" # both servers' time limit of one query, in seconds
QUERIES="${QUERIES:-queries/*.rq}"
CG_PORT="${CG_PORT:-7901}"
OX_PORT="${OX_PORT:-7902}"
BASE="http://localhost:7878/"
UNION_GRAPH="${BASE}graph/union"

DOCUMENTS=""
STORE=""
LABEL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --documents) DOCUMENTS="$2"; shift 2 ;;
    --store) STORE="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --max-seconds) MAX_SECONDS="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=lib.sh
source bench/lib.sh

# shellcheck disable=SC2206
query_files=($QUERIES)
[ -f "${query_files[0]}" ] || { echo "no query files match $QUERIES" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is needed (to wait for the servers)" >&2; exit 2; }

# --- tools -----------------------------------------------------------------
ensure_oxigraph
build_chronograph
load="$sparql_load"

# --- data ------------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/chronograph-bench.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$DOCUMENTS" ] || [ -n "$STORE" ]; then
  case "$DOCUMENTS" in *[!0-9]*) echo "--documents takes a number" >&2; exit 2 ;; esac
  if [ -z "$STORE" ]; then
    WORK="$tmp"
    ensure_gnu_time
    generate_corpus "$DOCUMENTS"
    say "loading the corpus (load --bulk)"
    "$chronograph" load --bulk --store "$tmp/cg-store" --base "$BASE" \
      --authority "$tmp/corpus/authority.csv" "$tmp/corpus" >"$tmp/load.txt"
    tail -n 1 "$tmp/load.txt" >&2
    rm -rf "$tmp/corpus"
    cg_store="$tmp/cg-store"
    data_line="a generated corpus (\`$corpus_command\`), loaded with \`load --bulk\`"
  else
    [ -d "$STORE" ] || { echo "--store $STORE: no such folder" >&2; exit 2; }
    cg_store="$STORE"
    data_line="the chronograph store $STORE${DOCUMENTS:+ ($DOCUMENTS documents)}"
  fi
  # Both servers open the same store folder read-only: the same data by construction.
  ox_store="$cg_store"
  quads=$("$chronograph" query --store "$cg_store" --base "$BASE" --format tsv \
    'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <'"$UNION_GRAPH"'>) }' | tail -n 1 | sed 's/"//g; s/\^\^.*//')
  union_triples=$("$chronograph" query --store "$cg_store" --base "$BASE" --format tsv \
    'SELECT (COUNT(*) AS ?n) WHERE { GRAPH <'"$UNION_GRAPH"'> { ?s ?p ?o } }' | tail -n 1 | sed 's/"//g; s/\^\^.*//')
  same_folder=1
  suffix="-${DOCUMENTS:-store}"
  # The samples look up a document and two people of data/sample. A generated
  # corpus has others: ask about the first document and the first two people
  # of an event that the store lists, so that the lookups find rows.
  pick() {
    "$chronograph" query --store "$cg_store" --base "$BASE" --format tsv "$1" | sed -n 2p
  }
  unquote() { sed 's/^"//; s/"$//'; }
  signature=$(pick 'PREFIX cg: <https://w3id.org/chronograph/ontology#>
    SELECT ?s WHERE { GRAPH <'"$UNION_GRAPH"'> { ?d cg:archiveSignature ?s } } LIMIT 1' | unquote)
  pair=$(pick 'PREFIX schema: <https://schema.org/> PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
    SELECT ?na ?nb WHERE { GRAPH <'"$UNION_GRAPH"'> {
      ?e sem:hasActor ?a, ?b . FILTER(STR(?a) < STR(?b)) ?a schema:name ?na . ?b schema:name ?nb } } LIMIT 1')
  name_a=$(printf '%s' "$pair" | cut -f1 | unquote)
  name_b=$(printf '%s' "$pair" | cut -f2 | unquote)
  for value in "$signature" "$name_a" "$name_b"; do
    case "$value" in "" | *[\\\|\&\"]*) echo "cannot use '$value' as a query parameter" >&2; exit 1 ;; esac
  done
  mkdir -p "$tmp/queries"
  for f in "${query_files[@]}"; do
    sed -e "s|\"PRC FMA 109-02833-03\"|\"$signature\"|g" \
        -e "s|\"Kim Il Sung\"|\"$name_a\"|g" \
        -e "s|\"Nikita Khrushchev\"|\"$name_b\"|g" "$f" >"$tmp/queries/$(basename "$f")"
  done
  query_files=("$tmp/queries"/*.rq)
  data_line="$data_line; the samples' document and people replaced by ones of the corpus: archive signature \"$signature\", people \"$name_a\" and \"$name_b\""
else
  say "loading data/sample into a chronograph store"
  "$chronograph" load --store "$tmp/cg-store" --base "$BASE" --authority data/sample/authority.csv data/sample >"$tmp/load.txt"
  tail -n 1 "$tmp/load.txt" >&2

  say "exporting it for oxigraph: every named graph, plus the union graph as a named graph"
  # N-Quads of the whole store leave out the derived union graph; exporting that
  # one graph as N-Quads keeps its name. One file, so blank nodes stay shared.
  "$chronograph" export --store "$tmp/cg-store" --base "$BASE" --format nquads -o "$tmp/graphs.nq"
  "$chronograph" export --store "$tmp/cg-store" --base "$BASE" --format nquads --graph "$UNION_GRAPH" -o "$tmp/union.nq"
  cat "$tmp/graphs.nq" "$tmp/union.nq" >"$tmp/all.nq"
  "$oxigraph" load --location "$tmp/ox-store" --file "$tmp/all.nq" >"$tmp/ox-load.log" 2>&1 ||
    { cat "$tmp/ox-load.log" >&2; exit 1; }
  # Oxigraph's advice for a read-only endpoint under load: compact the store first.
  "$oxigraph" optimize --location "$tmp/ox-store" >&2
  quads=$(wc -l <"$tmp/graphs.nq" | tr -d ' ')
  union_triples=$(wc -l <"$tmp/union.nq" | tr -d ' ')

  cg_store="$tmp/cg-store"
  ox_store="$tmp/ox-store"
  data_line="data/sample"
  same_folder=0
  suffix=""
fi
case "$LABEL" in *[!a-z0-9-]*) echo "--label takes lowercase letters, digits and dashes" >&2; exit 2 ;; esac
suffix="$suffix${LABEL:+-$LABEL}"
echo "data: $quads quads in the named graphs + $union_triples triples in the union graph" >&2

# --- servers ---------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$CG_PORT" "$OX_PORT"; do
  port_free "$port" || { echo "port $port is in use; set CG_PORT / OX_PORT" >&2; exit 2; }
done

wait_ready() { # name pid url
  local i
  for i in $(seq 1 300); do
    kill -0 "$2" 2>/dev/null || { echo "$1 exited before answering; its log:" >&2; cat "$tmp/$1.log" >&2; exit 1; }
    if curl -sf -o /dev/null -H 'Accept: application/sparql-results+json' --get --data-urlencode 'query=ASK {}' "$3"; then
      return 0
    fi
    sleep 0.1
  done
  echo "$1 did not answer within 30 s; its log:" >&2
  cat "$tmp/$1.log" >&2
  exit 1
}

cg_endpoint="http://127.0.0.1:$CG_PORT/sparql"
ox_endpoint="http://127.0.0.1:$OX_PORT/query"

say "starting both servers (measured one at a time)"
# --dumps-on-demand: no gzipped dumps written in the background during the run
# (oxigraph serves none); on a large store they would take a core for minutes.
"$chronograph" serve --store "$cg_store" --base "$BASE" --bind "127.0.0.1:$CG_PORT" --timeout "$QUERY_TIMEOUT" --dumps-on-demand >"$tmp/chronograph.log" 2>&1 &
cg_pid=$!
pids+=("$cg_pid")
"$oxigraph" serve-read-only --location "$ox_store" --bind "127.0.0.1:$OX_PORT" --timeout-s "$QUERY_TIMEOUT" >"$tmp/oxigraph.log" 2>&1 &
ox_pid=$!
pids+=("$ox_pid")
wait_ready chronograph "$cg_pid" "$cg_endpoint"
wait_ready oxigraph "$ox_pid" "$ox_endpoint"
echo "chronograph pid $cg_pid at $cg_endpoint; oxigraph pid $ox_pid at $ox_endpoint" >&2

# The two stores must hold the same data: the same quads in each named graph,
# and blank nodes shared between the graphs and the union graph as in chronograph.
cat >"$tmp/data-quads-per-graph.rq" <<'EOF'
SELECT ?g (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g
EOF
cat >"$tmp/data-blank-nodes.rq" <<'EOF'
SELECT (COUNT(DISTINCT ?b) AS ?blank_nodes) WHERE { GRAPH ?g { ?b ?p ?o } FILTER(isBlank(?b)) }
EOF

say "checking that both servers give the same results (rows: chronograph / oxigraph)"
# The data checks go without default-graph-uri: with it, the protocol's
# dataset holds no named graphs on oxigraph.
if [ "$same_folder" = 1 ]; then
  echo "both servers read the same store folder: the data check is left out" | tee "$tmp/check.txt"
else
  "$load" check --strict-values --endpoint "$cg_endpoint" --endpoint "$ox_endpoint" \
    --query-file "$tmp/data-quads-per-graph.rq" "$tmp/data-blank-nodes.rq" | tee "$tmp/check.txt"
fi
# A query that fails here (e.g. over the servers' time limit on a large store)
# is reported and measured all the same: its errors show in the table.
"$load" check --endpoint "$cg_endpoint" --endpoint "$ox_endpoint" \
  --default-graph-uri "$UNION_GRAPH" --query-file "${query_files[@]}" | tail -n +2 | tee -a "$tmp/check.txt" ||
  echo "warning: the result check failed (see above); measuring all the same" | tee -a "$tmp/check.txt" >&2

cpu_seconds() { # pid: user+system CPU time so far
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / hz }' "/proc/$1/stat"
}
peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

mkdir -p "$OUT_DIR"
loadavg="$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="${loadavg%% *}" 'BEGIN { exit !(l > 0.5) }'; then
  echo "note: load average $loadavg (this script's own build and load count too); other work on the machine skews the numbers" >&2
fi
measure_server() { # label pid endpoint
  say "measuring $1: ${#query_files[@]} queries x $REQUESTS requests, concurrency $CONCURRENCY, warm-up $WARMUP, cap ${MAX_SECONDS}s per query"
  local before after status=0
  before=$(cpu_seconds "$2")
  "$load" run --label "$1" --endpoint "$3" --default-graph-uri "$UNION_GRAPH" \
    --concurrency "$CONCURRENCY" --requests "$REQUESTS" --warmup "$WARMUP" --max-seconds "$MAX_SECONDS" \
    --json --query-file "${query_files[@]}" >"$OUT_DIR/$1.jsonl" || status=$?
  after=$(cpu_seconds "$2")
  kill -0 "$2" 2>/dev/null || { echo "$1 died during the run; its log:" >&2; cat "$tmp/$1.log" >&2; exit 1; }
  eval "${1}_cpu=$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.3f", b - a }')"
  eval "${1}_rss=$(peak_rss_kb "$2")"
  [ "$status" -eq 0 ] || echo "warning: $1 had failed requests (exit $status); see first_error in $OUT_DIR/$1.jsonl" >&2
}
measure_server chronograph "$cg_pid" "$cg_endpoint"
measure_server oxigraph "$ox_pid" "$ox_endpoint"

# --- report ----------------------------------------------------------------
say "report"
cg_version="$("$chronograph" --version)"
ox_version="$("$oxigraph" --version)"
{
  echo "### \`chronograph serve\` vs \`oxigraph serve-read-only\`${DOCUMENTS:+, $DOCUMENTS documents}${LABEL:+, $LABEL queries (${QUERIES})}"
  echo
  echo "Machine: $(nproc) cores, $(uname -m), $(uname -sr); load average $loadavg before the runs; $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo "Versions: $cg_version (oxigraph $OXIGRAPH_VERSION library, release build); $ox_version (\`cargo install oxigraph-cli --locked\`); $(rustc --version | cut -d' ' -f1-2)."
  echo "Data: $data_line ($quads quads in named graphs; both servers answer over the union graph <$UNION_GRAPH>, $union_triples triples, sent as \`default-graph-uri\`)."
  echo "Load: \`examples/sparql_load\` on the same machine, GET + \`Accept: application/sparql-results+json\`, $CONCURRENCY concurrent keep-alive connections, $WARMUP warm-up then $REQUESTS measured requests per query per server, one server at a time, cap ${MAX_SECONDS} s per query; chronograph with \`--dumps-on-demand\` (no dumps written in the background)."
  echo
  "$load" report --results "$OUT_DIR/chronograph.jsonl" --results "$OUT_DIR/oxigraph.jsonl" \
    --rss-kb "$chronograph_rss" "$oxigraph_rss" --cpu-seconds "$chronograph_cpu" "$oxigraph_cpu"
} >"$OUT_DIR/serve-vs-oxigraph$suffix.md"
cp "$tmp/check.txt" "$OUT_DIR/check.txt"
echo
cat "$OUT_DIR/serve-vs-oxigraph$suffix.md"
echo
put_in_benchmarks "serve${suffix:--sample}" "$OUT_DIR/serve-vs-oxigraph$suffix.md"
echo "written: $OUT_DIR/serve-vs-oxigraph$suffix.md (raw: $OUT_DIR/chronograph.jsonl, $OUT_DIR/oxigraph.jsonl)" >&2
