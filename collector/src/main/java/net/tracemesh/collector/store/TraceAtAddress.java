package net.tracemesh.collector.store;

import java.time.Instant;
import java.util.Comparator;

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
    /** The range of times the agents' messages may carry ({@code 0000-01-01} up to {@code 10000-01-01}). */
    public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** Oldest first, then by agent and trace id: the order of a list, and of the traces a query returns. */
    public static final Comparator<TraceAtAddress> OLDEST_FIRST = Comparator.comparing(TraceAtAddress::started)
            .thenComparing(TraceAtAddress::agentId).thenComparing(TraceAtAddress::traceId);

    public TraceAtAddress {
        if (started == null || agentId == null || traceId == null) {
            throw new IllegalArgumentException("an address index entry needs its start, agent and trace");
        }
        if (started.getNano() % 1_000 != 0 || started.isBefore(EARLIEST) || started.isAfter(LATEST)) {
            throw new IllegalArgumentException("an address index entry starts at a whole microsecond of the years "
                    + "0000 to 9999, got " + started);
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

    /** Microseconds since 1970 (negative before). */
    long startedMicros() {
        return started.getEpochSecond() * 1_000_000L + started.getNano() / 1_000;
    }

    /** The time {@code micros} microseconds after 1970 (before, when negative). */
    static Instant ofMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
