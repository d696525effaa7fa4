package net.tracemesh.wire.icmp;

/** Codes of ICMP destination unreachable (RFC 792, RFC 1122, RFC 1812) and their traceroute annotations. */
public final class UnreachableCode {
    /** Network unreachable; traceroute shows !N. */
    public static final int NET = 0;
    /** Host unreachable; traceroute shows !H. */
    public static final int HOST = 1;
    /** Protocol unreachable; traceroute shows !P. */
    public static final int PROTOCOL = 2;
    /** Port unreachable: the destination was reached; traceroute shows nothing. */
    public static final int PORT = 3;
    /** Fragmentation needed and DF set, with the next-hop MTU (RFC 1191); traceroute shows !F and the MTU. */
    public static final int FRAGMENTATION_NEEDED = 4;
    /** Source route failed; traceroute shows !S. */
    public static final int SOURCE_ROUTE_FAILED = 5;
    /** Destination network unknown; traceroute shows !N. */
    public static final int NET_UNKNOWN = 6;
    /** Destination host unknown; traceroute shows !H. */
    public static final int HOST_UNKNOWN = 7;
    /** Source host isolated. */
    public static final int SOURCE_HOST_ISOLATED = 8;
    /** Communication with the destination network administratively prohibited; traceroute shows !X. */
    public static final int NET_ADMIN_PROHIBITED = 9;
    /** Communication with the destination host administratively prohibited; traceroute shows !X. */
    public static final int HOST_ADMIN_PROHIBITED = 10;
    /** Network unreachable for the type of service; traceroute shows !N. */
    public static final int NET_UNREACHABLE_FOR_TOS = 11;
    /** Host unreachable for the type of service; traceroute shows !H. */
    public static final int HOST_UNREACHABLE_FOR_TOS = 12;
    /** Communication administratively prohibited (filtered); traceroute shows !X. */
    public static final int ADMIN_PROHIBITED = 13;
    /** Host precedence violation; traceroute shows !V. */
    public static final int HOST_PRECEDENCE_VIOLATION = 14;
    /** Precedence cutoff in effect; traceroute shows !C. */
    public static final int PRECEDENCE_CUTOFF = 15;

    private UnreachableCode() {
    }

    /** A readable name such as "port unreachable", or "code N" for codes not listed here. */
    public static String name(int code) {
        return switch (code) {
            case NET -> "net unreachable";
            case HOST -> "host unreachable";
            case PROTOCOL -> "protocol unreachable";
            case PORT -> "port unreachable";
            case FRAGMENTATION_NEEDED -> "fragmentation needed";
            case SOURCE_ROUTE_FAILED -> "source route failed";
            case NET_UNKNOWN -> "destination network unknown";
            case HOST_UNKNOWN -> "destination host unknown";
            case SOURCE_HOST_ISOLATED -> "source host isolated";
            case NET_ADMIN_PROHIBITED -> "network administratively prohibited";
            case HOST_ADMIN_PROHIBITED -> "host administratively prohibited";
            case NET_UNREACHABLE_FOR_TOS -> "network unreachable for type of service";
            case HOST_UNREACHABLE_FOR_TOS -> "host unreachable for type of service";
            case ADMIN_PROHIBITED -> "communication administratively prohibited";
            case HOST_PRECEDENCE_VIOLATION -> "host precedence violation";
            case PRECEDENCE_CUTOFF -> "precedence cutoff in effect";
            default -> "code " + code;
        };
    }

    /**
     * The annotation traceroute prints after a hop that answered with this code: "!N", "!H", "!P", "" for port
     * unreachable, "!F" followed by {@code mtu} for fragmentation needed, "!S", "!X", "!V", "!C", and "!" followed
     * by the code for the others.
     */
    public static String tracerouteAnnotation(int code, int mtu) {
        return switch (code) {
            case NET, NET_UNKNOWN, NET_UNREACHABLE_FOR_TOS -> "!N";
            case HOST, HOST_UNKNOWN, HOST_UNREACHABLE_FOR_TOS -> "!H";
            case PROTOCOL -> "!P";
            case PORT -> "";
            case FRAGMENTATION_NEEDED -> "!F" + mtu;
            case SOURCE_ROUTE_FAILED -> "!S";
            case NET_ADMIN_PROHIBITED, HOST_ADMIN_PROHIBITED, ADMIN_PROHIBITED -> "!X";
            case HOST_PRECEDENCE_VIOLATION -> "!V";
            case PRECEDENCE_CUTOFF -> "!C";
            default -> "!" + code;
        };
    }
}
