package net.tracemesh.agent.lab;

/** Linux route types that do not forward, with what a router answers for a packet that hits them. */
public enum RouteType {
    /** ICMP destination unreachable, code 1 (host unreachable): traceroute prints {@code !H}. */
    UNREACHABLE("unreachable"),
    /** ICMP destination unreachable, code 13 (communication administratively prohibited): {@code !X}. */
    PROHIBIT("prohibit"),
    /** Dropped without any answer. */
    BLACKHOLE("blackhole");

    private final String keyword;

    RouteType(String keyword) {
        this.keyword = keyword;
    }

    /** The word {@code ip route add} expects in front of the prefix. */
    public String keyword() {
        return keyword;
    }
}
