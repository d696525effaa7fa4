package net.tracemesh.message;

import java.time.Instant;

/**
 * Something an agent refused or could not do, on the errors topic, keyed by agent id.
 *
 * @param kind          what went wrong, e.g. {@code bad_definition}, {@code forbidden_target}, {@code over_budget}
 * @param measurementId the measurement concerned, when known
 * @param target        the target concerned, when there is one
 * @param message       a sentence for people
 */
public record AgentErrorMessage(String type, int schema, String recordId, String agentId, Instant time, String kind,
                                String measurementId, String target, String message) implements AgentMessage {
    public static final String TYPE = "error";

    public AgentErrorMessage {
        MessageFields.requireType(TYPE, type);
        MessageFields.requireSchema(schema);
        MessageFields.requireText("record_id", recordId);
        MessageFields.requireId("agent_id", agentId);
        MessageFields.requireNonNull("time", time);
        MessageFields.requireText("kind", kind);
        MessageFields.requireText("message", message);
    }
}
