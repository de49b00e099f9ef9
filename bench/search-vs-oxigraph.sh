#!/usr/bin/env bash
# Benchmark: full-text search and the pages that aggregate, on a store with
# its search index. `chronograph serve`'s /search (one word, two words, a
# phrase, each also narrowed by a facet), its home page, a person page and
# every statistics-*.rq sample, at 4 concurrent clients; against the same
# word searched with FILTER(CONTAINS(LCASE(?text), "word")) on
# `oxigraph serve-read-only` over the same store folder, one server at a
# time, on 127.0.0.1 only. Not a test; never run by CI. See bench/README.md.
#
#   bash bench/search-vs-oxigraph.sh --store DIR [--documents N]
#
# DIR is a chronograph store whose search index is built (`chronograph load`
# builds it; `chronograph reindex` rebuilds it); N labels the table. Before
# measuring, it checks that for each single word chronograph's search (the
# SPARQL search service, every hit) and oxigraph's FILTER find the same set
# of documents and events. Writes out/bench/search[-N].md and the table into
# BENCHMARKS.md (key search[-N]).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../scripts/env.sh
source scripts/env.sh

CONCURRENCY="${CONCURRENCY:-4}"
REQUESTS="${REQUESTS:-400}"          # measured requests per chronograph page or query
PEER_REQUESTS="${PEER_REQUESTS:-8}"  # measured FILTER(CONTAINS) requests on oxigraph
PEER_TIMEOUT="${PEER_TIMEOUT:-900}"  # oxigraph's time limit for one of them, in seconds
CG_PORT="${CG_PORT:-7911}"
OX_PORT="${OX_PORT:-7912}"
# Words of the generated corpus's text that no name, title of another field,
# or longer word contains (so that substring and word match agree).
WORD="${WORD:-cement}"
SECOND_WORD="${SECOND_WORD:-timber}"
PHRASE="${PHRASE:-hydroelectric plant}"
BASE="http://localhost:7878/"
UNION_GRAPH="${BASE}graph/union"

DOCUMENTS=""
STORE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --documents) DOCUMENTS="$2"; shift 2 ;;
    --store) STORE="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$STORE" ] || { echo "give --store DIR (a chronograph store with its search index)" >&2; exit 2; }
[ -d "$STORE/search-index" ] || { echo "$STORE has no search index: run chronograph reindex --store $STORE" >&2; exit 2; }

# shellcheck source=lib.sh
source bench/lib.sh
build_chronograph
ensure_oxigraph

tmp="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$CG_PORT" "$OX_PORT"; do
  port_free "$port" || { echo "port $port is in use; set CG_PORT / OX_PORT" >&2; exit 2; }
done
wait_ready() { # name pid url
  local i
  for i in $(seq 1 600); do
    kill -0 "$2" 2>/dev/null || { echo "$1 exited before answering:" >&2; cat "$tmp/$1.log" >&2; exit 1; }
    curl -sf -o /dev/null -H 'Accept: application/sparql-results+json' --get --data-urlencode 'query=ASK {}' "$3" && return 0
    sleep 0.1
  done
  echo "$1 did not answer within 60 s" >&2
  exit 1
}
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / hz }' "/proc/$1/stat"; }
peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

cg_endpoint="http://127.0.0.1:$CG_PORT/sparql"
ox_endpoint="http://127.0.0.1:$OX_PORT/query"
say "starting both servers on $STORE (read-only; measured one at a time)"
"$chronograph" serve --store "$STORE" --base "$BASE" --bind "127.0.0.1:$CG_PORT" --dumps-on-demand >"$tmp/chronograph.log" 2>&1 &
cg_pid=$!; pids+=("$cg_pid")
"$oxigraph" serve-read-only --location "$STORE" --bind "127.0.0.1:$OX_PORT" --timeout-s "$PEER_TIMEOUT" >"$tmp/oxigraph.log" 2>&1 &
ox_pid=$!; pids+=("$ox_pid")
wait_ready chronograph "$cg_pid" "$cg_endpoint"
wait_ready oxigraph "$ox_pid" "$ox_endpoint"

# The peer's text search: every document's and event's title, summary, text,
# label and description, lower-cased, containing the word.
filter_query() { # word
  cat <<EOF
PREFIX cg: <https://w3id.org/chronograph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?record WHERE {
  GRAPH <$UNION_GRAPH> {
    VALUES ?class { cg:Document cg:Event }
    ?record a ?class ; dcterms:title|dcterms:abstract|schema:text|rdfs:label|schema:description ?text .
    FILTER(CONTAINS(LCASE(STR(?text)), "$1"))
  }
}
EOF
}
service_query() { # word
  cat <<EOF
PREFIX cg: <https://w3id.org/chronograph/ontology#>
SELECT ?record WHERE { SERVICE <https://w3id.org/chronograph/search> { ?record cg:matches "$1" ; cg:limit 100000000 } }
EOF
}
# The search service as a page of a SPARQL client would use it: the 100 best
# hits with their scores, joined with their dates.
service_page_query() { # word
  cat <<EOF
PREFIX cg: <https://w3id.org/chronograph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?record ?score ?date WHERE {
  SERVICE <https://w3id.org/chronograph/search> { ?record cg:matches "$1" ; cg:score ?score ; cg:limit 100 }
  OPTIONAL { ?record dcterms:date ?date }
}
ORDER BY DESC(?score)
EOF
}
records() { # endpoint query-file: the sorted IRIs of the first column
  curl -sf --max-time "$PEER_TIMEOUT" -H 'Accept: text/csv' --data-urlencode "query@$2" "$1" | tail -n +2 | tr -d '\r' | sort
}

say "checking that both find the same records for single words"
check_lines=()
for word in "$WORD" "$SECOND_WORD"; do
  filter_query "$word" >"$tmp/filter-$word.rq"
  service_query "$word" >"$tmp/service-$word.rq"
  records "$cg_endpoint" "$tmp/service-$word.rq" >"$tmp/cg-$word.txt"
  records "$ox_endpoint" "$tmp/filter-$word.rq" >"$tmp/ox-$word.txt"
  cg_n=$(wc -l <"$tmp/cg-$word.txt"); ox_n=$(wc -l <"$tmp/ox-$word.txt")
  if cmp -s "$tmp/cg-$word.txt" "$tmp/ox-$word.txt"; then same="the same set"; else same="**different sets**"; fi
  check_lines+=("\`$word\`: chronograph $cg_n, oxigraph $ox_n records: $same")
  echo "${check_lines[-1]}" >&2
done

# A person page and the per-person statistics sample: the first person the
# store lists as an event's actor (the samples name "Kim Il Sung", who is not
# in a generated corpus).
person_row=$(curl -sf -H 'Accept: text/tab-separated-values' --data-urlencode 'query=PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
  PREFIX schema: <https://schema.org/>
  SELECT ?p ?name WHERE { GRAPH <'"$UNION_GRAPH"'> { ?e sem:hasActor ?p . ?p schema:name ?name } } LIMIT 1' "$cg_endpoint" |
  tail -n 1 | tr -d '\r')
person_iri=$(printf '%s' "$person_row" | cut -f1 | sed 's/^<//; s/>$//')
person_name=$(printf '%s' "$person_row" | cut -f2 | sed 's/^"//; s/"$//')
case "$person_name" in "" | *[\\\|\&\"]*) echo "cannot use the name '$person_name' in a query" >&2; exit 1 ;; esac
person_path="/${person_iri#"$BASE"}"
mkdir -p "$tmp/statistics"
for f in queries/statistics-*.rq; do
  sed -e "s|\"Kim Il Sung\"|\"$person_name\"|g" "$f" >"$tmp/statistics/$(basename "$f")"
done
year=1965
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
pages=(
  "search-one-word=/search?format=json&q=$(urlencode "$WORD")"
  "search-two-words=/search?format=json&q=$(urlencode "$WORD $SECOND_WORD")"
  "search-phrase=/search?format=json&q=$(urlencode "\"$PHRASE\"")"
  "search-one-word-year=/search?format=json&q=$(urlencode "$WORD year:$year")"
  "search-two-words-year=/search?format=json&q=$(urlencode "$WORD $SECOND_WORD year:$year")"
  "search-phrase-year=/search?format=json&q=$(urlencode "\"$PHRASE\" year:$year")"
  "search-page-html=/search?q=$(urlencode "$WORD")"
)
html_pages=("home=/" "person-page=$person_path")

say "measuring chronograph: pages, then the statistics samples"
service_page_query "$WORD" >"$tmp/service-page-$WORD.rq"
cg_before=$(cpu_seconds "$cg_pid")
"$sparql_load" run --label chronograph --endpoint "$cg_endpoint" --concurrency "$CONCURRENCY" \
  --requests "$REQUESTS" --warmup 5 --max-seconds 120 --json "${pages[@]/#/--page=}" >"$tmp/cg-search.jsonl" || [ $? -eq 3 ] # 3: some requests failed, counted in the table
"$sparql_load" run --label chronograph --endpoint "$cg_endpoint" --concurrency "$CONCURRENCY" \
  --requests "$REQUESTS" --warmup 5 --max-seconds 120 --json --page-accept text/html \
  "${html_pages[@]/#/--page=}" >"$tmp/cg-pages.jsonl" || [ $? -eq 3 ] # 3: some requests failed, counted in the table
"$sparql_load" run --label chronograph --endpoint "$cg_endpoint" --concurrency "$CONCURRENCY" \
  --requests "$REQUESTS" --warmup 5 --max-seconds 120 --json --query-file "$tmp"/statistics/*.rq >"$tmp/cg-statistics.jsonl" || [ $? -eq 3 ] # 3: some requests failed, counted in the table
"$sparql_load" run --label chronograph --endpoint "$cg_endpoint" --concurrency "$CONCURRENCY" \
  --requests "$REQUESTS" --warmup 5 --max-seconds 120 --json --query-file "$tmp/service-page-$WORD.rq" >"$tmp/cg-service.jsonl" || [ $? -eq 3 ] # 3: some requests failed, counted in the table
cg_cpu=$(awk -v a="$cg_before" -v b="$(cpu_seconds "$cg_pid")" 'BEGIN { printf "%.1f", b - a }')
cg_rss=$(peak_rss_kb "$cg_pid")

say "measuring oxigraph: FILTER(CONTAINS(LCASE(?text), \"$WORD\")), $PEER_REQUESTS requests"
"$sparql_load" run --label oxigraph --endpoint "$ox_endpoint" --concurrency "$CONCURRENCY" \
  --requests "$PEER_REQUESTS" --warmup 1 --max-seconds "$PEER_TIMEOUT" --json \
  --query-file "$tmp/filter-$WORD.rq" >"$tmp/ox-filter.jsonl" || [ $? -eq 3 ] # 3: some requests failed, counted in the table
ox_rss=$(peak_rss_kb "$ox_pid")

# --- report ----------------------------------------------------------------
suffix="${DOCUMENTS:+-$DOCUMENTS}"
table="$OUT_DIR/search$suffix.md"
python3 - "$tmp" "$WORD" >"$tmp/rows.md" <<'PY'
import json, sys
tmp, word = sys.argv[1:]
def lines(name):
    return [json.loads(l) for l in open(f"{tmp}/{name}.jsonl") if l.strip()]
goal = {"home": "p99 < 100 ms", "person-page": "p99 < 100 ms"}
rows = []
for name in ["cg-search", "cg-pages", "cg-statistics", "cg-service"]:
    for r in lines(name):
        if r["query"] == "(all)":
            continue
        g = goal.get(r["query"], "p50 < 50 ms, p99 < 100 ms" if r["query"].startswith("search") else "p99 < 100 ms")
        if name == "cg-service":
            g = "(the search SERVICE in SPARQL: 100 hits joined with their dates)"
        met = r["errors"] == 0 and r["p99_ms"] < 100 and (not g.startswith("p50") or r["p50_ms"] < 50)
        rows.append(f"| {r['query']} | {r['ok']} | {r['errors']} | {r['rps']:.1f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {'' if r['rows'] is None else r['rows']} | {g}: {'**met**' if met else 'not met'} |")
print("| page or query (chronograph) | requests | errors | req/s | p50 ms | p99 ms | hits/rows | goal |")
print("|---|--:|--:|--:|--:|--:|--:|---|")
print("\n".join(rows))
cg = next(r for r in lines("cg-search") if r["query"] == "search-one-word")
ox = next(r for r in lines("ox-filter") if r["query"] != "(all)")
ratio = cg["rps"] / ox["rps"] if ox["rps"] > 0 else float("inf")
print()
print("| one word | chronograph `/search` | oxigraph `FILTER(CONTAINS(LCASE(?text), …))` | ratio | goal |")
print("|---|--:|--:|--:|---|")
print(f"| `{word}`: throughput | {cg['rps']:.1f} req/s | {ox['rps']:.3f} req/s ({ox['ok']} ok, {ox['errors']} errors) | {ratio:.0f}× | ≥ 100×: {'**met**' if ratio >= 100 and ox['errors'] == 0 else 'not met'} |")
print(f"| `{word}`: p50 / p99 | {cg['p50_ms']:.1f} / {cg['p99_ms']:.1f} ms | {ox['p50_ms']:.0f} / {ox['p99_ms']:.0f} ms | | |")
PY
{
  echo "### Search and statistics${DOCUMENTS:+, $DOCUMENTS documents}"
  echo
  echo "$(machine); $("$chronograph" --version) (release) vs $("$oxigraph" --version) \`serve-read-only\` over the same store folder; $(date -u '+%H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`bash bench/search-vs-oxigraph.sh --store STORE${DOCUMENTS:+ --documents $DOCUMENTS}\`; $CONCURRENCY concurrent keep-alive clients (\`examples/sparql_load\`), $REQUESTS measured requests per row after 5 warm-up ones (oxigraph: $PEER_REQUESTS after 1); searches ask for JSON (20 hits with snippets, 7 facets of all hits); the person page is <$person_iri> ($person_name, also the person of statistics-documents-per-person-and-year)."
  echo "Same records for single words (chronograph's search service, every hit, vs oxigraph's FILTER over titles, summaries, texts, labels and descriptions): $(IFS=';'; echo "${check_lines[*]}")."
  echo "Servers: chronograph peak RSS $(mib "$cg_rss") MiB, $cg_cpu CPU s for its rows; oxigraph peak RSS $(mib "$ox_rss") MiB."
  echo
  cat "$tmp/rows.md"
} >"$table"
echo
cat "$table"
put_in_benchmarks "search$suffix" "$table"
