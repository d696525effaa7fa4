package net.tracemesh.agent.publish;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the publisher talks to Kafka and spools.
 *
 * @param topicPrefix        prefix of every topic name
 * @param clientProperties   Kafka client properties (bootstrap servers, security); the publisher adds its own
 *                           delivery guarantees on top
 * @param memoryRecords      messages handed to the producer and not yet acknowledged, at most
 * @param spoolAfter         a message unacknowledged this long means the broker is unreachable: new messages
 *                           go to the spool
 * @param spoolDir           directory of the on-disk spool
 * @param spoolMaxBytes      size of the spool on disk, at most
 * @param shutdownGrace      how long a shutdown waits for acknowledgements before spooling what is left
 */
public record PublisherSettings(String topicPrefix, Map<String, Object> clientProperties, int memoryRecords,
                                Duration spoolAfter, Path spoolDir, long spoolMaxBytes, Duration shutdownGrace) {
    public PublisherSettings {
        Objects.requireNonNull(topicPrefix, "topic prefix");
        clientProperties = Map.copyOf(clientProperties);
        if (memoryRecords < 1) {
            throw new IllegalArgumentException("memory records must be at least 1, got " + memoryRecords);
        }
        if (spoolAfter.isNegative() || spoolAfter.isZero()) {
            throw new IllegalArgumentException("spool-after must be positive");
        }
        Objects.requireNonNull(spoolDir, "spool dir");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative");
        }
    }
}
