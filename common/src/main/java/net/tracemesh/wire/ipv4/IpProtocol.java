package net.tracemesh.wire.ipv4;

/** IP protocol numbers this project handles. */
public final class IpProtocol {
    /** Internet Control Message Protocol. */
    public static final int ICMP = 1;
    /** Transmission Control Protocol. */
    public static final int TCP = 6;
    /** User Datagram Protocol. */
    public static final int UDP = 17;

    private IpProtocol() {
    }

    /** "ICMP", "TCP", "UDP", or "protocol N". */
    public static String name(int protocol) {
        return switch (protocol) {
            case ICMP -> "ICMP";
            case TCP -> "TCP";
            case UDP -> "UDP";
            default -> "protocol " + protocol;
        };
    }
}
