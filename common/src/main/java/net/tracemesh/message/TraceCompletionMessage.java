package net.tracemesh.message;

import java.time.Instant;
import net.tracemesh.record.StopReason;

/**
 * Closes one trace on the traces topic: how and why it stopped and how many hop messages it published, so
 * a consumer knows when it holds all of them. Keyed like the trace's hops.
 *
 * @param recordId  {@code <trace_id>/end}
 * @param hopCount  number of {@link HopMessage}s published for this trace
 * @param stopTtl   TTL at which the trace stopped
 */
public record TraceCompletionMessage(String type, int schema, String recordId, String agentId, String measurementId,
                                     Instant roundStart, String traceId, String method, String src, String dst,
                                     Integer sport, Integer dport, Instant start, Instant end, int firstTtl,
                                     int maxTtl, int probesPerHop, int probeSize, StopReason stopReason,
                                     Integer stopIcmpCode, int stopTtl, int probesSent, Integer pathMtu,
                                     int hopCount) implements AgentMessage {
    public static final String TYPE = "trace_end";

    public TraceCompletionMessage {
        MessageFields.requireRoundEnvelope(TYPE, type, schema, recordId, agentId, measurementId, roundStart);
        MessageFields.requirePath(traceId, method, src, dst, sport, dport);
        MessageFields.requireNonNull("start", start);
        MessageFields.requireNonNull("end", end);
        MessageFields.requireRange("first_ttl", firstTtl, 1, 255);
        MessageFields.requireRange("max_ttl", maxTtl, firstTtl, 255);
        MessageFields.requireRange("probes_per_hop", probesPerHop, 1, 255);
        MessageFields.requireRange("probe_size", probeSize, 20, 65535);
        MessageFields.requireNonNull("stop_reason", stopReason);
        MessageFields.requireRange("stop_icmp_code", stopIcmpCode, 0, 255);
        MessageFields.requireRange("stop_ttl", stopTtl, firstTtl, maxTtl);
        MessageFields.requireRange("probes_sent", probesSent, 0, Integer.MAX_VALUE);
        MessageFields.requireRange("path_mtu", pathMtu, 68, 65535);
        MessageFields.requireRange("hop_count", hopCount, 0, Integer.MAX_VALUE);
        if ((stopReason == StopReason.UNREACHABLE) != (stopIcmpCode != null)) {
            throw new IllegalArgumentException("stop_icmp_code is present exactly when stop_reason is unreachable");
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end is before start");
        }
    }

    public static String recordId(String traceId) {
        return traceId + "/end";
    }
}
