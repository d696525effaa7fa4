package net.tracemesh.collector.store;

import java.time.Instant;

/**
 * One entry of the address index: a trace that got a reply from an address, and the smallest TTL it did at.
 *
 * @param started when the trace started, to the microsecond (as the store keeps times)
 * @param agentId the vantage point
 * @param traceId the agent's id of the trace
 * @param ttl     the smallest TTL at which the address answered in that trace, 1..255
 */
public record TraceAtAddress(Instant started, String agentId, String traceId, int ttl) {
    static final int MAX_AGENT_ID = 64;
    static final int MAX_TRACE_ID = 128;
    private static final int MAX_TTL = 255;

    public TraceAtAddress {
        if (started == null || agentId == null || traceId == null) {
            throw new IllegalArgumentException("an address index entry needs its start, agent and trace");
        }
        if (started.getNano() % 1_000 != 0 || started.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("an address index entry starts at a whole microsecond after 1970, got "
                    + started);
        }
        if (agentId.isEmpty() || agentId.length() > MAX_AGENT_ID) {
            throw new IllegalArgumentException("an agent id is 1.." + MAX_AGENT_ID + " characters, got "
                    + agentId.length());
        }
        if (traceId.isEmpty() || traceId.length() > MAX_TRACE_ID) {
            throw new IllegalArgumentException("a trace id is 1.." + MAX_TRACE_ID + " characters, got "
                    + traceId.length());
        }
        if (ttl < 1 || ttl > MAX_TTL) {
            throw new IllegalArgumentException("a TTL is 1.." + MAX_TTL + ", got " + ttl);
        }
    }

    /** Microseconds since 1970. */
    long startedMicros() {
        return Math.addExact(Math.multiplyExact(started.getEpochSecond(), 1_000_000L), started.getNano() / 1_000);
    }
}
