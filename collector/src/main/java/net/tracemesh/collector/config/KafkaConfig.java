package net.tracemesh.collector.config;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.tracemesh.collector.ingest.IngestSettings;
import net.tracemesh.message.Topics;

/**
 * Where the collector reads hop records and trace completions ({@code kafka:} in collector.yaml).
 *
 * @param bootstrapServers {@code host:port} pairs, comma-separated [localhost:9092]
 * @param topicPrefix      put before every topic name, as the agents do; letters, digits, '.', '_', '-' [tracemesh.]
 * @param groupId          the collector's consumer group: one collector per group [tracemesh-collector]
 * @param pollTimeout      how long one poll waits for records, 10ms..1m [500ms]
 * @param properties       further Kafka client properties (security, timeouts, ...) passed through as text [{}];
 *                         the ones the collector sets itself are refused
 */
public record KafkaConfig(String bootstrapServers, String topicPrefix, String groupId, Duration pollTimeout,
                          Map<String, String> properties) {
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_TOPIC_PREFIX = Topics.DEFAULT_PREFIX;
    public static final String DEFAULT_GROUP_ID = IngestSettings.DEFAULT_GROUP_ID;
    public static final Duration DEFAULT_POLL_TIMEOUT = IngestSettings.DEFAULT_POLL_TIMEOUT;
    public static final Duration MIN_POLL_TIMEOUT = Duration.ofMillis(10);
    public static final Duration MAX_POLL_TIMEOUT = Duration.ofMinutes(1);

    /** Client properties the collector sets from typed settings or needs as they are, with why. */
    private static final Map<String, String> RESERVED = Map.of(
            "bootstrap.servers", "set it with kafka.bootstrap-servers",
            "group.id", "set it with kafka.group-id",
            "enable.auto.commit", "the collector commits offsets itself",
            "key.deserializer", "the collector reads raw bytes",
            "value.deserializer", "the collector reads raw bytes");
    private static final Pattern SERVER = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5})");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,200}");
    private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final int MAX_PORT = 65_535;

    public KafkaConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers: is empty");
        }
        bootstrapServers = bootstrapServers.strip();
        for (String server : bootstrapServers.split(",", -1)) {
            Matcher m = SERVER.matcher(server.strip());
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > MAX_PORT) {
                throw new IllegalArgumentException("kafka.bootstrap-servers: '" + server.strip()
                        + "' is not host:port (give host:port pairs, comma-separated)");
            }
        }
        if (topicPrefix == null || !TOPIC_PREFIX.matcher(topicPrefix).matches()) {
            throw new IllegalArgumentException("kafka.topic-prefix: '" + topicPrefix
                    + "' may hold only letters, digits, '.', '_' and '-' (at most 200)");
        }
        if (groupId == null || !GROUP_ID.matcher(groupId).matches()) {
            throw new IllegalArgumentException("kafka.group-id: '" + groupId
                    + "' must be 1 to 200 letters, digits, '.', '_' or '-'");
        }
        if (pollTimeout == null || pollTimeout.compareTo(MIN_POLL_TIMEOUT) < 0
                || pollTimeout.compareTo(MAX_POLL_TIMEOUT) > 0) {
            throw new IllegalArgumentException("kafka.poll-timeout: must be " + DurationText.format(MIN_POLL_TIMEOUT)
                    + ".." + DurationText.format(MAX_POLL_TIMEOUT) + ", got "
                    + (pollTimeout == null ? "nothing" : DurationText.format(pollTimeout)));
        }
        properties = Collections.unmodifiableMap(new TreeMap<>(properties == null ? Map.of() : properties));
        for (Map.Entry<String, String> p : properties.entrySet()) {
            if (p.getKey().isBlank()) {
                throw new IllegalArgumentException("kafka.properties: a property name is empty");
            }
            String why = RESERVED.get(p.getKey());
            if (why != null) {
                throw new IllegalArgumentException("kafka.properties." + p.getKey() + ": cannot be given here ("
                        + why + ")");
            }
            if (p.getValue() == null) {
                throw new IllegalArgumentException("kafka.properties." + p.getKey() + ": has no value");
            }
        }
    }

    /** A local broker, the default prefix and group. */
    public static KafkaConfig defaults() {
        return new KafkaConfig(DEFAULT_BOOTSTRAP_SERVERS, DEFAULT_TOPIC_PREFIX, DEFAULT_GROUP_ID,
                DEFAULT_POLL_TIMEOUT, Map.of());
    }
}
