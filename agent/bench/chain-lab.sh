# The chain lab shared by the benchmarks (sourced, not run). Before sourcing, define: die, log, NS_PREFIX,
# NS_VP, NS_DST, ROUTERS (1 or 2), DST_NET and DST_LEN (the destination answers for DST_NET/DST_LEN), and for
# lab_targets PREFIX_LEN (targets: every host of DST_NET/PREFIX_LEN).
#
#   NS_VP                 ${NS_PREFIX}r1            ${NS_PREFIX}r2            NS_DST
#   r0 198.18.1.1 ---- l0 198.18.1.2                                          (lo: local DST_NET/DST_LEN)
#                      r0 198.18.2.1 ---- l0 198.18.2.2
#                                         r0 198.18.3.1 ---- l0 198.18.3.2
#
# The vantage only has a route for 198.18.0.0/15; every link is created inside the lab's namespaces, so nothing
# appears in the root namespace. EXPECTED_ROUTERS lists the router addresses every trace must show.

lab_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep "^${NS_PREFIX}" || true; }

lab_teardown() {
  local ns pid
  for ns in $(lab_namespaces); do
    # processes inside a tmbench3- namespace were started by this benchmark: end them by pid
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  done
  for ns in $(lab_namespaces); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      # give the JVMs (broker, agent) a few seconds to exit on SIGTERM before SIGKILL
      local i
      for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    done
    ip netns del "$ns" 2>/dev/null || true
  done
}
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

sysctl_ns() {  # sysctl_ns NS key=value...
  local ns=$1 kv; shift
  for kv in "$@"; do nsx "$ns" sysctl -q -w "$kv" >/dev/null || die "sysctl $kv failed in $ns"; done
}

# Node i (0 = vantage, 1..ROUTERS = routers, ROUTERS+1 = destination); link i joins node i-1 and node i,
# subnet 198.18.i.0/24, node i-1 side .1 (interface r0), node i side .2 (interface l0).
NODES=("$NS_VP")
for ((i = 1; i <= ROUTERS; i++)); do NODES+=("${NS_PREFIX}r$i"); done
NODES+=("$NS_DST")
LAST=$((ROUTERS + 1))
EXPECTED_ROUTERS=""
for ((i = 1; i <= ROUTERS; i++)); do EXPECTED_ROUTERS+="${EXPECTED_ROUTERS:+,}198.18.$i.2"; done

lab_setup() {
  local i j ns stale
  stale=$(lab_namespaces)
  if [ -n "$stale" ]; then log "removing stale namespaces: $(echo $stale)"; lab_teardown; fi

  for ns in "${NODES[@]}"; do
    ip netns add "$ns" || die "ip netns add $ns failed"
    nsx "$ns" ip link set lo up || die "lo up failed in $ns"
    sysctl_ns "$ns" net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    # measure the agent, not the kernel's ICMP limiter
    sysctl_ns "$ns" net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=10000000 net.ipv4.icmp_msgs_burst=10000000
    sysctl_ns "$ns" net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  done
  for ((i = 1; i <= ROUTERS; i++)); do sysctl_ns "${NODES[$i]}" net.ipv4.ip_forward=1; done

  for ((i = 1; i <= LAST; i++)); do
    local left=${NODES[$((i - 1))]} right=${NODES[$i]}
    # created directly inside the lab namespaces: nothing appears in the root namespace
    ip link add r0 netns "$left" type veth peer name l0 netns "$right" || die "veth for link $i failed"
    nsx "$left" ip addr add "198.18.$i.1/24" dev r0 || die "addr on $left failed"
    nsx "$right" ip addr add "198.18.$i.2/24" dev l0 || die "addr on $right failed"
    nsx "$left" ip link set r0 up || die "link up failed"
    nsx "$right" ip link set l0 up || die "link up failed"
  done

  # vantage: only the lab's /15, via r1 (the broker is on the vantage's own loopback)
  nsx "$NS_VP" ip route add 198.18.0.0/15 via 198.18.1.2 || die "vp route failed"
  for ((i = 1; i <= ROUTERS; i++)); do
    ns=${NODES[$i]}
    if [ "$i" -lt "$LAST" ]; then
      nsx "$ns" ip route add "$DST_NET/$DST_LEN" via "198.18.$((i + 1)).2" || die "route failed in $ns"
      for ((j = i + 2; j <= LAST; j++)); do
        nsx "$ns" ip route add "198.18.$j.0/24" via "198.18.$((i + 1)).2" || die "route failed in $ns"
      done
    fi
    for ((j = 1; j < i; j++)); do
      nsx "$ns" ip route add "198.18.$j.0/24" via "198.18.$i.1" || die "route failed in $ns"
    done
  done
  # destination: answers for the whole /17, back towards the vantage via the last router
  nsx "$NS_DST" ip route add local "$DST_NET/$DST_LEN" dev lo || die "local /17 route failed"
  nsx "$NS_DST" ip route add 198.18.0.0/16 via "198.18.$LAST.1" || die "dst route failed"

  # sanity: the vantage reaches every router and two targets; this also fills the ARP cache
  local a ttl
  for ((i = 1; i <= LAST; i++)); do
    nsx "$NS_VP" ping -c 1 -W 2 "198.18.$i.2" >/dev/null || die "lab check: no reply from 198.18.$i.2"
  done
  for a in 198.19.0.1 198.19.127.254; do
    nsx "$NS_VP" ping -c 1 -W 2 "$a" >/dev/null || die "lab check: no reply from $a"
  done
  ttl=$(nsx "$NS_VP" ping -c 1 -W 2 198.19.0.1 | sed -n 's/.*ttl=\([0-9]*\).*/\1/p')
  [ "$ttl" = "$((64 - ROUTERS))" ] || die "lab check: reply ttl $ttl, expected $((64 - ROUTERS))"
}

# lab_targets FILE: every host of DST_NET/PREFIX_LEN, one per line
lab_targets() {
  python3 - "$DST_NET/$PREFIX_LEN" >"$1" <<'EOF' || die "target generation failed"
import ipaddress, sys
for h in ipaddress.ip_network(sys.argv[1]).hosts():
    print(h)
EOF
}
