package net.tracemesh.message;

import java.time.Instant;
import net.tracemesh.record.PingRecord;

/**
 * One ping run of a measurement round on the pings topic, keyed by {@link Topics#pathKey}.
 *
 * @param recordId random id of the run
 * @param ping     the run, in the format of the one-shot CLI's ping JSON
 */
public record PingMessage(String type, int schema, String recordId, String agentId, String measurementId,
                          Instant roundStart, PingRecord ping) implements AgentMessage {
    public static final String TYPE = "ping_result";

    public PingMessage {
        MessageFields.requireRoundEnvelope(TYPE, type, schema, recordId, agentId, measurementId, roundStart);
        MessageFields.requireNonNull("ping", ping);
    }
}
