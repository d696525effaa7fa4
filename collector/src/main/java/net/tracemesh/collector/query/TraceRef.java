package net.tracemesh.collector.query;

import java.time.Instant;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.wire.Ipv4Address;

/**
 * A trace that went through an address: which trace it was, and the address it was seen at with the smallest TTL
 * that address answered.
 *
 * @param agentId       the vantage point
 * @param traceId       the agent's id of the trace
 * @param measurementId the measurement the trace belongs to
 * @param method        the trace method
 * @param destination   the trace's destination (dotted)
 * @param started       when the trace started
 * @param address       the address it went through (dotted)
 * @param ttl           the smallest TTL at which {@code address} answered in that trace
 */
public record TraceRef(String agentId, String traceId, String measurementId, MeasurementMethod method,
                       String destination, Instant started, String address, int ttl) {
    private static final int MAX_TTL = 255;

    public TraceRef {
        if (agentId == null || traceId == null || measurementId == null || method == null || destination == null
                || started == null || address == null) {
            throw new IllegalArgumentException("every field of a trace reference is required");
        }
        Ipv4Address.parse(destination);
        Ipv4Address.parse(address);
        if (ttl < 1 || ttl > MAX_TTL) {
            throw new IllegalArgumentException("a TTL is 1.." + MAX_TTL + ", got " + ttl);
        }
    }
}
