#!/usr/bin/env bash
# Benchmark: the web of issue 5 over a filled collector store. Runs net.tracemesh.web.bench.WebBench (test scope):
# the real web (every module, real accounts, an embedded broker) on loopback over the store, then
#   - p50/p99/max latency of the main API routes (route now / at / history, compare, route list, agents,
#     measurements; keys sampled from the store) under an open-loop load at a fixed rate (default 200 requests/s,
#     latency counted from when each request was due), after a warm-up at the same rate;
#   - single calls of the heavy routes (topology with 2000 nodes, topology of a /24, traces through an address);
#   - the time for headless Chromium (Debian's chromium + chromium-driver) to fetch and draw an interactive map of
#     the store's first N nodes (default 5000), three times.
# Targets (issue 5): p99 < 100 ms at 200 requests/s; map interactive within 2 s.
#
# The store comes from the collector's benchmark, kept with --keep-data, e.g.
#   collector/bench/collector-throughput.sh --records 1000000 --queries 0 --lag-seconds 0 --keep-data \
#     --out /tmp/webbench-store
#   web/bench/web-api-load.sh --store /tmp/webbench-store/store
#
# Usage: web/bench/web-api-load.sh --store DIR [--rate N] [--seconds S] [--warmup-seconds S] [--map-nodes N]
#        [--store-cache-mb N] [--heap SIZE] [--skip-build]
# (--store-cache-mb: the store's page cache, store.cache-mb; default 64)
# Exit status: 0 when the benchmark ran, 2 on a setup failure.
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
HEAP=4g
SKIP_BUILD=0
ARGS=()

die() { echo "web-api-load: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --heap) HEAP="$2"; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --store|--rate|--seconds|--warmup-seconds|--map-nodes|--store-cache-mb) ARGS+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
printf '%s\n' "${ARGS[@]}" | grep -qx -- --store || die "--store DIR is required (see --help)"

cd "$REPO_DIR" || die "no repository at $REPO_DIR"
# Maven offline first (no network wait), then online once for what a new machine has not downloaded yet.
mvn_local_first() { mvn -q -o "$@" || mvn -q "$@"; }
if [ "$SKIP_BUILD" -eq 0 ]; then
  echo "building (mvn -q -pl web -am install -DskipTests) ..." >&2
  mvn_local_first -pl web -am install -DskipTests >&2 || die "the build failed"
fi
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
(cd web && mvn_local_first dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2) \
  || die "cannot resolve the web's test classpath"
CP="web/target/test-classes:web/target/classes:$(cat "$CP_FILE")"
exec java -Xmx"$HEAP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
  net.tracemesh.web.bench.WebBench "${ARGS[@]}"
