package net.tracemesh.agent.capture;

/** The link-layer framing of an interface, as far as probing cares. */
public enum LinkType {
    /** Ethernet II frames (also Linux loopback). */
    ETHERNET(14),
    /** Bare IPv4 packets (tun devices, some VPNs). */
    RAW_IP(0);

    private final int headerLength;

    LinkType(int headerLength) {
        this.headerLength = headerLength;
    }

    /** Bytes in front of the IP header in a frame of this type. */
    public int headerLength() {
        return headerLength;
    }
}
