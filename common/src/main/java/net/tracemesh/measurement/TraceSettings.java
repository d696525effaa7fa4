package net.tracemesh.measurement;

/**
 * How a scheduled trace probes; the ranges and defaults of the agent's traceroute command. Validation messages
 * name the JSON field ({@code max_ttl: ...}).
 *
 * @param probesPerHop probes at each TTL, 1..15 [3]
 * @param firstTtl     first TTL probed, 1..255 [1]
 * @param maxTtl       last TTL probed, firstTtl..255 [30]
 * @param waitMs       how long to wait for each reply, 1..60000 ms [2000]
 * @param port         destination port 1..65535 (UDP base port or TCP port; ignored for icmp-paris), or null for
 *                     the method's default [null]
 * @param parallelTtls TTLs of one trace in flight at once, 1..255 [8]
 * @param gapLimit     consecutive silent TTLs that end the trace, 1..255 [5]
 * @param retries      extra attempts for a probe without reply, 0..10 [1]
 * @param pathMtu      discover the path MTU [false]
 * @param probeSize    probe size in bytes with the IP header, 0 for the method's default, else 28..65535 [0]
 */
public record TraceSettings(int probesPerHop, int firstTtl, int maxTtl, int waitMs, Integer port, int parallelTtls,
                            int gapLimit, int retries, boolean pathMtu, int probeSize) {
    public static final int MAX_PROBES_PER_HOP = 15;
    public static final int MAX_TTL = 255;
    public static final int MAX_WAIT_MS = 60_000;
    public static final int MAX_PORT = 65_535;
    public static final int MAX_RETRIES = 10;
    /** The smallest probe size of any method: an IPv4 header and an 8-byte UDP or ICMP header. */
    public static final int MIN_PROBE_SIZE = 28;
    public static final int MAX_PROBE_SIZE = 65_535;

    /** The defaults of every field. */
    public static final TraceSettings DEFAULTS = new TraceSettings(3, 1, 30, 2000, null, 8, 5, 1, false, 0);

    public TraceSettings {
        Ranges.require("probes_per_hop", probesPerHop, 1, MAX_PROBES_PER_HOP);
        Ranges.require("first_ttl", firstTtl, 1, MAX_TTL);
        Ranges.require("max_ttl", maxTtl, 1, MAX_TTL);
        if (maxTtl < firstTtl) {
            throw new IllegalArgumentException("max_ttl: " + maxTtl + " is below first_ttl " + firstTtl);
        }
        Ranges.require("wait_ms", waitMs, 1, MAX_WAIT_MS);
        if (port != null) {
            Ranges.require("port", port, 1, MAX_PORT);
        }
        Ranges.require("parallel_ttls", parallelTtls, 1, MAX_TTL);
        Ranges.require("gap_limit", gapLimit, 1, MAX_TTL);
        Ranges.require("retries", retries, 0, MAX_RETRIES);
        if (probeSize != 0) {
            if (probeSize < MIN_PROBE_SIZE || probeSize > MAX_PROBE_SIZE) {
                throw new IllegalArgumentException("probe_size: must be 0 (the method's default) or "
                        + MIN_PROBE_SIZE + ".." + MAX_PROBE_SIZE + ", got " + probeSize);
            }
        }
    }

    /** How many TTLs a trace covers: {@code maxTtl - firstTtl + 1}. */
    public int ttlCount() {
        return maxTtl - firstTtl + 1;
    }

    /** The most probes one trace can send: every TTL, every probe, every retry. */
    public long worstCaseProbesPerTarget() {
        return (long) probesPerHop * ttlCount() * (1 + retries);
    }
}
