package net.tracemesh.measurement;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a scheduled measurement does, by its wire name in the definition's {@code "method"} field. The four trace
 * methods are the agent's probe methods of the same names; {@code ping} is ICMP echo.
 */
public enum MeasurementMethod {
    /** Classic UDP traceroute, a new flow per probe. */
    UDP("udp", true, 32),
    /** UDP traceroute with a fixed five-tuple. */
    UDP_PARIS("udp-paris", true, 32),
    /** ICMP echo traceroute with a fixed flow identifier. */
    ICMP_PARIS("icmp-paris", true, 32),
    /** TCP SYN traceroute. */
    TCP("tcp", true, 40),
    /** ICMP echo request/reply. */
    PING("ping", false, 0);

    private final String wireName;
    private final boolean trace;
    private final int minimumProbeSize;

    MeasurementMethod(String wireName, boolean trace, int minimumProbeSize) {
        this.wireName = wireName;
        this.trace = trace;
        this.minimumProbeSize = minimumProbeSize;
    }

    /** The name used in JSON and YAML ({@code "udp-paris"}). */
    public String wireName() {
        return wireName;
    }

    /** Whether this is a traceroute method (then the definition carries {@link TraceSettings}). */
    public boolean isTrace() {
        return trace;
    }

    /**
     * The smallest probe, in bytes with the IP header, that the agent can build for this trace method (the IP
     * and transport headers plus the identity bytes); 0 for ping. A {@code probe_size} other than 0 must be at
     * least this.
     */
    public int minimumProbeSize() {
        return minimumProbeSize;
    }

    /** The method with this wire name, if any. */
    public static Optional<MeasurementMethod> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    /** The wire names, comma-separated, for error messages. */
    public static String wireNames() {
        return Arrays.stream(values()).map(MeasurementMethod::wireName).collect(Collectors.joining(", "));
    }
}
