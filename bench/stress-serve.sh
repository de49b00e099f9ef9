#!/usr/bin/env bash
# Stress: a bounded abuse run of `chronograph serve` on 127.0.0.1. Not a test;
# never run by CI. See bench/README.md.
#
#   bash bench/stress-serve.sh [--documents N | --store DIR] [--attackers N]
#                              [--seconds S] [--time-limit S]
#
# Loads a generated corpus of N documents (default 100000) with `load --bulk`
# (or takes an existing store), starts `chronograph serve --timeout S`
# (default 30) and runs examples/stress_serve.rs: --attackers clients
# (default 8) send, for --seconds (default 60), the cross product of three
# VALUES blocks, the whole-store CONSTRUCT and GET /rdf-graphs?default, while
# a probe asks queries/document-fields.rq (its document replaced by the
# corpus's first) every 100 ms. Records the probe's latencies, how long the
# bad requests lasted against the limit plus one second, and the server's
# peak RSS (VmHWM) in out/bench/stress-serve-N.md and BENCHMARKS.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../scripts/env.sh
source scripts/env.sh

DOCUMENTS=100000
STORE=""
ATTACKERS=8
SECONDS_OF_ATTACK=60
TIME_LIMIT=30
PORT="${CG_PORT:-7911}"
BASE="http://localhost:7878/"
while [ $# -gt 0 ]; do
  case "$1" in
    --documents) DOCUMENTS="$2"; shift 2 ;;
    --store) STORE="$2"; shift 2 ;;
    --attackers) ATTACKERS="$2"; shift 2 ;;
    --seconds) SECONDS_OF_ATTACK="$2"; shift 2 ;;
    --time-limit) TIME_LIMIT="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=lib.sh
source bench/lib.sh
build_chronograph
cargo build --release --locked --example stress_serve
stress="$CARGO_TARGET_DIR/release/examples/stress_serve"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/chronograph-stress.XXXXXX")"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "$STORE" ]; then
  # Kept for the next run (out/bench/stress-store-N): loading 100,000
  # documents takes minutes.
  STORE="$OUT_DIR/stress-store-$DOCUMENTS"
  if [ ! -f "$STORE/.complete" ]; then
    rm -rf "$STORE"
    generate_corpus "$DOCUMENTS"
    say "loading the corpus (load --bulk)"
    "$chronograph" load --bulk --store "$STORE" --base "$BASE" "$WORK/corpus" >"$WORK/load.log" 2>&1
    touch "$STORE/.complete"
  fi
  data_line="a generated corpus of $DOCUMENTS documents (\`bench/lib.sh\` generate_corpus, seed 1), loaded with \`load --bulk\`"
else
  data_line="the store \`$STORE\`"
fi

say "the probe's document"
"$chronograph" query --store "$STORE" --base "$BASE" --format csv \
  'PREFIX cg: <https://w3id.org/chronograph/ontology#> SELECT ?s WHERE { ?d a cg:Document ; cg:archiveSignature ?s } LIMIT 1' \
  >"$WORK/signature.csv"
python3 - "$WORK/signature.csv" queries/document-fields.rq "$WORK/probe.rq" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
if len(rows) < 2:
    sys.exit(f"no document with an archive signature in the store")
literal = json.dumps(rows[1][0])  # a SPARQL string literal: quotes and backslashes escaped
query = open(sys.argv[2]).read().replace('"PRC FMA 109-02833-03"', literal)
open(sys.argv[3], "w").write(query)
PY

say "serving $STORE on 127.0.0.1:$PORT (time limit $TIME_LIMIT s)"
"$chronograph" serve --store "$STORE" --base "$BASE" --bind "127.0.0.1:$PORT" \
  --timeout "$TIME_LIMIT" --dumps-on-demand --dumps-dir "$WORK/dumps" >"$WORK/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/sparql?query=ASK%7B%7D" && break
  sleep 0.1
done
rss_before=$(awk '/VmRSS/ { print $2 }' "/proc/$server/status")

say "$ATTACKERS attackers for $SECONDS_OF_ATTACK s, a probe every 100 ms"
"$stress" --base "http://127.0.0.1:$PORT" --attackers "$ATTACKERS" --seconds "$SECONDS_OF_ATTACK" \
  --probe-file "$WORK/probe.rq" --time-limit "$TIME_LIMIT" >"$WORK/stress.json"
peak_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status")
cat "$WORK/stress.json" >&2

table="$OUT_DIR/stress-serve-$DOCUMENTS.md"
python3 - "$WORK/stress.json" "$peak_kib" "$rss_before" "$data_line" "$(machine)" "$ATTACKERS" \
  "$SECONDS_OF_ATTACK" "$TIME_LIMIT" >"$table" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
peak, before, data, machine, attackers, seconds, limit = sys.argv[2:]
probe = report["probe"]
ms = lambda v: "n/a" if v is None else f"{v:.1f}"
below = lambda v, limit: v is not None and v < limit
print(f"Stress run ({machine}): {data}; `chronograph serve --timeout {limit}` with its default slots;")
print(f"{attackers} attackers for {seconds} s while a probe asks `document-fields` every 100 ms "
      "(`bench/stress-serve.sh`, `examples/stress_serve.rs`).")
print()
print("| measure | value | goal |")
print("|---|---|---|")
ok = lambda b: "met" if b else "**missed**"
print(f"| probe answered | {probe['answered']} of {probe['sent']} | every one: {ok(probe['answered'] == probe['sent'])} |")
print(f"| probe latency p50 / p99 / max | {ms(probe['p50_ms'])} / {ms(probe['p99_ms'])} / {ms(probe['max_ms'])} ms | p99 < 100 ms: {ok(below(probe['p99_ms'], 100))} |")
print(f"| server peak RSS (VmHWM) | {int(peak) / 1024:.0f} MiB (idle before: {int(before) / 1024:.0f} MiB) | < 2048 MiB: {ok(int(peak) < 2 * 1024 * 1024)} |")
for kind, a in report["attacks"].items():
    statuses = ", ".join(f"{k}: {v}" for k, v in a["statuses"].items())
    print(f"| `{kind}` | {a['requests']} requests ({statuses}), longest {a['longest_s']:.1f} s, {a['mib_read']:.0f} MiB read | within {float(limit) + 1:.0f} s: {ok(a['over_limit'] == 0)} |")
PY
cat "$table" >&2
put_in_benchmarks "stress-serve-$DOCUMENTS" "$table"
