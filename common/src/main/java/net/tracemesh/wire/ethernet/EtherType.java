package net.tracemesh.wire.ethernet;

/** EtherType values this project handles. */
public final class EtherType {
    /** Internet Protocol version 4. */
    public static final int IPV4 = 0x0800;
    /** Address Resolution Protocol. */
    public static final int ARP = 0x0806;
    /** An IEEE 802.1Q VLAN tag follows. */
    public static final int VLAN = 0x8100;
    /** Internet Protocol version 6. */
    public static final int IPV6 = 0x86DD;

    private EtherType() {
    }

    /** A short name for {@code etherType}, or its hexadecimal value. */
    public static String name(int etherType) {
        return switch (etherType) {
            case IPV4 -> "IPv4";
            case ARP -> "ARP";
            case VLAN -> "802.1Q";
            case IPV6 -> "IPv6";
            default -> String.format("0x%04x", etherType);
        };
    }
}
