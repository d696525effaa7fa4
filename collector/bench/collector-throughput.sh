#!/usr/bin/env bash
# Benchmark: the collector of issue 4 — a realistic stream of hop records from many agents, through an embedded
# Kafka broker, into the real collector ingest (assembler -> merger -> embedded store), then the topology queries over
# the filled store. Everything runs in one JVM (net.tracemesh.collector.bench.CollectorThroughput, test scope).
#
# Stream (synthetic, addresses only from 198.18.0.0/15): 60 agents at sites, 30,000 destinations in
# 198.19.0.0/16, a shared hierarchical topology (site gateways -> regional aggregation -> two-plane core ring ->
# provider edge -> metro -> block edge -> destination) with per-flow ECMP, silent routers, MPLS label stacks,
# route changes between rounds; icmp-paris / udp-paris / tcp / classic udp with 1-3 probes per hop. The records are
# the agents' real HopMessage / TraceCompletionMessage JSON, keyed agent|destination, on <prefix>hops/<prefix>traces.
#
# Figures printed (see the Javadoc of CollectorThroughput for how each is measured):
#   - hop records merged per second into graph + store while draining a pre-produced backlog (target >= 100,000);
#   - end-to-end lag p50/p99 (broker time of a trace's completion record -> trace visible in the store) at a steady
#     rate of --lag-load x the measured throughput;
#   - store size per million hop records (the store directory after close);
#   - p50/p99 of each query (route at/now, history, compare, traces through, subgraph, export) over the store
#     (target p99 < 100 ms for route/history/compare).
#
# Usage: collector/bench/collector-throughput.sh [options] [-- extra CollectorThroughput options]
#   --records N        hop records to pre-produce and ingest (default 10000000: the query phase then runs over
#                      >= 10 million hop records)
#   --quick            a short run: 500,000 hop records, 10 s lag phase, 200 calls per query
#   --queries N        measured calls per query (default 1000; 0 skips the query phase)
#   --lag-seconds S    length of the lag phase (default 30; 0 skips it)
#   --heap SIZE        -Xms and -Xmx of the benchmark JVM (default 6g)
#   --java-opts "OPTS" further JVM options; one naming a garbage collector (-XX:+UseG1GC, say) replaces the
#                      parallel collector, which the collector's service runs with
#   --jfr              record a JFR profile of the run (collector.jfr in --out) and summarise where CPU went
#                      (collector/bench/jfr_summary.py)
#   --out DIR          keep outputs here (default: a new /tmp/tmbench4.XXXXXX directory)
#   --keep-data        keep the broker and store directories (deleted at the end otherwise; they are large)
#   --skip-build       do not build: reuse the class snapshot of an earlier run with the same --out
#   --queries-only     only time the queries, over the store an earlier run with the same --out kept
#                      (--keep-data); with the same workload options
#
# Exit status: 0 when the benchmark ran (targets met or not: see the table), 2 on a setup failure.

set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
BENCH_SRC="$REPO_DIR/collector/src/test/java/net/tracemesh/collector/bench"
MAIN_CLASS=net.tracemesh.collector.bench.CollectorThroughput

RECORDS=10000000
QUERIES=1000
WARMUP_QUERIES=200
LAG_SECONDS=30
HEAP=6g
EXTRA_JAVA_OPTS=""
JFR=0
OUT_DIR=""
KEEP_DATA=0
SKIP_BUILD=0
QUERIES_ONLY=0
EXTRA_ARGS=()

die() { echo "collector-throughput: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
# Maven offline first (no network wait), then online once for what a new machine has not downloaded yet.
mvn_local_first() { mvn -q -o "$@" || mvn -q "$@"; }
usage() { sed -n '2,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
need_number() { [[ "$2" =~ ^[0-9]+$ ]] || die "$1 must be a whole number, got '$2'"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --records) need_number "$1" "${2:-}"; RECORDS=$2; shift 2 ;;
    --quick) RECORDS=500000; LAG_SECONDS=10; QUERIES=200; WARMUP_QUERIES=50; shift ;;
    --queries) need_number "$1" "${2:-}"; QUERIES=$2; shift 2 ;;
    --lag-seconds) need_number "$1" "${2:-}"; LAG_SECONDS=$2; shift 2 ;;
    --heap) HEAP=${2:?--heap needs a size}; shift 2 ;;
    --java-opts) EXTRA_JAVA_OPTS=${2?--java-opts needs a value}; shift 2 ;;
    --jfr) JFR=1; shift ;;
    --out) OUT_DIR=${2:?--out needs a directory}; shift 2 ;;
    --keep-data) KEEP_DATA=1; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --queries-only) QUERIES_ONLY=1; KEEP_DATA=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; EXTRA_ARGS=("$@"); break ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

command -v java >/dev/null || die "java is not on PATH"
command -v javac >/dev/null || die "javac is not on PATH"
if [ -z "$OUT_DIR" ]; then
  OUT_DIR=$(mktemp -d /tmp/tmbench4.XXXXXX) || die "cannot create an output directory"
else
  mkdir -p "$OUT_DIR" || die "cannot create $OUT_DIR"
fi
OUT_DIR=$(cd "$OUT_DIR" && pwd)
DEPS_FILE="$OUT_DIR/dependencies.classpath"
# Snapshot of the compiled classes: the run uses these copies, so a rebuild of the modules by someone else during
# a long run cannot change classes under it.
SNAPSHOT="$OUT_DIR/classes"

# Build: the main classes of common, broker and collector with Maven (offline when it can), then only this benchmark's
# package with javac, so that unrelated test sources of the module being edited elsewhere cannot break the run.
if [ "$SKIP_BUILD" -eq 0 ]; then
  log "building common, broker and collector (mvn -q -pl collector -am compile) ..."
  (cd "$REPO_DIR" && mvn_local_first -pl collector -am compile) >"$OUT_DIR/build.log" 2>&1 \
    || { tail -30 "$OUT_DIR/build.log" >&2; die "the build failed (see $OUT_DIR/build.log)"; }
  (cd "$REPO_DIR/collector" && mvn_local_first dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$DEPS_FILE") >>"$OUT_DIR/build.log" 2>&1 \
    || { tail -30 "$OUT_DIR/build.log" >&2; die "resolving the test classpath failed (see $OUT_DIR/build.log)"; }
  rm -rf "$SNAPSHOT" && mkdir -p "$SNAPSHOT/bench"
  for module in common broker collector; do
    cp -r "$REPO_DIR/$module/target/classes" "$SNAPSHOT/$module" || die "cannot copy the classes of $module"
  done
  javac -nowarn -d "$SNAPSHOT/bench" -cp "$SNAPSHOT/collector:$SNAPSHOT/common:$SNAPSHOT/broker:$(cat "$DEPS_FILE")" \
      "$BENCH_SRC"/*.java >>"$OUT_DIR/build.log" 2>&1 \
    || { tail -30 "$OUT_DIR/build.log" >&2; die "compiling the benchmark failed (see $OUT_DIR/build.log)"; }
else
  [ -f "$DEPS_FILE" ] && [ -d "$SNAPSHOT/bench" ] || die "--skip-build needs the classes of an earlier run in --out"
fi
CLASSPATH_BENCH="$SNAPSHOT/bench:$SNAPSHOT/collector:$SNAPSHOT/common:$SNAPSHOT/broker:$(cat "$DEPS_FILE")"

# the garbage collector the collector's service runs with (deploy/systemd/tracemesh-collector.service), unless
# --java-opts names another
GC_OPT="-XX:+UseParallelGC"
case "$EXTRA_JAVA_OPTS" in *-XX:+Use*GC*) GC_OPT="" ;; esac
JAVA_OPTS_RUN="-Xms$HEAP -Xmx$HEAP $GC_OPT -XX:+AlwaysPreTouch $EXTRA_JAVA_OPTS"
if [ "$JFR" -eq 1 ]; then
  JAVA_OPTS_RUN="$JAVA_OPTS_RUN -XX:StartFlightRecording=filename=$OUT_DIR/collector.jfr,settings=profile"
fi

DATA_DIR="$OUT_DIR/data"
MODE=full
if [ "$QUERIES_ONLY" -eq 1 ]; then
  [ -d "$DATA_DIR/store" ] || die "--queries-only needs the store of an earlier run kept in $DATA_DIR (--keep-data)"
  MODE=queries
else
  rm -rf "$DATA_DIR"  # a fresh broker and store every run
fi
if [ "$MODE" = queries ]; then
  log "timing the queries over the store in $DATA_DIR, $QUERIES calls per query; outputs in $OUT_DIR"
  RESULTS="$OUT_DIR/results-queries.txt"
else
  log "running: $RECORDS hop records, lag ${LAG_SECONDS}s, $QUERIES calls per query; outputs in $OUT_DIR"
  RESULTS="$OUT_DIR/results.txt"
fi
# shellcheck disable=SC2086
java $JAVA_OPTS_RUN -cp "$CLASSPATH_BENCH" "$MAIN_CLASS" \
    --records "$RECORDS" --queries "$QUERIES" --warmup-queries "$WARMUP_QUERIES" --lag-seconds "$LAG_SECONDS" \
    --work-dir "$DATA_DIR" --mode "$MODE" "${EXTRA_ARGS[@]}" \
    >"$RESULTS" 2> >(tee "$OUT_DIR/progress-$MODE.log" >&2)
STATUS=$?
[ "$STATUS" -eq 0 ] || die "the benchmark JVM failed with status $STATUS (see $OUT_DIR/progress-$MODE.log)"

if [ "$KEEP_DATA" -eq 0 ]; then
  rm -rf "$DATA_DIR"
fi

echo
echo "== collector benchmark ($(nproc) cores, JVM options: $JAVA_OPTS_RUN) — $RESULTS"
grep -E '^(agents|destinations|rounds|produced_hop_records|produced_traces|hop_records_per_trace|produce_hop_records_per_s|drain_s|merged_traces_per_s|lag_offered_hop_records_per_s|lag_samples|store_bytes|store_hop_records|store_reopen_s)=' \
  "$RESULTS" | sed 's/^/  /'
echo
sed -n '/^| figure/,$p' "$RESULTS"
if [ "$JFR" -eq 1 ] && [ -f "$OUT_DIR/collector.jfr" ]; then
  echo
  echo "== where CPU went (JFR execution samples, collector/bench/jfr_summary.py)"
  python3 "$SCRIPT_DIR/jfr_summary.py" "$OUT_DIR/collector.jfr" || echo "(summary failed; the recording is kept)"
fi
exit 0
