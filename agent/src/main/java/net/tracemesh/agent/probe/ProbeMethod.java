package net.tracemesh.agent.probe;

import java.util.Arrays;
import java.util.stream.Collectors;
import net.tracemesh.wire.ipv4.IpProtocol;

/** How trace probes are built. */
public enum ProbeMethod {
    /** Classic UDP traceroute: destination port 33434 + n, so every probe is a new flow. */
    UDP("udp", IpProtocol.UDP, 33434, 60),
    /** UDP with the five-tuple fixed for the whole trace; the checksum carries the probe's identity. */
    UDP_PARIS("udp-paris", IpProtocol.UDP, 33434, 60),
    /** ICMP echo with type, code and checksum fixed for the whole trace; identifier and sequence vary. */
    ICMP_PARIS("icmp-paris", IpProtocol.ICMP, 0, 60),
    /** TCP SYN to a chosen port with fixed ports; a SYN-ACK or RST from the destination ends the trace. */
    TCP("tcp", IpProtocol.TCP, 80, 40);

    private final String cliName;
    private final int protocol;
    private final int defaultPort;
    private final int defaultSize;

    ProbeMethod(String cliName, int protocol, int defaultPort, int defaultSize) {
        this.cliName = cliName;
        this.protocol = protocol;
        this.defaultPort = defaultPort;
        this.defaultSize = defaultSize;
    }

    public String cliName() {
        return cliName;
    }

    public int protocol() {
        return protocol;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Default probe size in bytes, IP header included. */
    public int defaultSize() {
        return defaultSize;
    }

    /** The smallest probe this method can build (headers plus the identity bytes in the payload). */
    public int minimumSize() {
        return switch (this) {
            case UDP, UDP_PARIS -> ProbeFrames.IPV4_HEADER + ProbeFrames.UDP_HEADER + ProbeFrames.IDENTITY_BYTES;
            case ICMP_PARIS -> ProbeFrames.IPV4_HEADER + ProbeFrames.ICMP_HEADER + ProbeFrames.IDENTITY_BYTES;
            case TCP -> ProbeFrames.IPV4_HEADER + ProbeFrames.TCP_HEADER;
        };
    }

    /** Whether the flow identifier stays the same for every probe of a trace. */
    public boolean paris() {
        return this != UDP;
    }

    public static ProbeMethod fromCliName(String name) {
        for (ProbeMethod m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "' (expected one of "
                + Arrays.stream(values()).map(ProbeMethod::cliName).collect(Collectors.joining(", ")) + ")");
    }
}
