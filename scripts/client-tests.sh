#!/usr/bin/env bash
# Real third-party clients against `chronograph serve` on 127.0.0.1:
#   python   SPARQLWrapper + rdflib (pytest, tests/clients/test_python_clients.py)
#   comunica @comunica/query-sparql with /sparql as a SPARQL source
#   chromium headless screenshots + DOM checks of the person and query pages
#   parsers  every `chronograph export` syntax of the sample re-read by rapper
#            (raptor2-utils) and rdflib to the count export reported
#            (tests/clients/check_parsers.py; raptor has no JSON-LD parser, so
#            JSON-LD is read by jsonld-streaming-parser, from Comunica's install)
#   virtuoso `chronograph publish` to Virtuoso Open Source (apt-get
#            virtuoso-opensource) with its Digest authentication, every graph
#            read back and compared by isomorphism (scripts/virtuoso.sh)
# Installs what it needs (cached under ~/.cache/chronograph, reused while the
# pinned files are unchanged), loads data/sample with the server's own URL as
# base IRI so IRIs dereference, and exits non-zero if any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

clients=tests/clients
cache="$HOME/.cache/chronograph"
artifacts=out/test-artifacts
mkdir -p "$cache" "$artifacts"
export PYTHONDONTWRITEBYTECODE=1

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
apt_install() {
  if [ -z "${apt_updated:-}" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}
sha() { cat "$@" | sha256sum | cut -d' ' -f1; }

echo "== build"
cargo build --locked --all-targets   # the test suite's build: RocksDB is not compiled again
bin="$CARGO_TARGET_DIR/debug/chronograph"

# --- installs (each skipped when already done for the same pinned files) -------
declare -a install_times=()

start=$SECONDS
venv="$cache/venv"
want=$(sha "$clients/requirements.txt")
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  echo "== install python clients into $venv"
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    apt_install python3-venv
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$clients/requirements.txt"
  echo "$want" >"$venv/.requirements.sha256"
fi
install_times+=("python venv: $((SECONDS - start)) s")
py="$venv/bin/python"

# node_modules lives in the cache (a fresh clone reuses it) and is linked into
# tests/clients so that comunica.mjs resolves @comunica/query-sparql.
start=$SECONDS
node_dir="$cache/comunica"
want=$(sha "$clients/package.json" "$clients/package-lock.json")
if [ ! -d "$node_dir/node_modules/@comunica/query-sparql" ] || [ "$(cat "$node_dir/.lock.sha256" 2>/dev/null)" != "$want" ]; then
  echo "== install comunica into $node_dir (npm ci)"
  rm -rf "$node_dir"
  mkdir -p "$node_dir"
  cp "$clients/package.json" "$clients/package-lock.json" "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$node_dir/.lock.sha256"
fi
if [ "$(readlink "$clients/node_modules" 2>/dev/null)" != "$node_dir/node_modules" ]; then
  rm -rf "$clients/node_modules"
  ln -s "$node_dir/node_modules" "$clients/node_modules"
fi
install_times+=("comunica: $((SECONDS - start)) s")

start=$SECONDS
if ! command -v chromium >/dev/null || ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; then
  echo "== install chromium (apt-get)"
  apt_install chromium fonts-dejavu-core
fi
install_times+=("chromium: $((SECONDS - start)) s")

start=$SECONDS
if ! command -v rapper >/dev/null; then
  echo "== install rapper (apt-get raptor2-utils)"
  apt_install raptor2-utils
  command -v rapper >/dev/null || { echo "raptor2-utils installed but no rapper on PATH" >&2; exit 1; }
fi
install_times+=("rapper: $((SECONDS - start)) s")

start=$SECONDS
scripts/virtuoso.sh install   # apt-get virtuoso-opensource, when missing
install_times+=("virtuoso: $((SECONDS - start)) s")

# --- load the sample and start the server ---------------------------------------
tmp=$(mktemp -d)
server_pid=""
stop_server() {
  # SIGTERM, then a bounded wait; returns the server's exit status (or 124 if killed).
  local pid=$server_pid status=0
  [ -n "$pid" ] || return 0
  server_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "server did not stop within 20 s of SIGTERM: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 124
  fi
  wait "$pid" || status=$?
  return "$status"
}
cleanup() {
  stop_server || true
  cp "$tmp/server.log" "$artifacts/server.log" 2>/dev/null || true   # the access log
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/"
token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')

echo "== load data/sample with base $url"
"$bin" load --store "$tmp/store" --base "$url" --authority data/sample/authority.csv data/sample

echo "== serve on $url"
"$bin" serve --store "$tmp/store" --base "$url" --bind "127.0.0.1:$port" --update-token "$token" \
  >"$tmp/server.log" 2>&1 &
server_pid=$!
ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    break
  fi
  if python3 -c 'import sys, urllib.request; sys.exit(urllib.request.urlopen(sys.argv[1], timeout=2).status != 200)' \
    "${url}sparql" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "server did not answer GET ${url}sparql within 60 s; its log:" >&2
  cat "$tmp/server.log" >&2
  exit 1
fi

# --- the clients --------------------------------------------------------------------
declare -a summary=()
passed=0
failed=0
started=$SECONDS
record() { # name, status; the time since the previous record
  local took=$((SECONDS - started))
  started=$SECONDS
  if [ "$2" -eq 0 ]; then
    summary+=("PASS  $1 (${took} s)")
    passed=$((passed + 1))
  else
    summary+=("FAIL  $1 (exit $2, ${took} s)")
    failed=$((failed + 1))
  fi
}

echo "== python: SPARQLWrapper + rdflib"
status=0
CHRONOGRAPH_URL="$url" CHRONOGRAPH_UPDATE_TOKEN="$token" \
  timeout 300 "$py" -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning \
  "$clients/test_python_clients.py" || status=$?
record "python (SPARQLWrapper, rdflib)" "$status"

echo "== comunica"
status=0
CHRONOGRAPH_URL="$url" timeout 180 node "$clients/comunica.mjs" || status=$?
record "comunica (@comunica/query-sparql)" "$status"

chromium_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars)
browse() { # name, kind (person|query), url
  local name=$1 kind=$2 page=$3 png="$artifacts/$1.png" dom="$artifacts/$1.dom.html" status=0 size
  echo "== chromium: $page"
  rm -f "$png" "$dom"
  timeout 60 chromium "${chromium_flags[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" \
    --window-size=1280,1600 --screenshot="$png" "$page" >>"$tmp/chromium.log" 2>&1 || status=$?
  size=$(stat -c %s "$png" 2>/dev/null || echo 0)
  if [ "$status" -ne 0 ] || [ "$size" -le 10240 ]; then
    echo "FAIL screenshot $png: chromium exit $status, $size bytes (want > 10 kB)"
    status=1
  else
    echo "ok   screenshot $png ($size bytes)"
  fi
  if timeout 60 chromium "${chromium_flags[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" \
    --dump-dom "$page" >"$dom" 2>>"$tmp/chromium.log"; then
    "$py" "$clients/check_dom.py" "$kind" "$dom" || status=1
  else
    echo "FAIL chromium --dump-dom $page"
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    echo "chromium's log (last lines):"
    tail -n 5 "$tmp/chromium.log"
  fi
  record "chromium $name" "$status"
}
browse person-page person "${url}person/kim-il-sung"
browse query-page query "${url}query?sample=documents-per-year"

# Search as a reader does: the home page's form, then a facet of the results,
# each page as Chromium renders it; the narrowed page states the facet's count.
dom() { # url, file
  timeout 60 chromium "${chromium_flags[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" \
    --dump-dom "$1" >"$2" 2>>"$tmp/chromium.log"
}
echo "== chromium: search from the home page, then a facet"
status=0
search_url=""
dom "$url" "$artifacts/home.dom.html" \
  && search_url=$("$py" "$clients/check_dom.py" home-search "$artifacts/home.dom.html" "$url" "irrigation") \
  || status=1
facet=""
if [ "$status" -eq 0 ]; then
  echo "ok   the home page's form opens $search_url"
  dom "$search_url" "$artifacts/search.dom.html" \
    && facet=$("$py" "$clients/check_dom.py" search-facet "$artifacts/search.dom.html" "$url") || status=1
fi
if [ "$status" -eq 0 ]; then
  read -r total narrowed facet_url <<<"$facet"
  echo "ok   $total hits; the first facet narrows them to $narrowed: $facet_url"
  dom "$facet_url" "$artifacts/search-facet.dom.html" \
    && "$py" "$clients/check_dom.py" search-total "$artifacts/search-facet.dom.html" "$narrowed" || status=1
else
  echo "FAIL search from the home page: ${facet:-no search page}"
fi
record "chromium search, facet, narrowed count" "$status"

# A store of its own (the served one has had an update applied), default base.
echo "== export data/sample in every syntax and re-parse each file with two parsers"
parsers="$tmp/parsers"
mkdir -p "$parsers"
status=0
"$bin" load --store "$parsers/store" --authority data/sample/authority.csv data/sample \
  >"$parsers/load.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat "$parsers/load.log"
  record "independent parsers: chronograph load data/sample" "$status"
else
  for syntax in turtle ntriples nquads trig jsonld rdfxml; do
    file="$parsers/sample.$syntax"
    rm -f "$artifacts/sample.$syntax"
    status=0
    "$bin" export --store "$parsers/store" --format "$syntax" -o "$file" 2>"$parsers/export.log" || status=$?
    count=$(sed -n 's/^wrote \([0-9][0-9]*\) statements to .*/\1/p' "$parsers/export.log")
    if [ "$status" -ne 0 ] || [ -z "$count" ]; then
      echo "FAIL chronograph export --format $syntax: exit $status, no \"wrote N statements\" line in:"
      cat "$parsers/export.log"
      record "independent parsers: $syntax (chronograph export)" 1
      continue
    fi
    # The expected count comes from the store, not from what export says it
    # wrote: the union graph's triples for triple syntaxes, every other
    # graph's quads for dataset syntaxes (export's own count must agree).
    case "$syntax" in
      nquads | trig | jsonld)
        count_query='SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!STRENDS(STR(?g), "/graph/union") && !STRENDS(STR(?g), "/graph/statistics")) }' ;;
      *)
        count_query='SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' ;;
    esac
    stored=$("$bin" query --store "$parsers/store" --format csv "$count_query" | tr -d '\r' | sed -n 2p)
    if [ "$stored" != "$count" ]; then
      echo "FAIL chronograph export --format $syntax: wrote $count statements, the store holds $stored"
      record "independent parsers: $syntax (export count against the store)" 1
      continue
    fi
    result=$(timeout 300 "$py" "$clients/check_parsers.py" "$syntax" "$file" "$stored") || status=$?
    echo "$result"
    line=$(printf '%s\n' "$result" | tail -n 1)
    case "$line" in
      "PASS independent parsers: "* | "FAIL independent parsers: "*) line=${line:5} ;;
      *) line="independent parsers: $syntax (check_parsers.py exit $status)" ;;
    esac
    if [ "$status" -ne 0 ]; then
      cp "$file" "$artifacts/sample.$syntax"   # kept for a look at what the parsers disagree on
    fi
    record "$line" "$status"
  done
fi

# `chronograph publish` to a second real Graph Store (the first, `oxigraph
# serve`, is tests/it/publish.rs): Virtuoso, with its Digest authentication,
# the data read back and compared by isomorphism (scripts/virtuoso.sh).
echo "== publish to Virtuoso"
status=0
CHRONOGRAPH_BIN="$bin" PYTHON="$py" timeout 600 scripts/virtuoso.sh check || status=$?
record "publish to Virtuoso $(virtuoso-t +version 2>&1 | sed -n 's/^Version \([^ ]*\).*/\1/p') (Digest auth, isomorphism)" "$status"

echo "== stop the server (SIGTERM)"
status=0
stop_server || status=$?
if [ "$status" -ne 0 ]; then
  echo "server exited $status on SIGTERM; its log:"
  tail -n 20 "$tmp/server.log"
fi
record "server exits 0 on SIGTERM" "$status"

echo
echo "== install times (0 s when cached)"
printf '  %s\n' "${install_times[@]}"
printf '%s\n' "${summary[@]}"
echo "client-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
