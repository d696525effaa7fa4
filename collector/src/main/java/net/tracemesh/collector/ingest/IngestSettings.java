package net.tracemesh.collector.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import net.tracemesh.collector.assemble.AssemblerSettings;

/**
 * How a {@link CollectorIngest} connects and assembles.
 *
 * @param bootstrapServers  Kafka bootstrap servers, {@code host:port[,host:port…]}
 * @param topicPrefix       prefix of every topic ({@code tracemesh.} by default); may be empty
 * @param groupId           consumer group of the collector (one collector per group: see {@link CollectorIngest})
 * @param pollTimeout       how long one poll waits for records
 * @param assembler         limits of the trace assembler (its open timeout closes traces that never complete)
 * @param idleClock         the clock given to the assembler's expiry when a poll returns nothing (the wall clock when
 *                          live; tests give a fixed clock so that only record timestamps move time)
 * @param clientProperties  further Kafka client properties, given to both the consumer and the dead-letter producer
 *                          (those the ingest relies on — group, deserializers, auto commit — cannot be overridden)
 * @param partitionSkew     how far ahead in record time a partition may be read of the slowest one with records
 *                          left (see {@link CollectorIngest}); zero keeps them in step to the millisecond
 */
public record IngestSettings(String bootstrapServers, String topicPrefix, String groupId, Duration pollTimeout,
                             AssemblerSettings assembler, Clock idleClock, Map<String, Object> clientProperties,
                             Duration partitionSkew) {
    public static final String DEFAULT_GROUP_ID = "tracemesh-collector";
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_PARTITION_SKEW = Duration.ofSeconds(2);

    /** Settings with the default partition skew. */
    public IngestSettings(String bootstrapServers, String topicPrefix, String groupId, Duration pollTimeout,
                          AssemblerSettings assembler, Clock idleClock, Map<String, Object> clientProperties) {
        this(bootstrapServers, topicPrefix, groupId, pollTimeout, assembler, idleClock, clientProperties,
                DEFAULT_PARTITION_SKEW);
    }

    public IngestSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are missing");
        }
        if (topicPrefix == null) {
            throw new IllegalArgumentException("topic prefix is missing (use \"\" for none)");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("consumer group id is missing");
        }
        if (pollTimeout == null || pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("poll timeout must be a positive duration, got " + pollTimeout);
        }
        if (assembler == null) {
            throw new IllegalArgumentException("assembler settings are missing");
        }
        if (idleClock == null) {
            throw new IllegalArgumentException("idle clock is missing");
        }
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
        if (partitionSkew == null || partitionSkew.isNegative()) {
            throw new IllegalArgumentException("partition skew must be zero or positive, got " + partitionSkew);
        }
    }

    /** Default prefix, group, poll timeout and assembler limits, the system clock, no extra client properties. */
    public static IngestSettings defaults(String bootstrapServers) {
        return new IngestSettings(bootstrapServers, net.tracemesh.message.Topics.DEFAULT_PREFIX, DEFAULT_GROUP_ID,
                DEFAULT_POLL_TIMEOUT, AssemblerSettings.defaults(), Clock.systemUTC(), Map.of());
    }

    public IngestSettings withTopicPrefix(String prefix) {
        return new IngestSettings(bootstrapServers, prefix, groupId, pollTimeout, assembler, idleClock,
                clientProperties, partitionSkew);
    }

    public IngestSettings withGroupId(String group) {
        return new IngestSettings(bootstrapServers, topicPrefix, group, pollTimeout, assembler, idleClock,
                clientProperties, partitionSkew);
    }

    public IngestSettings withAssembler(AssemblerSettings settings) {
        return new IngestSettings(bootstrapServers, topicPrefix, groupId, pollTimeout, settings, idleClock,
                clientProperties, partitionSkew);
    }

    public IngestSettings withIdleClock(Clock clock) {
        return new IngestSettings(bootstrapServers, topicPrefix, groupId, pollTimeout, assembler, clock,
                clientProperties, partitionSkew);
    }

    public IngestSettings withPartitionSkew(Duration skew) {
        return new IngestSettings(bootstrapServers, topicPrefix, groupId, pollTimeout, assembler, idleClock,
                clientProperties, skew);
    }

    public IngestSettings withPollTimeout(Duration timeout) {
        return new IngestSettings(bootstrapServers, topicPrefix, groupId, timeout, assembler, idleClock,
                clientProperties, partitionSkew);
    }
}
