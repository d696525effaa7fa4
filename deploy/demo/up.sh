#!/usr/bin/env bash
# Starts the tracemesh demo: a lab of network namespaces with the whole platform on it (see README, "Demo").
# Runs in the foreground until Ctrl-C, then removes everything. Options are passed on, e.g.
#   deploy/demo/up.sh --web-port 8081 --route-change-after 60
# Builds the jar first if it is missing (needs Maven and JDK 17).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$repo/platform/target/tracemesh.jar"
if [ ! -f "$jar" ]; then
  (cd "$repo" && mvn -B -q -DskipTests package -pl platform -am)
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
exec $sudo java -jar "$jar" demo up "$@"
