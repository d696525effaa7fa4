package net.tracemesh.message;

import java.time.Instant;
import net.tracemesh.record.HopRecord;

/**
 * One reply of one trace, published on the hops topic as soon as its TTL is settled, so a live view can
 * follow a trace hop by hop. Keyed by {@link Topics#pathKey}.
 *
 * @param recordId      {@code <trace_id>/<ttl>/<probe>}: the same reply delivered twice has the same id
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
                         Integer dport, Instant traceStart, HopRecord hop) {
    public static final String TYPE = "hop";

    public HopMessage {
        MessageFields.requireType(TYPE, type);
        MessageFields.requireSchema(schema);
        MessageFields.requireText("record_id", recordId);
        MessageFields.requireId("agent_id", agentId);
        MessageFields.requireId("measurement_id", measurementId);
        MessageFields.requireNonNull("round_start", roundStart);
        MessageFields.requireText("trace_id", traceId);
        MessageFields.requireText("method", method);
        MessageFields.requireAddress("src", src);
        MessageFields.requireAddress("dst", dst);
        MessageFields.requireRange("sport", sport, 0, 65535);
        MessageFields.requireRange("dport", dport, 0, 65535);
        MessageFields.requireNonNull("trace_start", traceStart);
        MessageFields.requireNonNull("hop", hop);
    }

    public static String recordId(String traceId, int ttl, int probe) {
        return traceId + "/" + ttl + "/" + probe;
    }
}
