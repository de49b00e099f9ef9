#!/usr/bin/env bash
# `chronograph publish` to a real Virtuoso Open Source 7 (Debian's
# virtuoso-opensource, the engine behind DBpedia), with its authentication:
#
#   scripts/virtuoso.sh install   apt-get install virtuoso-opensource (skipped when installed)
#   scripts/virtuoso.sh check     start Virtuoso, publish data/sample to it, compare, stop it
#   scripts/virtuoso.sh           both
#
# `check` starts virtuoso-t on 127.0.0.1 only, on two free ports (HTTP and
# SQL), with a database in a temporary folder, sets a random password for its
# `dba` user, and then:
#   1. checks that the Graph Store endpoint /sparql-graph-crud-auth refuses a
#      write without credentials with a Digest challenge (Virtuoso refuses Basic);
#   2. loads data/sample into a temporary store and publishes it with
#      `--user dba` and the password (HTTP Digest, answered by chronograph);
#   3. reads every named graph back over the same endpoint (GET, Digest) and
#      compares it with the local store's by RDF isomorphism, and checks that
#      Virtuoso gained exactly the local named graphs (tests/clients/check_virtuoso.py);
#   4. publishes again: nothing sent (the resume point); with a wrong password: refused (401);
#   5. adds one triple to one graph in Virtuoso: the comparison must now fail (the check can fail).
# Virtuoso is stopped at the end, also on failure or interruption.
#
# client-tests.sh runs it with CHRONOGRAPH_BIN and PYTHON set (the binary it
# built, the venv with rdflib); run alone it uses the same defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install() {
  if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null \
    && dpkg -s virtuoso-opensource >/dev/null 2>&1; then
    return 0
  fi
  echo "== install Virtuoso (apt-get virtuoso-opensource)"
  # The package asks for the password of its own system-wide instance, which is
  # not used here. Preseeded empty, that instance stays disabled (the package's
  # documented choice) and nothing listens on its default ports 8890 and 1111;
  # the instance of `check` gets a password of its own.
  printf '%s\n' \
    'virtuoso-opensource-7 virtuoso-opensource-7/dba-password password' \
    'virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password' \
    | as_root debconf-set-selections
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    virtuoso-opensource >/dev/null
  command -v virtuoso-t >/dev/null || { echo "virtuoso-opensource installed but no virtuoso-t on PATH" >&2; exit 1; }
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

check() {
  local bin=${CHRONOGRAPH_BIN:-$CARGO_TARGET_DIR/debug/chronograph}
  local py=${PYTHON:-$HOME/.cache/chronograph/venv/bin/python}
  if [ ! -x "$bin" ]; then
    echo "== build"
    cargo build --locked --all-targets
  fi
  if ! "$py" -c 'import rdflib' 2>/dev/null; then
    echo "$py has no rdflib: run scripts/client-tests.sh once (it builds the venv), or set PYTHON" >&2
    exit 1
  fi
  command -v virtuoso-t >/dev/null || { echo "virtuoso-t missing: scripts/virtuoso.sh install" >&2; exit 1; }

  tmp=$(mktemp -d)
  virtuoso_pid=""
  trap stop_virtuoso EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  local http_port sql_port password started
  http_port=$(free_port)
  sql_port=$(free_port)
  password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  local base="http://127.0.0.1:$http_port"
  local gsp="$base/sparql-graph-crud-auth" sparql="$base/sparql"
  mkdir -p "$tmp/db"
  cat >"$tmp/virtuoso.ini" <<EOF
[Database]
DatabaseFile = $tmp/db/virtuoso.db
ErrorLogFile = $tmp/db/virtuoso.log
LockFile = $tmp/db/virtuoso.lck
TransactionFile = $tmp/db/virtuoso.trx
xa_persistent_file = $tmp/db/virtuoso.pxa
[TempDatabase]
DatabaseFile = $tmp/db/virtuoso-temp.db
TransactionFile = $tmp/db/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:$sql_port
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:$http_port
ServerRoot = $tmp/db
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 1000000
EOF
  echo "== start $(virtuoso-t +version 2>&1 | sed -n 's/^Version \([^ ]*\).*/Virtuoso \1/p') on $base (SQL on 127.0.0.1:$sql_port)"
  started=$SECONDS
  virtuoso-t +configfile "$tmp/virtuoso.ini" +foreground >"$tmp/virtuoso.out" 2>&1 &
  virtuoso_pid=$!
  local ready=""
  for _ in $(seq 1 240); do
    kill -0 "$virtuoso_pid" 2>/dev/null || break
    if python3 -c 'import sys, urllib.request; sys.exit(urllib.request.urlopen(sys.argv[1], timeout=2).status != 200)' \
      "$sparql?query=ASK%7B%7D" 2>/dev/null; then
      ready=1
      break
    fi
    sleep 0.5
  done
  if [ -z "$ready" ]; then
    echo "Virtuoso did not answer $sparql within 120 s; its log:" >&2
    tail -n 30 "$tmp/virtuoso.out" >&2
    exit 1
  fi
  # A new database has the documented default password dba/dba. isql-vt exits 0
  # even when a statement fails, so the new password is checked by logging in.
  # (`SET PASSWORD old new` takes SQL identifiers: a password starting with a
  # digit is a syntax error there, hence the function with a string literal.)
  isql-vt "127.0.0.1:$sql_port" dba dba "EXEC=USER_SET_PASSWORD('dba', '$password'); checkpoint;" \
    >"$tmp/isql.log" 2>&1 || true
  isql-vt "127.0.0.1:$sql_port" dba "$password" "EXEC=SELECT 'password-' || 'set';" \
    >>"$tmp/isql.log" 2>&1 || true
  if ! grep -q '^password-set' "$tmp/isql.log"; then
    echo "could not set dba's password:" >&2
    cat "$tmp/isql.log" >&2
    exit 1
  fi
  echo "   ready in $((SECONDS - started)) s; dba's password set"

  echo "== an unauthenticated write is refused with a Digest challenge"
  python3 - "$gsp" <<'EOF'
import sys, urllib.error, urllib.request
url = sys.argv[1] + "?graph=http%3A%2F%2Fexample.org%2Fnobody"
request = urllib.request.Request(url, data=b"", method="PUT", headers={"Content-Type": "application/n-triples"})
try:
    urllib.request.urlopen(request, timeout=30)
    sys.exit("FAIL an unauthenticated PUT was accepted")
except urllib.error.HTTPError as e:
    challenge = e.headers.get("WWW-Authenticate", "")
    if e.code != 401 or not challenge.startswith("Digest"):
        sys.exit(f"FAIL expected 401 with a Digest challenge, got {e.code} {challenge!r}")
    print(f"   401, WWW-Authenticate: {challenge[:60]}…")
EOF

  echo "== load data/sample and publish it to $gsp as dba"
  "$py" tests/clients/check_virtuoso.py graphs "$sparql" "$tmp/graphs-before.txt"
  "$bin" load --store "$tmp/store" --authority data/sample/authority.csv data/sample
  local push_started=$SECONDS
  CHRONOGRAPH_PUBLISH_PASSWORD=$password "$bin" publish --store "$tmp/store" --to "$gsp" --user dba \
    --batch 100 --state "$tmp/publish.json" | tee "$tmp/publish.out"
  echo "   published in $((SECONDS - push_started)) s"
  "$bin" export --store "$tmp/store" --format nquads -o "$tmp/local.nq"

  echo "== every graph read back from Virtuoso, compared by isomorphism"
  VIRTUOSO_USER=dba VIRTUOSO_PASSWORD=$password timeout 300 "$py" -W ignore::DeprecationWarning \
    tests/clients/check_virtuoso.py compare "$tmp/local.nq" "$gsp" "$sparql" "$tmp/graphs-before.txt"

  echo "== the same command again: nothing to send"
  CHRONOGRAPH_PUBLISH_PASSWORD=$password "$bin" publish --store "$tmp/store" --to "$gsp" --user dba \
    --batch 100 --state "$tmp/publish.json" | tee "$tmp/again.out"
  grep -q '^pushed 0 of ' "$tmp/again.out" || { echo "FAIL the second publish sent graphs again" >&2; exit 1; }

  echo "== a wrong password is refused"
  local status=0
  CHRONOGRAPH_PUBLISH_PASSWORD=wrong-$password "$bin" publish --store "$tmp/store" --to "$gsp" --user dba \
    --restart --retries 0 --state "$tmp/wrong.json" >"$tmp/wrong.out" 2>&1 || status=$?
  if [ "$status" -eq 0 ] || ! grep -q 'answered 401' "$tmp/wrong.out"; then
    echo "FAIL a wrong password was not refused with 401 (exit $status):" >&2
    cat "$tmp/wrong.out" >&2
    exit 1
  fi
  echo "   refused: $(grep -o 'the server answered 401.*' "$tmp/wrong.out" | head -c 120)"

  echo "== one triple added in Virtuoso: the comparison must fail"
  local graph
  graph=$(sed -n 's/.*<\([^>]*\)> \.$/\1/p' "$tmp/local.nq" | sort -u | head -n 1)
  VIRTUOSO_USER=dba VIRTUOSO_PASSWORD=$password "$py" tests/clients/check_virtuoso.py tamper "$gsp" "$graph"
  status=0
  VIRTUOSO_USER=dba VIRTUOSO_PASSWORD=$password timeout 300 "$py" -W ignore::DeprecationWarning \
    tests/clients/check_virtuoso.py compare "$tmp/local.nq" "$gsp" "$sparql" "$tmp/graphs-before.txt" \
    >"$tmp/tampered.out" || status=$?
  if [ "$status" -eq 0 ] || ! grep -q "^FAIL $graph: not isomorphic" "$tmp/tampered.out"; then
    echo "FAIL the comparison did not see the added triple:" >&2
    cat "$tmp/tampered.out" >&2
    exit 1
  fi
  echo "   $(grep "^FAIL $graph" "$tmp/tampered.out")"
  echo "PASS publish to Virtuoso"
}

stop_virtuoso() {
  local pid=${virtuoso_pid:-}
  virtuoso_pid=""
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "Virtuoso did not stop within 20 s of SIGTERM: killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
  if [ -n "${tmp:-}" ]; then
    mkdir -p out/test-artifacts
    cp "$tmp/db/virtuoso.log" out/test-artifacts/virtuoso.log 2>/dev/null || true
    rm -rf "$tmp"
  fi
}

case "${1:-all}" in
  install) install ;;
  check) check ;;
  all) install && check ;;
  *) echo "usage: scripts/virtuoso.sh [install|check]" >&2; exit 2 ;;
esac
