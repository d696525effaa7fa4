#!/usr/bin/env bash
# Benchmark: the agent daemon's pipeline, probes -> hop messages -> Kafka, inside a private lab of network
# namespaces. Run as root. Measures what issue 3 asks for:
#   - hop records per second one agent publishes to the embedded broker (targets: >= 100,000/s),
#   - the agent's RSS idle and while bulk-probing at its maximum rate (target: < 200 MB),
#   - the agent's CPU time per 10,000 probes.
#
# Lab (all addresses in 198.18.0.0/15, namespaces named tmbench3-*):
#
#   tmbench3-vp             tmbench3-r1               tmbench3-r2               tmbench3-dst
#   r0 198.18.1.1 ---- l0 198.18.1.2                                                 (lo: local 198.19.0.0/17)
#                      r0 198.18.2.1 ---- l0 198.18.2.2
#                                         r0 198.18.3.1 ---- l0 198.18.3.2
#   broker (BrokerMain) and agent (agent.jar run) both run in tmbench3-vp, talking over its own loopback;
#   nothing is added to the root namespace. Every trace must read 198.18.1.2, 198.18.2.2, then the target.
#
# Two measurements:
#   1. round: the agent daemon runs ONE measured round of an icmp-paris measurement to every host of the /17
#      (hop by hop: probes_per_hop 1, parallel_ttls 1, wait_ms 1000, max_ttl 5) at --rate, after a smaller
#      warm-up round of another measurement (so the JIT has compiled the hot path). Its RSS and CPU
#      (/proc/PID/status, /proc/PID/stat) are sampled every 100 ms; after the round the hop and trace messages
#      are read back from the broker (topics with broker-side LogAppendTime timestamps). The hop-record rate of
#      this round = hop messages / (last - first hop timestamp): bounded by the probing rate (one reply = one
#      hop record).
#   2. publisher: the agent's real PublisherVerticle, without probing, fed realistic hop messages as fast as
#      it takes them (net.tracemesh.agent.bench.PublisherThroughput, test scope): the driver keeps at most
#      --publisher-window messages unacknowledged by Kafka (acks counted by a producer interceptor). Runs:
#        publisher     window --publisher-window (default 2000): the capacity compared with the 100,000/s
#                      target (the run also says whether the publisher fell back to its spool);
#        overload      window --overload-window (default memory-records / 2): a deeper window, where the
#                      publisher's own backlog of unsettled acks reaches memory-records and it spools;
#        raw-producer  the same messages, encoded on one thread into a plain KafkaProducer with the
#                      publisher's producer settings (no Vert.x, no spool): the ceiling of this design;
#        encode        the JSON encoding alone (MessageJson.encode), no Kafka.
#
# Build first (compiles the test-scope bench tools too): mvn -q -o install -DskipTests
#
# Usage: agent/bench/daemon-pipeline.sh [options]
#   --targets-prefix-len N  trace every host of 198.19.0.0/N (17..30, default 17 = 32,766 targets)
#   --rate PPS              the agent's probing.rate (default 200000)
#   --java-opts "OPTS"      JVM options of the agent and of the publisher driver
#                           (default: the agent daemon's recommended options from the README,
#                           "-XX:+UseSerialGC -Xmx64m -Xss512k -XX:ReservedCodeCacheSize=24m -XX:CICompilerCount=2", with MALLOC_ARENA_MAX=2)
#   --broker-java-opts "OPTS"  JVM options of the broker (default "-Xmx1g")
#   --start-delay S         seconds from the agent's launch to the measured round (default 30)
#   --warmup-prefix-len N   warm-up round to every host of 198.19.0.0/N, 12 s after the launch (17..30,
#                           default 20 = 4,094 targets; 0 = no warm-up round)
#   --records N             publisher driver: measured hop messages (default 1000000)
#   --warmup-records N      publisher driver: warm-up hop messages before measuring (default 200000)
#   --memory-records N      spool.memory-records of agent and driver (default 20000)
#   --publisher-window N    driver window of the publisher and raw-producer runs (default 2000)
#   --overload-window N     driver window of the overload run (default memory-records / 2)
#   --driver-args "ARGS"    extra PublisherThroughput options for every run, e.g. "--destinations 1000"
#   --skip-round            do not run the agent round
#   --skip-publisher        do not run the publisher driver
#   --publisher-runs "R.."  the driver runs, of publisher, overload, raw-producer, encode
#                           (default "publisher overload raw-producer encode"; the target applies to publisher)
#   --jfr                   record a JFR file of the agent (round) and of the driver in publisher mode
#                           (agent.jfr, publisher.jfr; summarise with agent/bench/jfr_hotspots.py FILE)
#   --jar PATH              agent jar (default agent/target/agent.jar)
#   --out DIR               keep outputs here (default: a new /tmp/tmbench3.XXXXXX directory)
#   --keep-lab              do not tear the lab down on exit
#   --round-timeout S       give up waiting for the round after S seconds (default 900)
#
# Exit status: 0 when the benchmark ran (PASS or FAIL: see the summary), 2 on a setup failure.

set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

PREFIX_LEN=17
RATE=200000
JAVA_OPTS_BENCH="-XX:+UseSerialGC -Xmx64m -Xss512k -XX:ReservedCodeCacheSize=24m -XX:CICompilerCount=2"
# glibc: two malloc arenas instead of one per thread keep the native part of the JVMs' RSS small
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
BROKER_JAVA_OPTS="-Xmx1g"
START_DELAY=30
WARMUP_PREFIX_LEN=20
WARMUP_AT=12
RECORDS=1000000
WARMUP=200000
MEMORY_RECORDS=20000
DRIVER_ARGS=""
SKIP_ROUND=0
SKIP_PUBLISHER=0
PUBLISHER_RUNS="publisher overload raw-producer encode"
PUBLISHER_WINDOW=2000
OVERLOAD_WINDOW=""
JFR=0
JAR="$REPO_DIR/agent/target/agent.jar"
OUT_DIR=""
KEEP_LAB=0
ROUND_TIMEOUT=900

NS_PREFIX=tmbench3-
NS_VP=${NS_PREFIX}vp
DST_NET=198.19.0.0
DST_LEN=17
ROUTERS=2
BROKER_PORT=9092
BOOTSTRAP=127.0.0.1:$BROKER_PORT
TOPIC_PREFIX=tracemesh.
MEASUREMENT=bench-bulk
WARMUP_MEASUREMENT=bench-warmup
AGENT_ID=bench-agent
BENCH_PKG=net/tracemesh/agent/bench
TARGET_RECORDS_PER_S=100000
TARGET_RSS_MB=200

die() { echo "daemon-pipeline: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

usage() { sed -n '2,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

need_number() { [[ "$2" =~ ^[0-9]+$ ]] || die "$1 must be a whole number, got '$2'"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --targets-prefix-len) PREFIX_LEN=${2:?}; shift 2 ;;
    --rate) RATE=${2:?}; shift 2 ;;
    --java-opts) JAVA_OPTS_BENCH=${2?}; shift 2 ;;
    --broker-java-opts) BROKER_JAVA_OPTS=${2?}; shift 2 ;;
    --start-delay) START_DELAY=${2:?}; shift 2 ;;
    --warmup-prefix-len) WARMUP_PREFIX_LEN=${2:?}; shift 2 ;;
    --records) RECORDS=${2:?}; shift 2 ;;
    --warmup-records) WARMUP=${2:?}; shift 2 ;;
    --memory-records) MEMORY_RECORDS=${2:?}; shift 2 ;;
    --driver-args) DRIVER_ARGS=${2?}; shift 2 ;;
    --skip-round) SKIP_ROUND=1; shift ;;
    --skip-publisher) SKIP_PUBLISHER=1; shift ;;
    --publisher-runs) PUBLISHER_RUNS=${2:?}; shift 2 ;;
    --publisher-window) PUBLISHER_WINDOW=${2:?}; shift 2 ;;
    --overload-window) OVERLOAD_WINDOW=${2:?}; shift 2 ;;
    --jfr) JFR=1; shift ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --out) OUT_DIR=${2:?}; shift 2 ;;
    --keep-lab) KEEP_LAB=1; shift ;;
    --round-timeout) ROUND_TIMEOUT=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

need_number --targets-prefix-len "$PREFIX_LEN"
[ "$PREFIX_LEN" -ge "$DST_LEN" ] && [ "$PREFIX_LEN" -le 30 ] || die "--targets-prefix-len must be $DST_LEN..30"
need_number --rate "$RATE"; need_number --start-delay "$START_DELAY"; need_number --records "$RECORDS"
need_number --warmup-records "$WARMUP"; need_number --memory-records "$MEMORY_RECORDS"
need_number --round-timeout "$ROUND_TIMEOUT"
[ "$RATE" -ge 1 ] && [ "$RATE" -le 1000000 ] || die "--rate must be 1..1000000"
need_number --warmup-prefix-len "$WARMUP_PREFIX_LEN"
if [ "$WARMUP_PREFIX_LEN" -ne 0 ]; then
  [ "$WARMUP_PREFIX_LEN" -ge "$DST_LEN" ] && [ "$WARMUP_PREFIX_LEN" -le 30 ] \
    || die "--warmup-prefix-len must be 0 or $DST_LEN..30"
  [ "$START_DELAY" -ge $((WARMUP_AT + 10)) ] \
    || die "--start-delay must be at least $((WARMUP_AT + 10)) with a warm-up round (it starts ${WARMUP_AT} s after the launch)"
fi
[ "$START_DELAY" -ge 8 ] || die "--start-delay must be at least 8 (the agent needs a few seconds to start)"
[ "$RECORDS" -ge 1 ] || die "--records must be at least 1"
[ "$MEMORY_RECORDS" -ge 2 ] || die "--memory-records must be at least 2"
for m in $PUBLISHER_RUNS; do
  case "$m" in publisher|overload|raw-producer|encode) ;; *) die "--publisher-runs: unknown run '$m'" ;; esac
done
[ -n "$OVERLOAD_WINDOW" ] || OVERLOAD_WINDOW=$((MEMORY_RECORDS / 2))
need_number --publisher-window "$PUBLISHER_WINDOW"; need_number --overload-window "$OVERLOAD_WINDOW"
[ "$PUBLISHER_WINDOW" -ge 1 ] && [ "$PUBLISHER_WINDOW" -le "$MEMORY_RECORDS" ] \
  || die "--publisher-window must be 1..memory-records ($MEMORY_RECORDS)"
[ "$OVERLOAD_WINDOW" -ge 1 ] && [ "$OVERLOAD_WINDOW" -le "$MEMORY_RECORDS" ] \
  || die "--overload-window must be 1..memory-records ($MEMORY_RECORDS)"
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, raw sockets)"
command -v ip >/dev/null || die "iproute2 (ip) is required"
command -v python3 >/dev/null || die "python3 is required"
command -v java >/dev/null || die "java is required"
[ -f "$JAR" ] || die "agent jar not found: $JAR (build: cd $REPO_DIR && mvn -q -o install -DskipTests)"
BENCH_CLASSES_SRC="$REPO_DIR/agent/target/test-classes/$BENCH_PKG"
[ -f "$BENCH_CLASSES_SRC/PublisherThroughput.class" ] && [ -f "$BENCH_CLASSES_SRC/RoundStats.class" ] \
  || die "bench tools not compiled: $BENCH_CLASSES_SRC (build: cd $REPO_DIR && mvn -q -o install -DskipTests)"
[ -d "$REPO_DIR/broker/target/classes/net/tracemesh/broker" ] \
  || die "broker classes not found (build: cd $REPO_DIR && mvn -q -o install -DskipTests)"

if [ -z "$OUT_DIR" ]; then OUT_DIR=$(mktemp -d /tmp/tmbench3.XXXXXX) || die "mktemp failed"; fi
mkdir -p "$OUT_DIR" || die "cannot create $OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)

# ---------------------------------------------------------------- private copies and classpaths

# private copies: the repo's target/ directories may be rebuilt (or cleaned) while the benchmark runs
jar_ok() { python3 -c 'import sys, zipfile; sys.exit(0 if zipfile.ZipFile(sys.argv[1]).testzip() is None else 1)' "$1" 2>/dev/null; }
copy_jar() {  # copies the agent jar once it has not changed for 3 s, and checks the copy (a build may be writing it)
  local try
  for ((try = 0; try < 30; try++)); do
    if [ $(( $(date +%s) - $(stat -c %Y "$JAR") )) -ge 3 ] && cp "$JAR" "$OUT_DIR/agent.jar" && jar_ok "$OUT_DIR/agent.jar"; then
      return 0
    fi
    sleep 2
  done
  return 1
}
copy_jar || die "cannot get a complete copy of $JAR (is a build rewriting it?)"
mkdir -p "$OUT_DIR/bench-classes/$BENCH_PKG" "$OUT_DIR/broker-classes" || die "cannot create class directories"
cp "$BENCH_CLASSES_SRC"/*.class "$OUT_DIR/bench-classes/$BENCH_PKG/" || die "cannot copy the bench tools"
cp -r "$REPO_DIR/broker/target/classes/." "$OUT_DIR/broker-classes/" || die "cannot copy the broker classes"

broker_dependencies() {  # the broker module's dependency classpath (includes slf4j-simple, a test dependency)
  local f="$OUT_DIR/broker.deps"
  (cd "$REPO_DIR" && mvn -q -o dependency:build-classpath -pl broker -Dmdep.outputFile="$f" >/dev/null 2>&1) \
    || (cd "$REPO_DIR" && mvn -q dependency:build-classpath -pl broker -Dmdep.outputFile="$f" >/dev/null 2>&1) \
    || return 1
  cat "$f"
}
BROKER_DEPS=$(broker_dependencies) || die "cannot compute the broker's classpath (mvn dependency:build-classpath -pl broker)"
case ":$BROKER_DEPS:" in *slf4j-simple*) ;; *) log "warning: no slf4j-simple on the broker classpath: no broker log" ;; esac
BROKER_CP="$OUT_DIR/broker-classes:$BROKER_DEPS"
# the shaded agent jar holds the agent, common, Vert.x and the Kafka client; the bench tools are test classes
TOOLS_CP="$OUT_DIR/agent.jar:$OUT_DIR/bench-classes:$OUT_DIR/broker-classes"

# ---------------------------------------------------------------- lab

NS_DST="${NS_PREFIX}dst"
# shellcheck source=chain-lab.sh
. "$SCRIPT_DIR/chain-lab.sh"

SAMPLER_PID=""

on_exit() {
  local rc=$?
  trap - INT TERM
  if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
  if [ "$KEEP_LAB" -eq 0 ]; then
    lab_teardown
  else
    log "lab kept (--keep-lab): processes still run in it; remove with: ip netns pids / ip netns del ${NS_PREFIX}..."
  fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT TERM


# ---------------------------------------------------------------- helpers

now_ms() { date +%s%3N; }

# wait_for_line FILE PATTERN SECONDS PID: waits until FILE holds a line matching PATTERN; fails when PID exits
wait_for_line() {
  local file=$1 pattern=$2 secs=$3 pid=$4 deadline
  deadline=$(( $(date +%s) + secs ))
  while ! grep -q "$pattern" "$file" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || return 1
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2 &
    wait $!
  done
}

# the sampler: every 100 ms, "epoch_ms VmRSS_kB VmHWM_kB utime_ticks stime_ticks" of a process, until it exits;
# every second also each thread's CPU ("epoch_ms tid utime stime name") in a second file
cat >"$OUT_DIR/sampler.py" <<'EOF'
import os, sys, time
pid, out, threads_out, interval = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])

def thread_lines(now):
    lines = []
    try:
        tids = os.listdir("/proc/%s/task" % pid)
    except OSError:
        return lines
    for tid in tids:
        try:
            st = open("/proc/%s/task/%s/stat" % (pid, tid)).read()
        except OSError:
            continue
        name = st[st.find("(") + 1:st.rfind(")")].replace(" ", "_")
        rest = st[st.rfind(")") + 2:].split()
        lines.append("%d %s %s %s %s\n" % (now, tid, rest[11], rest[12], name))
    return lines

with open(out, "w", buffering=1) as f, open(threads_out, "w") as t:
    f.write("# clk_tck %d\n" % os.sysconf("SC_CLK_TCK"))
    n = 0
    while True:
        try:
            status = open("/proc/%s/status" % pid).read()
            stat = open("/proc/%s/stat" % pid).read()
        except OSError:
            break
        now = time.time() * 1000
        kv = {}
        for line in status.splitlines():
            k, _, v = line.partition(":")
            kv[k] = v.strip()
        rest = stat[stat.rfind(")") + 2:].split()
        f.write("%d %s %s %s %s\n" % (now, kv.get("VmRSS", "0 kB").split()[0],
                                      kv.get("VmHWM", "0 kB").split()[0], rest[11], rest[12]))
        if n % 10 == 0:
            t.writelines(thread_lines(now))
            t.flush()
        n += 1
        time.sleep(interval)
EOF

# ---------------------------------------------------------------- main

log "output directory: $OUT_DIR"
lab_setup
log "lab up: ${NODES[*]} (expected path: ${EXPECTED_ROUTERS//,/ -> } -> target)"

TARGETS="$OUT_DIR/targets.txt"
lab_targets "$TARGETS"
N_TARGETS=$(wc -l <"$TARGETS")
log "targets: $N_TARGETS hosts of $DST_NET/$PREFIX_LEN"

# broker, in the vantage namespace, on its loopback
log "starting the broker in $NS_VP (127.0.0.1:$BROKER_PORT)"
# shellcheck disable=SC2086  # word splitting of the JVM options is intended
nsx "$NS_VP" java $BROKER_JAVA_OPTS -cp "$BROKER_CP" net.tracemesh.broker.BrokerMain \
  --data-dir "$OUT_DIR/broker-data" --port "$BROKER_PORT" >"$OUT_DIR/broker.out" 2>"$OUT_DIR/broker.log" </dev/null &
BROKER_PID=$!
wait_for_line "$OUT_DIR/broker.out" "listening on" 180 "$BROKER_PID" \
  || die "the broker did not start (see $OUT_DIR/broker.log)"
log "broker up: $(cat "$OUT_DIR/broker.out")"

nsx "$NS_VP" java -cp "$TOOLS_CP" net.tracemesh.agent.bench.BenchTopics --bootstrap "$BOOTSTRAP" \
  --prefix "$TOPIC_PREFIX" >"$OUT_DIR/topics.out" 2>"$OUT_DIR/topics.log" </dev/null \
  || die "cannot create the topics (see $OUT_DIR/topics.log)"
log "topics created: $(awk '{print $2}' "$OUT_DIR/topics.out" | tr '\n' ' ')"

# ---------------------------------------------------------------- 1. one bulk round of the agent daemon

run_round() {
  local launch start_iso warmup_iso="" agent_pid rs_pid jfr_opt="" rc ready_within n_warmup=0 warmup_yaml=""
  launch=$(date +%s)
  start_iso=$(date -u -d "@$((launch + START_DELAY))" +%Y-%m-%dT%H:%M:%SZ)
  ready_within=$((START_DELAY - 3))
  if [ "$WARMUP_PREFIX_LEN" -ne 0 ]; then
    warmup_iso=$(date -u -d "@$((launch + WARMUP_AT))" +%Y-%m-%dT%H:%M:%SZ)
    ready_within=$((WARMUP_AT - 2))
    n_warmup=$(( (1 << (32 - WARMUP_PREFIX_LEN)) - 2 ))
    warmup_yaml="  - schema: 1
    id: $WARMUP_MEASUREMENT
    description: \"daemon-pipeline benchmark: warm-up round (JIT) to every host of $DST_NET/$WARMUP_PREFIX_LEN\"
    method: icmp-paris
    targets: [\"$DST_NET/$WARMUP_PREFIX_LEN\"]
    interval_s: 86400
    jitter_s: 0
    start: \"$warmup_iso\"
    agents: {all: true}
    trace: {probes_per_hop: 1, wait_ms: 1000, parallel_ttls: 1, max_ttl: 5}"
  fi
  mkdir -p "$OUT_DIR/agent-data"
  cat >"$OUT_DIR/agent.yaml" <<EOF
# generated by daemon-pipeline.sh
agent:
  id: $AGENT_ID
  site: "tmbench3 lab"
  data-dir: "$OUT_DIR/agent-data"
probing:
  rate: $RATE
safety:
  max-targets: 131072
  max-probes-per-round: 100000000
kafka:
  bootstrap-servers: "$BOOTSTRAP"
  topic-prefix: "$TOPIC_PREFIX"
spool:
  memory-records: $MEMORY_RECORDS
heartbeat:
  interval-s: 30
measurements:
  - schema: 1
    id: $MEASUREMENT
    description: "daemon-pipeline benchmark: one round to every host of $DST_NET/$PREFIX_LEN"
    method: icmp-paris
    targets: ["$DST_NET/$PREFIX_LEN"]
    interval_s: 86400
    jitter_s: 0
    start: "$start_iso"
    agents: {all: true}
    trace: {probes_per_hop: 1, wait_ms: 1000, parallel_ttls: 1, max_ttl: 5}
$warmup_yaml
EOF
  if [ "$JFR" -eq 1 ]; then
    jfr_opt="-XX:StartFlightRecording=filename=$OUT_DIR/agent.jfr,settings=profile,dumponexit=true"
  fi
  if [ -n "$warmup_iso" ]; then
    log "agent: warm-up round of $n_warmup targets at $warmup_iso (in ${WARMUP_AT} s)"
  fi
  log "agent: measured round of $N_TARGETS targets at $start_iso (in ${START_DELAY} s), rate $RATE, JVM: $JAVA_OPTS_BENCH"
  # ip netns exec execs: $! is the agent JVM itself
  # shellcheck disable=SC2086
  (cd "$OUT_DIR" && exec ip netns exec "$NS_VP" java $JAVA_OPTS_BENCH $jfr_opt -jar "$OUT_DIR/agent.jar" \
    run --config "$OUT_DIR/agent.yaml") >"$OUT_DIR/agent.log" 2>&1 </dev/null &
  agent_pid=$!
  sleep 0.3
  [ "$(cat "/proc/$agent_pid/comm" 2>/dev/null)" = java ] || die "agent process $agent_pid is not java (see $OUT_DIR/agent.log)"
  python3 "$OUT_DIR/sampler.py" "$agent_pid" "$OUT_DIR/agent.samples" "$OUT_DIR/agent.threads" 0.1 &
  SAMPLER_PID=$!

  wait_for_line "$OUT_DIR/agent.log" "running:" "$ready_within" "$agent_pid" \
    || die "the agent did not start within $ready_within s (raise --start-delay, or see $OUT_DIR/agent.log)"
  log "agent running (pid $agent_pid); waiting for the rounds"
  local warmup_args=()
  [ -z "$warmup_iso" ] || warmup_args=(--warmup-measurement "$WARMUP_MEASUREMENT")
  nsx "$NS_VP" java -Xmx512m -cp "$TOOLS_CP" net.tracemesh.agent.bench.RoundStats --bootstrap "$BOOTSTRAP" \
    --prefix "$TOPIC_PREFIX" --measurement "$MEASUREMENT" --targets "$N_TARGETS" \
    --expect-traces "$((N_TARGETS + n_warmup))" "${warmup_args[@]}" \
    --traces-out "$OUT_DIR/round.traces.jsonl" --timeout-s "$((ROUND_TIMEOUT + START_DELAY))" \
    >"$OUT_DIR/round.stats" 2>"$OUT_DIR/round.stats.log" </dev/null &
  rs_pid=$!
  wait "$rs_pid"
  rc=$?
  [ "$rc" -eq 0 ] || die "reading the round back failed (exit $rc, see $OUT_DIR/round.stats.log)"
  log "round read back: $(grep wait_result "$OUT_DIR/round.stats")"
  # a few idle samples after the round, then stop the agent the way an operator does
  sleep 1
  kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
  kill -TERM "$agent_pid" 2>/dev/null
  local i
  for ((i = 0; i < 600; i++)); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$agent_pid" 2>/dev/null; then
    log "agent still running 60 s after SIGTERM: killing it"
    kill -9 "$agent_pid" 2>/dev/null
  fi
  wait "$agent_pid" 2>/dev/null
  echo "agent_exit=$?" >>"$OUT_DIR/round.stats"

  python3 "$SCRIPT_DIR/analyze_traces.py" --format agent --file "$OUT_DIR/round.traces.jsonl" \
    --targets "$TARGETS" --routers "$EXPECTED_ROUTERS" --bad-sample "$OUT_DIR/round.bad.json" \
    >"$OUT_DIR/round.score.json"
}

# ---------------------------------------------------------------- 2. the publisher's own capacity

run_publisher() {  # run_publisher RUN: output in RUN.stats and RUN.log
  local run=$1 mode window jfr_opt="" rc
  case "$run" in
    publisher) mode=publisher; window=$PUBLISHER_WINDOW ;;
    overload) mode=publisher; window=$OVERLOAD_WINDOW ;;
    raw-producer) mode=raw-producer; window=$PUBLISHER_WINDOW ;;
    encode) mode=encode; window=$PUBLISHER_WINDOW ;;
  esac
  if [ "$JFR" -eq 1 ] && [ "$run" = publisher ]; then
    jfr_opt="-XX:StartFlightRecording=filename=$OUT_DIR/publisher.jfr,settings=profile,dumponexit=true"
  fi
  log "publisher driver, run $run (mode $mode, window $window): $WARMUP warm-up + $RECORDS measured hop messages, memory-records $MEMORY_RECORDS, JVM: $JAVA_OPTS_BENCH"
  # each run writes its own topic, so that the runs do not share partitions
  # shellcheck disable=SC2086
  nsx "$NS_VP" java $JAVA_OPTS_BENCH $jfr_opt -cp "$TOOLS_CP" net.tracemesh.agent.bench.PublisherThroughput \
    --mode "$mode" --window "$window" --bootstrap "$BOOTSTRAP" --prefix "tmbench-$run." --records "$RECORDS" \
    --warmup "$WARMUP" --memory-records "$MEMORY_RECORDS" --work-dir "$OUT_DIR/$run-work" $DRIVER_ARGS \
    >"$OUT_DIR/$run.stats" 2>"$OUT_DIR/$run.log" </dev/null &
  wait $!
  rc=$?
  [ "$rc" -eq 0 ] || log "publisher driver ($run) failed (exit $rc, see $OUT_DIR/$run.log)"
  grep -h "publisher-throughput: measured: [0-9,]* messages" "$OUT_DIR/$run.log" >&2 || true
}

[ "$SKIP_ROUND" -eq 1 ] || run_round
if [ "$SKIP_PUBLISHER" -eq 0 ]; then
  for m in $PUBLISHER_RUNS; do
    run_publisher "$m"
  done
fi

# ---------------------------------------------------------------- summary

python3 - "$OUT_DIR" "$N_TARGETS" "$DST_NET/$PREFIX_LEN" "$RATE" "$JAVA_OPTS_BENCH" "$TARGET_RECORDS_PER_S" \
  "$TARGET_RSS_MB" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF' | tee "$OUT_DIR/summary.txt"
import collections, json, os, re, sys
out, n, net, rate, jopts, target_rate, target_rss, cpus, load = sys.argv[1:10]
target_rate, target_rss = float(target_rate), float(target_rss)

def kv(name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return None
    return dict(l.strip().split("=", 1) for l in open(path) if "=" in l)

rows = []  # (figure, value, target, verdict)
notes = []  # lines printed under the table
verdicts = []

def spooled(st):
    return st.get("spooling_samples", "0") != "0" or st.get("stats_spooling", "false") != "false"

def driver_rows(st, label):
    rows.append(("  %s: records / seconds / driver window" % label,
                 "%s / %s s / %s" % (st["records"], st["seconds"], st.get("window", "?")), "", ""))
    rows.append(("  %s: driver JVM CPU ms per 10,000 records" % label, st["process_cpu_ms_per_10k"], "", ""))
    rows.append(("  %s: driver JVM peak RSS MB / GC ms" % label,
                 "%.1f / %s" % (int(st["rss_peak_kb"]) / 1024, st["gc_ms"]), "", ""))
    if spooled(st):
        rows.append(("  %s: spooling seen in samples / most messages in the spool" % label,
                     "%s / %s" % (st.get("spooling_samples"), st.get("spool_pending_max")), "", ""))

pub = kv("publisher.stats")
if pub is not None:
    if "records_per_s" in pub:
        r = float(pub["records_per_s"])
        ok = r >= target_rate
        verdicts.append(ok)
        rows.append(("publisher capacity, hop records/s acknowledged", "%.0f%s" % (r, " (spooled)" if spooled(pub)
                     else ""), ">= %.0f" % target_rate, "PASS" if ok else "FAIL"))
        driver_rows(pub, "publisher")
    else:
        verdicts.append(False)
        rows.append(("publisher capacity, hop records/s acknowledged", "failed (see publisher.log)",
                     ">= %.0f" % target_rate, "FAIL"))
ovl = kv("overload.stats")
if ovl is not None:
    if "records_per_s" in ovl:
        rows.append(("publisher with a deep window (overload), records/s acked", "%s%s" % (ovl["records_per_s"],
                     " (spooled)" if spooled(ovl) else ""), "", ""))
        driver_rows(ovl, "overload")
    else:
        rows.append(("publisher with a deep window (overload)", "failed (see overload.log)", "", ""))

for mode, what in (("raw-producer", "reference: plain KafkaProducer from one thread, records/s acked"),
                   ("encode", "reference: JSON encoding alone (MessageJson), records/s")):
    ref = kv(mode + ".stats")
    if ref is not None:
        if "records_per_s" in ref:
            rows.append((what, "%s (%s CPU ms/10k, GC %s ms)" % (ref["records_per_s"], ref["process_cpu_ms_per_10k"],
                                                             ref["gc_ms"]), "", ""))
        else:
            rows.append((what, "failed (see %s.log)" % mode, "", ""))

rs = kv("round.stats")
if rs is not None and "hop_messages" in rs:
    samples, clk = [], 100
    for line in open(os.path.join(out, "agent.samples")):
        if line.startswith("# clk_tck"):
            clk = int(line.split()[2])
        elif line.strip():
            t, rss, hwm, ut, st = (int(x) for x in line.split())
            samples.append((t, rss, hwm, ut + st))
    start = int(rs["round_start_ms"]) if rs.get("round_start_ms") else None
    end = int(rs["published_last_ms"])
    before = [s for s in samples if start is not None and s[0] <= start]
    wstart = int(rs["warmup_round_start_ms"]) if rs.get("warmup_round_start_ms") else None
    fresh = [s for s in samples if wstart is not None and s[0] <= wstart]
    during = [s for s in samples if start is not None and start <= s[0] <= end]
    after = [s for s in samples if s[0] >= end]
    hops = int(rs["hop_messages"])
    first, last = int(rs["hop_first_ms"]), int(rs["hop_last_ms"])
    e2e = hops / ((last - first) / 1000.0) if last > first else float("nan")
    probes = int(rs["probes_sent"])
    score = json.load(open(os.path.join(out, "round.score.json")))
    idle = (fresh or before)[-1][1] / 1024.0 if (fresh or before) else float("nan")
    idle_warm = before[-1][1] / 1024.0 if before and fresh else None
    peak = max(s[1] for s in during) / 1024.0 if during else float("nan")
    hwm = samples[-1][2] / 1024.0 if samples else float("nan")
    cpu_ms = ((after[0][3] - before[-1][3]) * 1000.0 / clk) if before and after else float("nan")
    wall = (int(rs["last_trace_end_ms"]) - start) / 1000.0 if start and rs.get("last_trace_end_ms") else float("nan")
    rows.append(("end-to-end hop records/s during the bulk round", "%.0f" % e2e, "(bounded by probing)", ""))
    rows.append(("  hop messages / first-to-last broker timestamp", "%d / %.3f s" % (hops, (last - first) / 1000.0),
                 "", ""))
    rows.append(("probes sent (sum of the traces' probes_sent)", "%d" % probes, "", ""))
    rows.append(("round wall time (round start to last trace end)", "%.2f s" % wall, "", ""))
    rows.append(("probes/s over the round", "%.0f" % (probes / wall) if wall == wall and wall > 0 else "-", "", ""))
    rows.append(("correct paths [r1, r2, target]", "%.2f%% (%d/%s)" % (score.get("correct_pct", 0.0),
                 score.get("correct", 0), n), "", ""))
    ok_idle = idle < target_rss
    ok_peak = peak < target_rss
    verdicts += [ok_idle, ok_peak]
    rows.append(("agent RSS idle MB (last sample before %s)" % ("any round" if fresh else "the round"),
                 "%.1f" % idle, "< %.0f" % target_rss, "PASS" if ok_idle else "FAIL"))
    if idle_warm is not None:
        rows.append(("  agent RSS MB after the warm-up round (%s traces), idle" % rs.get("warmup_traces"),
                     "%.1f" % idle_warm, "", ""))
    rows.append(("agent RSS peak MB during bulk probing (100 ms samples)", "%.1f" % peak, "< %.0f" % target_rss,
                 "PASS" if ok_peak else "FAIL"))
    rows.append(("  agent VmHWM MB (peak since start)", "%.1f" % hwm, "", ""))
    rows.append(("agent CPU ms per 10,000 probes (utime+stime)", "%.1f" % (cpu_ms * 10000.0 / probes)
                 if probes else "-", "", ""))
    rows.append(("  agent CPU ms over the round / cores busy", "%.0f / %.2f" % (cpu_ms, cpu_ms / 1000.0 / wall)
                 if wall == wall and wall > 0 else "-", "", ""))
    # CPU by thread over the round: snapshots (every second) just before the start and just after the end
    snaps = {}
    tpath = os.path.join(out, "agent.threads")
    if os.path.exists(tpath):
        for line in open(tpath):
            p = line.split()
            if len(p) == 5:
                snaps.setdefault(int(p[0]), {})[p[1]] = (int(p[2]) + int(p[3]), p[4])
    times = sorted(snaps)
    t0 = [t for t in times if start is not None and t <= start]
    t1 = [t for t in times if t >= end]
    if t0 and t1:
        a, b = snaps[t0[-1]], snaps[t1[0]]
        groups = collections.Counter()
        for tid, (ticks, name) in b.items():
            d = ticks - a.get(tid, (0, name))[0]
            g = re.sub(r"[-_]?[0-9]+$", "-N", name) if re.search(r"(thread|Thread|GC|Compiler)", name) else name
            groups[g] += d
        total = sum(groups.values())
        top = ["%s %.0f%%" % (g, 100.0 * d / total) for g, d in groups.most_common(9) if d > 0]
        notes.append("agent CPU by thread (/proc names, cut at 15 characters) over the %.1f s around the round: %s"
                     % ((t1[0] - t0[-1]) / 1000.0, ", ".join(top)))
        jit = sum(d for g, d in groups.items() if "Compiler" in g)
        if total > 0 and probes:
            rows.append(("  agent CPU ms per 10,000 probes without JIT compiler threads (est.)",
                         "%.1f" % (cpu_ms * (1 - jit / float(total)) * 10000.0 / probes), "", ""))
    extra = []
    for k in ("hop_duplicates", "trace_duplicates", "traces_failed", "traces_without_completion"):
        if rs.get(k, "0") != "0":
            extra.append("%s=%s" % (k, rs[k]))
    if int(rs.get("hop_count_declared", hops)) != hops:
        extra.append("hop messages %d != sum of hop_count %s" % (hops, rs["hop_count_declared"]))
    if rs.get("wait_result") != "complete":
        extra.append("round not complete: %s" % rs.get("wait_result"))
    if rs.get("agent_exit", "0") not in ("0", "143"):
        extra.append("agent exit status %s" % rs["agent_exit"])
    if rs.get("hop_timestamp_type") != "LogAppendTime":
        extra.append("hop timestamps are %s, not LogAppendTime" % rs.get("hop_timestamp_type"))
    if extra:
        notes.append("round warnings: " + "; ".join(extra))
    fr = score.get("failure_reasons") or {}
    if fr:
        notes.append("incorrect traces by first failed check: " + ", ".join("%s: %d" % x for x in fr.items()))
elif rs is not None:
    verdicts.append(False)
    rows.append(("bulk round", "failed (see round.stats.log, agent.log)", "", "FAIL"))

print()
print("daemon-pipeline: %s targets (%s), ICMP-Paris hop by hop, agent rate %s pps, JVM \"%s\", %s CPUs, load %s"
      % (n, net, rate, jopts, cpus, load))
hdr = ("figure", "value", "target", "")
w = [max(len(str(r[i])) for r in [hdr] + rows) for i in range(4)]
line = "  ".join(str(h).ljust(w[i]) for i, h in enumerate(hdr)).rstrip()
print(line)
print("-" * max(len(line), sum(w) + 6))
for r in rows:
    print("  ".join(str(x).ljust(w[i]) for i, x in enumerate(r)).rstrip())
for note in notes:
    print(note)
print()
print("overall: %s" % ("PASS" if verdicts and all(verdicts) else "FAIL"))
print("outputs: %s" % out)
EOF
exit 0
