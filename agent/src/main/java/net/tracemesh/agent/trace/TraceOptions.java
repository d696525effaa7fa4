package net.tracemesh.agent.trace;

import net.tracemesh.agent.probe.ProbeIdentity;
import net.tracemesh.agent.probe.ProbeMethod;

/**
 * How to trace: validated when built, with messages fit for a command line.
 *
 * @param method        probe method
 * @param firstTtl      first TTL probed, 1..255
 * @param maxTtl        last TTL probed, firstTtl..255
 * @param probesPerHop  probes sent at each TTL, 1..15
 * @param waitNanos     how long to wait for each probe's reply
 * @param port          destination port (UDP base port, or TCP port); ignored for ICMP
 * @param parallelTtls  TTLs of one trace in flight at once, 1..255
 * @param gapLimit      consecutive silent TTLs after which the trace stops, 1..255
 * @param retries       extra attempts for a probe that got no reply, 0..10
 * @param pathMtu       discover the path MTU: probes of full size with DF set
 * @param probeSize     probe size in bytes with the IP header, 0 for the method's default
 */
public record TraceOptions(ProbeMethod method, int firstTtl, int maxTtl, int probesPerHop, long waitNanos, int port,
                           int parallelTtls, int gapLimit, int retries, boolean pathMtu, int probeSize) {
    public static final int MAX_RETRIES = 10;

    public TraceOptions {
        if (method == null) {
            throw new IllegalArgumentException("method is missing");
        }
        requireRange("first TTL", firstTtl, 1, 255);
        requireRange("max TTL", maxTtl, 1, 255);
        if (maxTtl < firstTtl) {
            throw new IllegalArgumentException("max TTL " + maxTtl + " is below first TTL " + firstTtl);
        }
        requireRange("probes per hop", probesPerHop, 1, ProbeIdentity.MAX_PROBE_INDEX);
        if (waitNanos <= 0 || waitNanos > 60_000_000_000L) {
            throw new IllegalArgumentException("wait must be more than 0 and at most 60 seconds");
        }
        requireRange("port", port, method == ProbeMethod.ICMP_PARIS ? 0 : 1, 65535);
        requireRange("parallel TTLs", parallelTtls, 1, 255);
        requireRange("gap limit", gapLimit, 1, 255);
        requireRange("retries", retries, 0, MAX_RETRIES);
        if (probeSize != 0) {
            requireRange("probe size", probeSize, method.minimumSize(), 65535);
        }
    }

    /** Defaults as documented in the README, for a method. */
    public static TraceOptions defaults(ProbeMethod method) {
        return new TraceOptions(method, 1, 30, 3, 2_000_000_000L, method.defaultPort(), 8, 5, 1, false, 0);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
        }
    }
}
