package net.tracemesh.agent.publish;

import java.util.Objects;

/**
 * A message to publish.
 *
 * @param topic   topic name relative to the configured prefix ({@code net.tracemesh.message.Topics})
 * @param key     Kafka key (messages with one key stay ordered in one partition)
 * @param message the message record, encoded as JSON by the publisher
 * @param round   the measurement round it belongs to (0 for messages outside rounds); when the spool is
 *                full, the oldest rounds are dropped first
 */
public record Outgoing(String topic, String key, Object message, long round) {
    public Outgoing {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        if (round < 0) {
            throw new IllegalArgumentException("round must not be negative, got " + round);
        }
    }
}
