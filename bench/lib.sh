# Shared by the bench/ scripts (sourced, not run): tools, measuring, and
# putting a table into BENCHMARKS.md. Expects `set -euo pipefail`, the
# repository as the working directory and scripts/env.sh sourced.

OXIGRAPH_VERSION="${OXIGRAPH_VERSION:-0.5.13}" # the oxigraph library version chronograph uses
TOOLS="${CHRONOGRAPH_TOOLS:-$HOME/.cache/chronograph/tools}"
OUT_DIR="${OUT_DIR:-out/bench}"
mkdir -p "$OUT_DIR"

# documents_argument [DOCUMENTS]: the size argument, 10000 when not given.
documents_argument() {
  local documents="${1:-10000}"
  case "$documents" in ''|*[!0-9]*) echo "usage: $0 [DOCUMENTS]" >&2; exit 2 ;; esac
  echo "$documents"
}

say() { printf '\n== %s\n' "$*" >&2; }

# GNU time, for the peak resident memory of a command.
ensure_gnu_time() {
  if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (for peak RSS)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null
  fi
}

# oxigraph-cli at $OXIGRAPH_VERSION in $TOOLS/bin (cargo install --locked);
# sets $oxigraph.
ensure_oxigraph() {
  oxigraph="$TOOLS/bin/oxigraph"
  if ! { [ -x "$oxigraph" ] && "$oxigraph" --version 2>/dev/null | grep -q " $OXIGRAPH_VERSION\$"; }; then
    say "installing oxigraph-cli $OXIGRAPH_VERSION into $TOOLS (RocksDB from source: 15+ minutes on 2 cores)"
    # Its own build directory: it does not hold the project's build lock, and a
    # later reinstall (e.g. a new version) reuses the compiled RocksDB.
    CARGO_TARGET_DIR="$HOME/.cache/chronograph/tools-target" \
      nice -n 10 cargo install oxigraph-cli --locked --version "$OXIGRAPH_VERSION" --root "$TOOLS"
  fi
}

# The release build of chronograph (and the SPARQL load generator, so that all
# bench scripts share one release build); sets $chronograph and $sparql_load.
build_chronograph() {
  bash scripts/bootstrap.sh
  say "building chronograph (release)"
  cargo build --release --locked --bin chronograph --example sparql_load
  chronograph="$CARGO_TARGET_DIR/release/chronograph"
  sparql_load="$CARGO_TARGET_DIR/release/examples/sparql_load"
}

# measure NAME COMMAND...: runs it under /usr/bin/time -v with its output in
# $WORK/NAME.out and .err; records SECONDS_OF[NAME] and RSS_OF[NAME] (KiB).
declare -A SECONDS_OF RSS_OF
measure() {
  local name="$1"; shift
  /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" ||
    { echo "$name failed:" >&2; tail -n 20 "$WORK/$name.err" >&2; exit 1; }
  read_time "$name"
  printf '%-20s %8.2f s  %8.1f MiB\n' "$name" "${SECONDS_OF[$name]}" "$(awk -v k="${RSS_OF[$name]}" 'BEGIN { print k / 1024 }')" >&2
}

# read_time NAME: SECONDS_OF[NAME] and RSS_OF[NAME] from $WORK/NAME.time
# (GNU time -v's report).
read_time() {
  local name="$1" wall
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/$name.time")
  SECONDS_OF[$name]=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }')
  RSS_OF[$name]=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/$name.time")
}

# measure_capped NAME CAP_MIB COMMAND...: as measure, with the command in a
# session of its own whose processes' resident memory, added up (proportional
# set sizes, so that pages shared after a fork count once), is read once a
# second (PEAK_SUM_OF[NAME], KiB). When the sum passes CAP_MIB the session is
# killed and CAPPED_AFTER[NAME] holds the seconds it had run: a peer that would
# exhaust the machine's memory stops there, measured, instead of being killed by
# the kernel with the rest of the run.
declare -A PEAK_SUM_OF CAPPED_AFTER
measure_capped() {
  local name="$1" cap_kib=$(($2 * 1024)); shift 2
  /usr/bin/time -v -o "$WORK/$name.time" setsid "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  local time_pid=$! session="" started=$SECONDS peak=0 sum
  while kill -0 "$time_pid" 2>/dev/null; do
    [ -n "$session" ] || session=$(pgrep -P "$time_pid" | head -n 1)
    if [ -n "$session" ]; then
      # proportional set sizes: a page shared by forked processes counts once
      sum=$(for pid in $(ps -o pid= --sid "$session"); do
        awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || true
      done | awk '{ s += $1 } END { print s + 0 }')
      [ "$sum" -gt "$peak" ] && peak=$sum
      if [ "$sum" -gt "$cap_kib" ]; then
        CAPPED_AFTER[$name]=$((SECONDS - started))
        say "$name passed $(($cap_kib / 1024)) MiB after ${CAPPED_AFTER[$name]} s: stopped"
        kill -9 -- "-$session" 2>/dev/null || true
        break
      fi
    fi
    sleep 1
  done
  local status=0
  wait "$time_pid" || status=$?
  if [ "$status" != 0 ] && [ -z "${CAPPED_AFTER[$name]:-}" ]; then
    echo "$name failed:" >&2; tail -n 20 "$WORK/$name.err" >&2; exit 1
  fi
  PEAK_SUM_OF[$name]=$peak
  read_time "$name"
  printf '%-20s %8.2f s  %8.1f MiB (largest process), %.1f MiB (all together)%s\n' "$name" "${SECONDS_OF[$name]}" \
    "$(awk -v k="${RSS_OF[$name]}" 'BEGIN { print k / 1024 }')" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" \
    "${CAPPED_AFTER[$name]:+, stopped at the cap}" >&2
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# The machine line of a table.
machine() {
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
}

# generate_corpus DOCUMENTS: the benchmarks' corpus (DOCUMENTS/5 events,
# DOCUMENTS/50 people, at least 10; seed 1; JSON Lines) in $WORK/corpus; sets
# $corpus_command and $corpus_bytes.
generate_corpus() {
  local documents="$1"
  local events=$((documents / 5))
  local people=$((documents / 50 > 10 ? documents / 50 : 10))
  corpus_command="chronograph gen-corpus --documents $documents --events $events --people $people --seed 1 --format jsonl"
  say "corpus: $documents documents, $events events, $people people (seed 1, JSON Lines)"
  measure gen-corpus "$chronograph" gen-corpus --documents "$documents" --events "$events" \
    --people "$people" --seed 1 --format jsonl --out "$WORK/corpus"
  corpus_bytes=$(du -sb "$WORK/corpus" | cut -f1)
}

# put_in_benchmarks KEY TABLE_FILE: the table goes into BENCHMARKS.md between
# the markers of KEY (replacing an earlier one of the same KEY).
put_in_benchmarks() {
  local key="$1" table="$2"
  [ -f BENCHMARKS.md ] || printf '# Benchmarks\n\nMeasured by the scripts in bench/; see bench/README.md.\n' >BENCHMARKS.md
  python3 - "$table" "<!-- $key:begin -->" "<!-- $key:end -->" <<'PY'
import sys
table, begin, end = sys.argv[1:]
text = open("BENCHMARKS.md").read()
block = f"{begin}\n{open(table).read().rstrip()}\n{end}"
if begin in text and end in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open("BENCHMARKS.md", "w").write(text)
PY
  say "table written to $table and BENCHMARKS.md"
}
