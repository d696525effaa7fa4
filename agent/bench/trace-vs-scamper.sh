#!/usr/bin/env bash
# Benchmark: tracemesh agent vs scamper, ICMP-Paris traceroute to every host of a /17,
# inside a private lab of network namespaces. Run as root.
#
# Lab (all addresses in 198.18.0.0/15, namespaces named tmbench-*):
#
#   tmbench-vp            tmbench-r1                tmbench-r2                tmbench-dst
#   r0 198.18.1.1 ---- l0 198.18.1.2                                                (lo: local 198.19.0.0/17)
#                      r0 198.18.2.1 ---- l0 198.18.2.2
#                                         r0 198.18.3.1 ---- l0 198.18.3.2
#
#   With --routers 1 the r2 hop is left out. Every trace to a target T in 198.19.0.0/17 must read
#   ttl 1 = 198.18.1.2 (r1, time exceeded), ttl 2 = 198.18.2.2 (r2, time exceeded), ttl 3 = T (echo reply).
#
# The vantage namespace only has a route for 198.18.0.0/15, so nothing can leave the lab.
# The root namespace's routes and addresses are never touched; the lab is removed on exit.
#
# Usage: agent/bench/trace-vs-scamper.sh [options]
#   --targets-prefix-len N  trace every host of 198.19.0.0/N (17..30, default 17 = 32,766 targets)
#   --routers 1|2           routers between vantage and destination (default 2)
#   --skip-scamper          do not run scamper
#   --skip-agent            do not run the agent
#   --jar PATH              agent jar (default agent/target/agent.jar next to this script)
#   --rate PPS              agent --rate (default 200000)
#   --agent-args "ARGS"     extra agent trace flags (default: "-N 1 -w 1": hop by hop like scamper, 1 s wait);
#                           the agent also gets scamper's window (--window N) unless ARGS name one
#   --java-opts "OPTS"      JVM options for the agent (default: the agent's recommended small-footprint
#                           options, "-XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1"; "" for the JVM's defaults)
#   --scamper-pps N         scamper -p (default 10000, the maximum this scamper allows)
#   --scamper-window N      scamper -w, and the agent's --window (default 1000)
#   --runs N                run each tool N times, alternating (default 3); the table shows each tool's run
#                           of median wall time, and every run's wall time is listed (this machine is shared)
#   --cds                   give the agent JVM a class-data sharing archive, made by a training run (1,022
#                           lab targets) before the timed one: how a deployment can start the JVM faster
#   --out DIR               keep outputs here (default: a new /tmp/tmbench.XXXXXX directory)
#   --keep-lab              do not tear the lab down on exit (for poking around)
#   --tool-timeout S        end a tool that runs longer than S seconds (default 1200)
#   --exit-grace S          end a tool still running S seconds after it wrote every trace (default 10):
#                           reported as "hung on exit"; its "done s" figure is still meaningful
#
# Exit status: 0 when the benchmark ran (even if a tool failed: see the table), 2 on a setup failure.

set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

PREFIX_LEN=17
ROUTERS=2
SKIP_SCAMPER=0
SKIP_AGENT=0
JAR="$REPO_DIR/agent/target/agent.jar"
RATE=200000
AGENT_ARGS="-N 1 -w 1"
JAVA_OPTS_BENCH="-XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1"
SCAMPER_PPS=10000
SCAMPER_WINDOW=1000
OUT_DIR=""
KEEP_LAB=0
TOOL_TIMEOUT=1200
EXIT_GRACE=10
CDS=0
RUNS=3

NS_PREFIX=tmbench-
NS_VP=${NS_PREFIX}vp
NS_DST=${NS_PREFIX}dst
DST_NET=198.19.0.0
DST_LEN=17

die() { echo "trace-vs-scamper: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

usage() { sed -n '2,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --targets-prefix-len) PREFIX_LEN=${2:?}; shift 2 ;;
    --routers) ROUTERS=${2:?}; shift 2 ;;
    --skip-scamper) SKIP_SCAMPER=1; shift ;;
    --skip-agent) SKIP_AGENT=1; shift ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --rate) RATE=${2:?}; shift 2 ;;
    --agent-args) AGENT_ARGS=${2?}; shift 2 ;;
    --java-opts) JAVA_OPTS_BENCH=${2?}; shift 2 ;;
    --scamper-pps) SCAMPER_PPS=${2:?}; shift 2 ;;
    --scamper-window) SCAMPER_WINDOW=${2:?}; shift 2 ;;
    --cds) CDS=1; shift ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --out) OUT_DIR=${2:?}; shift 2 ;;
    --keep-lab) KEEP_LAB=1; shift ;;
    --tool-timeout) TOOL_TIMEOUT=${2:?}; shift 2 ;;
    --exit-grace) EXIT_GRACE=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

[[ "$PREFIX_LEN" =~ ^[0-9]+$ ]] && [ "$PREFIX_LEN" -ge "$DST_LEN" ] && [ "$PREFIX_LEN" -le 30 ] \
  || die "--targets-prefix-len must be $DST_LEN..30"
[[ "$ROUTERS" == 1 || "$ROUTERS" == 2 ]] || die "--routers must be 1 or 2"
[[ "$RUNS" =~ ^[1-9][0-9]?$ ]] || die "--runs must be 1..99"
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, raw sockets)"
command -v ip >/dev/null || die "iproute2 (ip) is required"
command -v python3 >/dev/null || die "python3 is required"

apt_install() {  # apt_install PACKAGE: install a Debian package if its command is missing
  log "installing Debian package $1"
  { apt-get install -y "$1" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$1" >/dev/null 2>&1; }; } \
    || die "apt-get install $1 failed"
}
[ -x /usr/bin/time ] || apt_install time
if [ "$SKIP_SCAMPER" -eq 0 ] && ! command -v scamper >/dev/null; then apt_install scamper; fi
if [ "$SKIP_AGENT" -eq 0 ]; then
  [ -f "$JAR" ] || die "agent jar not found: $JAR (build it: mvn -q -DskipTests package, or use --skip-agent)"
  command -v java >/dev/null || die "java is required for the agent"
fi

if [ -z "$OUT_DIR" ]; then OUT_DIR=$(mktemp -d /tmp/tmbench.XXXXXX) || die "mktemp failed"; fi
mkdir -p "$OUT_DIR" || die "cannot create $OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)

# ---------------------------------------------------------------- lab

# shellcheck source=chain-lab.sh
. "$SCRIPT_DIR/chain-lab.sh"

on_exit() {
  local rc=$?
  if [ "$KEEP_LAB" -eq 0 ]; then lab_teardown; else log "lab kept (--keep-lab): remove with ip netns del ${NS_PREFIX}..."; fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT TERM

VP_ADDR=198.18.1.1

# ---------------------------------------------------------------- measurement helpers

tx_packets() { nsx "$NS_VP" cat /sys/class/net/r0/statistics/tx_packets; }
rx_packets() { nsx "$NS_VP" cat /sys/class/net/r0/statistics/rx_packets; }
# softnet backlog drops over all CPUs (column 2 of /proc/net/softnet_stat, hex): veth traffic goes through it
softnet_drops() {
  local s=0 _a b _rest
  while read -r _a b _rest; do s=$((s + 16#$b)); done </proc/net/softnet_stat
  echo "$s"
}
now() { date +%s.%N; }

# watch_output PID FILE LINES T0 NAME: records in NAME.done when FILE first holds LINES lines (all traces written);
# if the tool is still running EXIT_GRACE seconds after that, it is taken as hung on exit and ended (by pid).
watch_output() {
  local pid=$1 file=$2 want=$3 t0=$4 name=$5 n c
  while kill -0 "$pid" 2>/dev/null; do
    n=$(wc -l 2>/dev/null <"$file" || echo 0)
    if [ "$n" -ge "$want" ]; then
      echo "done=$(echo "$(now) $t0" | awk '{printf "%.3f", $1 - $2}')" >"$OUT_DIR/$name.done"
      sleep "$EXIT_GRACE" &
      wait $!
      if kill -0 "$pid" 2>/dev/null; then
        echo "hung=1" >>"$OUT_DIR/$name.done"
        log "$name: all output written ${EXIT_GRACE}s ago but still running: ending it"
        # pid is /usr/bin/time; its child is timeout(1), which passes the TERM on to the tool
        for c in $(ps -o pid= --ppid "$pid"); do kill -TERM "$c" 2>/dev/null || true; done
      fi
      return 0
    fi
    sleep 0.2 &
    wait $!
  done
}

# run_tool NAME OUTFILE RESULTFILE LINES CMD...: runs CMD in the vantage namespace under /usr/bin/time -v and
# timeout(1), stdout to OUTFILE, stderr to NAME.stderr; records wall time, time until RESULTFILE held LINES lines,
# peak RSS and the vantage interface's packet counters
run_tool() {
  local name=$1 outfile=$2 resultfile=$3 lines=$4; shift 4
  local tx0 rx0 sd0 t0 t1 rc pid wpid
  tx0=$(tx_packets); rx0=$(rx_packets); sd0=$(softnet_drops)
  rm -f "$OUT_DIR/$name.done"
  log "$name: $*"
  t0=$(now)
  # in the background + wait, so that INT/TERM are handled at once (teardown ends the tool by pid)
  # (ip netns exec execs, so $! is /usr/bin/time itself and its child is timeout(1))
  ip netns exec "$NS_VP" /usr/bin/time -v -o "$OUT_DIR/$name.time" timeout -k 5 "$TOOL_TIMEOUT" "$@" \
    >"$outfile" 2>"$OUT_DIR/$name.stderr" </dev/null &
  pid=$!
  watch_output "$pid" "$resultfile" "$lines" "$t0" "$name" &
  wpid=$!
  wait "$pid"
  rc=$?
  t1=$(now)
  kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
  {
    echo "rc=$rc"
    echo "wall=$(echo "$t1 $t0" | awk '{printf "%.3f", $1 - $2}')"
    echo "tx=$(( $(tx_packets) - tx0 ))"
    echo "rx=$(( $(rx_packets) - rx0 ))"
    echo "softnet_drops=$(( $(softnet_drops) - sd0 ))"
    echo "rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$OUT_DIR/$name.time")"
    if [ -f "$OUT_DIR/$name.done" ]; then
      cat "$OUT_DIR/$name.done"
    elif [ "$(wc -l 2>/dev/null <"$resultfile" || echo 0)" -ge "$lines" ]; then
      # finished between two polls (or wrote its output only at exit): done at exit
      echo "done=$(echo "$t1 $t0" | awk '{printf "%.3f", $1 - $2}')"
    fi
    [ "$rc" -eq 124 ] && echo "timeout=1"
  } >"$OUT_DIR/$name.run"
  log "$name: exit $rc, $(grep wall= "$OUT_DIR/$name.run")s"
  # let late replies drain before the next tool starts
  sleep 1
}

# ---------------------------------------------------------------- main

log "output directory: $OUT_DIR"
lab_setup
log "lab up: ${NODES[*]} (expected path: ${EXPECTED_ROUTERS//,/ -> } -> target)"

TARGETS="$OUT_DIR/targets.txt"
lab_targets "$TARGETS"
N_TARGETS=$(wc -l <"$TARGETS")
log "targets: $N_TARGETS hosts of $DST_NET/$PREFIX_LEN -> $TARGETS"

run_scamper() {  # run_scamper N
  local n=$1
  # scamper's JSON file: a cycle-start line, then one line per trace
  run_tool "scamper-$n" "$OUT_DIR/scamper-$n.stdout" "$OUT_DIR/scamper-$n.json" $((N_TARGETS + 1)) \
    scamper -p "$SCAMPER_PPS" -w "$SCAMPER_WINDOW" -O json -o "$OUT_DIR/scamper-$n.json" \
      -c "trace -P icmp-paris -q 1" -f "$TARGETS"
  python3 "$SCRIPT_DIR/analyze_traces.py" --format scamper --file "$OUT_DIR/scamper-$n.json" \
    --targets "$TARGETS" --routers "$EXPECTED_ROUTERS" --bad-sample "$OUT_DIR/scamper-$n.bad.json" \
    >"$OUT_DIR/scamper-$n.score.json"
}

run_agent() {  # run_agent N
  local n=$1
  # shellcheck disable=SC2086  # word splitting of the extra options is intended
  run_tool "agent-$n" "$OUT_DIR/agent-$n.jsonl" "$OUT_DIR/agent-$n.jsonl" "$N_TARGETS" \
    java $CDS_OPTS $JAVA_OPTS_BENCH -jar "$OUT_DIR/agent.jar" trace -m icmp-paris -q 1 --rate "$RATE" \
      $WINDOW_ARGS $AGENT_ARGS --json --targets "$TARGETS"
  python3 "$SCRIPT_DIR/analyze_traces.py" --format agent --file "$OUT_DIR/agent-$n.jsonl" \
    --targets "$TARGETS" --routers "$EXPECTED_ROUTERS" --bad-sample "$OUT_DIR/agent-$n.bad.json" \
    >"$OUT_DIR/agent-$n.score.json"
}

WINDOW_ARGS=""
CDS_OPTS=""
if [ "$SKIP_AGENT" -eq 0 ]; then
  # run a private copy: the repo's target/ may be rebuilt while the benchmark runs
  cp "$JAR" "$OUT_DIR/agent.jar" || die "cannot copy $JAR"
  WINDOW_ARGS="--window $SCAMPER_WINDOW"
  case " $AGENT_ARGS " in *" --window "*) WINDOW_ARGS="" ;; esac
  if [ "$CDS" -eq 1 ]; then
    # training run on the first /22 of the targets; the JVM writes the classes it loaded to the archive at exit
    head -n 1022 "$TARGETS" >"$OUT_DIR/cds-targets.txt"
    # shellcheck disable=SC2086
    nsx "$NS_VP" java -XX:ArchiveClassesAtExit="$OUT_DIR/agent.jsa" $JAVA_OPTS_BENCH -jar "$OUT_DIR/agent.jar" \
      trace -m icmp-paris -q 1 --rate "$RATE" $WINDOW_ARGS $AGENT_ARGS --json --targets "$OUT_DIR/cds-targets.txt" \
      >/dev/null 2>"$OUT_DIR/cds.log" || die "the CDS training run failed: $(tail -3 "$OUT_DIR/cds.log")"
    [ -s "$OUT_DIR/agent.jsa" ] || die "the CDS training run wrote no archive: $(tail -3 "$OUT_DIR/cds.log")"
    CDS_OPTS="-XX:SharedArchiveFile=$OUT_DIR/agent.jsa"
    log "agent: class-data sharing archive $OUT_DIR/agent.jsa ($(du -h "$OUT_DIR/agent.jsa" | cut -f1))"
    sleep 1
  fi
fi

for ((run = 1; run <= RUNS; run++)); do
  [ "$SKIP_SCAMPER" -eq 0 ] && run_scamper "$run"
  [ "$SKIP_AGENT" -eq 0 ] && run_agent "$run"
done

# ---------------------------------------------------------------- summary

python3 - "$OUT_DIR" "$N_TARGETS" "$DST_NET/$PREFIX_LEN" "$ROUTERS" "$RATE" \
  "${WINDOW_ARGS:-} $AGENT_ARGS${CDS_OPTS:+ (JVM with a CDS archive)}" \
  "$SCAMPER_PPS" "$SCAMPER_WINDOW" "$RUNS" <<'EOF' | tee "$OUT_DIR/summary.txt"
import json, os, sys
out, n, net, routers, rate, agent_args, spps, swin, runs = sys.argv[1:10]
runs = int(runs)

def load_one(tool):
    run = os.path.join(out, tool + ".run")
    if not os.path.exists(run):
        return None
    r = dict(line.strip().split("=", 1) for line in open(run) if "=" in line)
    try:
        r["score"] = json.load(open(os.path.join(out, tool + ".score.json")))
    except Exception as e:
        r["score"] = {"error": str(e)}
    return r

walls = {}

def load(tool):
    """The tool's run of median wall time (the lower middle one for an even count); every wall time is kept."""
    rs = [r for r in (load_one("%s-%d" % (tool, i)) for i in range(1, runs + 1)) if r is not None]
    if not rs:
        return None
    rs.sort(key=lambda r: float(r["wall"]))
    walls[tool] = [float(r["wall"]) for r in rs]
    return rs[(len(rs) - 1) // 2]

rows = []
res = {}
for tool, cmd in (("scamper", "scamper -p %s -w %s trace -P icmp-paris -q 1" % (spps, swin)),
                  ("agent", ("agent trace -m icmp-paris -q 1 --rate %s %s" % (rate, agent_args)).strip())):
    r = load(tool)
    if r is None:
        continue
    res[tool] = r
    s = r["score"]
    wall = float(r["wall"])
    probes = s.get("probes_sent")
    probes_src = "tool"
    if probes is None:
        probes, probes_src = int(r["tx"]), "iface"
    done = r.get("done")
    # a tool that hung on exit sent nothing after its last trace: rate over the time until it was done
    busy = float(done) if done and r.get("hung") else wall
    pps = probes / busy if busy > 0 else 0.0
    correct = s.get("correct", 0)
    pct = s.get("correct_pct", 0.0)
    rss = int(r["rss_kb"]) / 1024.0 if r.get("rss_kb") else float("nan")
    if r.get("timeout"):
        status = "timed out (--tool-timeout)"
    elif r.get("hung"):
        status = "hung on exit, ended"
    else:
        status = "ok" if r["rc"] == "0" else "exit %s" % r["rc"]
    rows.append((tool, "%.2f" % wall, "%.2f" % float(done) if done else "-",
                 "%d%s" % (probes, "" if probes_src == "tool" else "*"),
                 "%.0f" % pps, r["tx"], r["rx"], "%.2f%%" % pct, "%d/%s" % (correct, n), "%.1f" % rss,
                 r["softnet_drops"], status))

hdr = ("tool", "wall s", "done s", "probes sent", "pkts/s", "iface tx", "iface rx", "correct", "correct n",
       "peak RSS MB", "backlog drops", "status")
w = [max(len(str(x)) for x in col) for col in zip(hdr, *rows)] if rows else [len(h) for h in hdr]
print()
print("trace-vs-scamper: %s targets (%s), %s router(s) + destination, ICMP-Paris, 1 probe per hop" % (n, net, routers))
line = "  ".join(h.rjust(w[i]) if i else h.ljust(w[i]) for i, h in enumerate(hdr))
print(line)
print("-" * len(line))
for row in rows:
    print("  ".join(str(x).rjust(w[i]) if i else str(x).ljust(w[i]) for i, x in enumerate(row)))
print()
print("wall s = start to process exit; done s = start to every trace written (polled every 0.2 s)")
print("probes sent: the tool's own count (scamper probe_count, agent probes_sent); * = vantage interface tx packets")
print("pkts/s = probes sent / wall time (/ done time for a tool that hung on exit); iface tx/rx = packets on the vantage's veth during the run (incl. ARP)")
print("backlog drops = kernel softnet backlog drops during the run (veth queueing; non-zero means packets lost in the lab)")
for tool, ws in walls.items():
    print("%s wall times of %d run(s), sorted: %s s (the table shows the median run)" % (tool, len(ws), ", ".join("%.2f" % w for w in ws)))
if "scamper" in res and "agent" in res:
    sw, aw = float(res["scamper"]["wall"]), float(res["agent"]["wall"])
    if aw > 0:
        print("speedup (scamper median wall / agent median wall): %.2fx" % (sw / aw))
        if len(walls["agent"]) > 1:
            print("speedup range (scamper median / agent slowest .. fastest run): %.2fx .. %.2fx"
                  % (sw / walls["agent"][-1], sw / walls["agent"][0]))
    sd, ad = res["scamper"].get("done"), res["agent"].get("done")
    if sd and ad and float(ad) > 0:
        print("speedup by done time (scamper done / agent done): %.2fx" % (float(sd) / float(ad)))
for tool, r in res.items():
    fr = r["score"].get("failure_reasons") or {}
    if fr:
        print("%s incorrect traces by first failed check: %s" % (tool, ", ".join("%s: %d" % kv for kv in fr.items())))
    if r["score"].get("error"):
        print("%s: could not score output: %s" % (tool, r["score"]["error"]))
print("outputs: %s" % out)
EOF
exit 0
