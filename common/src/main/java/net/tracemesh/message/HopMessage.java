package net.tracemesh.message;

import java.time.Instant;
import net.tracemesh.record.HopRecord;

/**
 * One reply of one trace, published on the hops topic as soon as its TTL is settled, so a live view can
 * follow a trace hop by hop. Keyed by {@link Topics#pathKey}.
 *
 * @param recordId      {@code <trace_id>/<ttl>/<probe>}, with {@code /<n>} added for the n-th further reply to the
 *                      same probe (path MTU discovery re-sends a probe after "fragmentation needed"): the same
 *                      reply delivered twice has the same id
 * @param agentId       the vantage point
 * @param measurementId the measurement the trace belongs to
 * @param roundStart    when the round of the measurement that ran this trace started (with agent and
 *                      measurement, identifies the round)
 * @param traceId       random id of the trace, shared by its hops and its completion
 * @param method        probe method (udp, udp-paris, icmp-paris, tcp)
 * @param src           source address of the probes
 * @param dst           destination of the trace
 * @param sport         source port of the probes (the flow for Paris methods), absent for ICMP
 * @param dport         destination port (the first one for classic udp), absent for ICMP
 * @param traceStart    when the trace started
 * @param hop           the reply, in the format of the one-shot CLI's JSON hops
 */
public record HopMessage(String type, int schema, String recordId, String agentId, String measurementId,
                         Instant roundStart, String traceId, String method, String src, String dst, Integer sport,
                         Integer dport, Instant traceStart, HopRecord hop) implements AgentMessage {
    public static final String TYPE = "hop";

    public HopMessage {
        MessageFields.requireRoundEnvelope(TYPE, type, schema, recordId, agentId, measurementId, roundStart);
        MessageFields.requirePath(traceId, method, src, dst, sport, dport);
        MessageFields.requireNonNull("trace_start", traceStart);
        MessageFields.requireNonNull("hop", hop);
    }

    public static String recordId(String traceId, int ttl, int probe) {
        return recordId(traceId, ttl, probe, 0);
    }

    /** The id of the {@code repeat}-th further reply (0: the first) to probe {@code probe} at {@code ttl}. */
    public static String recordId(String traceId, int ttl, int probe, int repeat) {
        String base = traceId + "/" + ttl + "/" + probe;
        return repeat == 0 ? base : base + "/" + repeat;
    }

    /** Whether {@code recordId} is one of the ids {@link #recordId(String, int, int, int)} gives for this probe. */
    public static boolean isRecordIdOf(String recordId, String traceId, int ttl, int probe) {
        String base = traceId + "/" + ttl + "/" + probe;
        if (recordId.equals(base)) {
            return true;
        }
        if (!recordId.startsWith(base + "/")) {
            return false;
        }
        String repeat = recordId.substring(base.length() + 1);
        return !repeat.isEmpty() && repeat.length() <= 3 && repeat.chars().allMatch(Character::isDigit)
                && repeat.charAt(0) != '0';
    }
}
