#!/bin/bash
# Recreates the captures in this directory. Needs root, iproute2, tcpdump, ethtool, iputils-ping, traceroute
# and python3. Everything happens in network namespaces named tmcap-* with addresses in 198.18.0.0/15; the root
# namespace is not touched. (802.1Q tags are tested from hand-built frames: this kernel has no VLAN devices.) Usage: capture-lab.sh [output-directory]
#
#   tmcap-h1 (prober)          tmcap-r1 (Linux router)              tmcap-h2 (target, TCP listener on :80)
#   198.18.1.2 --h1r1---r1h1-- 198.18.1.1   198.18.2.1 --r1h2---h2r1-- 198.18.2.2
#   The r1-h2 link has an MTU of 600. r1 routes: 198.18.9.0/24 unreachable, 198.18.10.0/24 prohibit, no default route.
set -euo pipefail
OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
H1=tmcap-h1 R1=tmcap-r1 H2=tmcap-h2
SERVER_PID=

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    for ns in $H1 $R1 $H2; do ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup

for ns in $H1 $R1 $H2; do
    ip netns add $ns
    ip -n $ns link set lo up
    ip netns exec $ns sysctl -qw net.ipv4.icmp_ratelimit=0
done
ip -n $H1 link add h1r1 type veth peer name r1h1 netns $R1
ip -n $R1 link add r1h2 type veth peer name h2r1 netns $H2
ip -n $H1 addr add 198.18.1.2/24 dev h1r1
ip -n $R1 addr add 198.18.1.1/24 dev r1h1
ip -n $R1 addr add 198.18.2.1/24 dev r1h2
ip -n $H2 addr add 198.18.2.2/24 dev h2r1
ip -n $R1 link set r1h2 mtu 600
ip -n $H2 link set h2r1 mtu 600
for pair in "$H1 h1r1" "$R1 r1h1" "$R1 r1h2" "$H2 h2r1"; do
    set -- $pair
    # Checksums computed in software, so the captures show real checksums rather than offload placeholders.
    ip netns exec $1 ethtool -K $2 tx off rx off >/dev/null 2>&1 || true
    ip -n $1 link set $2 up
done
ip -n $H1 route add default via 198.18.1.1
ip -n $H2 route add default via 198.18.2.1
ip netns exec $R1 sysctl -qw net.ipv4.ip_forward=1
ip -n $R1 route add unreachable 198.18.9.0/24
ip -n $R1 route add prohibit 198.18.10.0/24

ip netns exec $H2 python3 -m http.server 80 --bind 198.18.2.2 >/dev/null 2>&1 &
SERVER_PID=$!
sleep 1
ip netns exec $H1 ping -c 1 -W 1 198.18.2.2 >/dev/null   # warm up neighbour caches

# capture NAME COUNT FILTER -- COMMAND...: capture COUNT packets on h1r1 while COMMAND runs in tmcap-h1.
capture() {
    local name=$1 count=$2 filter=$3
    shift 4
    ip netns exec $H1 timeout 8 tcpdump -i h1r1 -U -s 0 -c "$count" -w "$OUT/$name.pcap" "$filter" 2>/dev/null &
    local tcpdump_pid=$!
    sleep 1
    ip netns exec $H1 "$@" >/dev/null 2>&1 || true
    wait $tcpdump_pid || true
    chown --reference="$OUT" "$OUT/$name.pcap" 2>/dev/null || true
    tcpdump -nn -vv -X -r "$OUT/$name.pcap" > "$OUT/$name.txt" 2>/dev/null
    echo "$name: $(tcpdump -r "$OUT/$name.pcap" 2>/dev/null | wc -l) packets"
}

capture echo 4 icmp -- ping -c 2 -i 0.2 198.18.2.2
capture time-exceeded-udp 2 'udp or icmp' -- traceroute -n -U -f 1 -m 1 -q 1 198.18.2.2
capture time-exceeded-icmp 2 icmp -- traceroute -n -I -f 1 -m 1 -q 1 198.18.2.2
capture time-exceeded-tcp 2 'tcp or icmp' -- traceroute -n -T -p 80 -f 1 -m 1 -q 1 198.18.2.2
capture time-exceeded-ip-options 2 icmp -- ping -R -t 1 -c 1 198.18.2.2
capture port-unreachable 2 'udp or icmp' -- traceroute -n -U -f 2 -m 2 -q 1 198.18.2.2
capture host-unreachable 2 icmp -- ping -c 1 198.18.9.1
capture admin-prohibited 2 icmp -- ping -c 1 198.18.10.1
capture net-unreachable 2 'udp or icmp' -- traceroute -n -U -f 2 -m 2 -q 1 198.18.200.1
capture frag-needed 2 icmp -- ping -M do -s 1000 -c 1 198.18.2.2
capture tcp-rst 2 tcp -- python3 -c '
import socket
s = socket.socket()
s.settimeout(2)
try:
    s.connect(("198.18.2.2", 81))
except OSError:
    pass'
capture tcp-syn-ack 2 'tcp[tcpflags] & tcp-syn != 0' -- python3 -c '
import socket
s = socket.create_connection(("198.18.2.2", 80), timeout=2)
s.close()'
capture parameter-problem 2 'icmp or ip[0] & 0xf > 5' -- python3 -c '
import socket, struct
def checksum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
options = bytes([7, 2, 0, 1])   # record route with an impossible length of 2
payload = struct.pack("!HH", 33434, 33435) + struct.pack("!HH", 12, 0) + b"tmcp"
header = struct.pack("!BBHHHBBH4s4s", 0x46, 0, 24 + len(payload), 0x4242, 0, 64, 17, 0,
                     socket.inet_aton("198.18.1.2"), socket.inet_aton("198.18.2.2")) + options
header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.sendto(header + payload, ("198.18.2.2", 0))'
capture timestamp 2 icmp -- python3 -c '
import socket, struct, time
def checksum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
msg = struct.pack("!BBHHHIII", 13, 0, 0, 0x1234, 1, 12345678, 0, 0)
msg = msg[:2] + struct.pack("!H", checksum(msg)) + msg[4:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.sendto(msg, ("198.18.1.1", 0))
s.settimeout(2)
s.recv(100)'
# RFC 5837 interface information (an RFC 4884 extension) on the router's errors, where the kernel offers it
# (net.ipv4.icmp_errors_extension_mask; the 6.18 kernel these captures were made on does not have it).
if ip netns exec $R1 sysctl -qw net.ipv4.icmp_errors_extension_mask=1 2>/dev/null; then
    capture time-exceeded-rfc5837 2 'udp or icmp' -- traceroute -n -U -f 1 -m 1 -q 1 198.18.2.2
fi
ip -n $H1 neigh flush dev h1r1
capture arp 2 arp -- ping -c 1 198.18.1.1
