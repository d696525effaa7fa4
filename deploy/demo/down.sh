#!/usr/bin/env bash
# Removes what a killed tracemesh demo left (processes, tmdemo-* namespaces and interfaces, its iptables rule);
# stops a running one first. Pass the same --data-dir as to up.sh if you gave one.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
exec $sudo java -jar "$repo/platform/target/tracemesh.jar" demo down "$@"
