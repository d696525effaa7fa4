package net.tracemesh.web.config;

import java.util.Map;
import java.util.Objects;

/**
 * How the web reaches Kafka: to read agents' heartbeats and the measurement definitions, and to publish
 * definitions.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param topicPrefix      prefix of the platform's topics ({@code tracemesh.} by default)
 * @param properties       extra client properties (security settings and the like), applied to every client
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, Map<String, String> properties) {
    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers: is empty");
        }
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        properties = Map.copyOf(properties == null ? Map.of() : properties);
    }

    public String topic(String name) {
        return topicPrefix + name;
    }
}
