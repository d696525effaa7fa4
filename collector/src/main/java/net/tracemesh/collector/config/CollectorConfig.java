package net.tracemesh.collector.config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.tracemesh.collector.ingest.IngestSettings;
import net.tracemesh.config.SettingsTree;

/**
 * The collector daemon's configuration, read in one place: collector.yaml (kebab-case keys, every one optional),
 * then the environment. Every single-value setting can be overridden by {@code TRACEMESH_<PATH>}: its dotted path
 * upper-cased with '.' and '-' written '_' ({@code store.password-file} → {@code TRACEMESH_STORE_PASSWORD_FILE}).
 * {@code kafka.properties} comes from the file only; other {@code TRACEMESH_*} variables are ignored (the agent
 * reads its own from the same environment).
 *
 * <p>Unknown keys, wrong types, out-of-range values, settings that do not fit the store type and a password file
 * that every user can read are {@link ConfigException}s naming the setting.
 *
 * @param kafka     where hop records and completions are read
 * @param store     where the graph and route history are kept
 * @param retention how long raw hop records are kept
 * @param assembler limits of trace assembly
 */
public record CollectorConfig(KafkaConfig kafka, StoreConfig store, RetentionConfig retention,
                              AssemblerConfig assembler) {
    private static final List<String> SECTIONS = List.of("kafka", "store", "retention", "assembler");
    private static final List<String> KAFKA_KEYS = List.of("bootstrap-servers", "topic-prefix", "group-id",
            "poll-timeout", "properties");
    private static final List<String> STORE_KEYS = List.of("type", "data-dir", "url", "user", "password-file",
            "cache-mb");
    private static final List<String> RETENTION_KEYS = List.of("hop-max-age", "prune-interval");
    private static final List<String> ASSEMBLER_KEYS = List.of("open-timeout", "closed-retention",
            "max-closed-remembered", "max-hops-per-trace", "max-open-traces");
    /** How collector.yaml's errors read: one line after {@code "collector: "}. */
    private static final SettingsTree.Messages MESSAGES = new SettingsTree.Messages(ConfigException::new,
            "a mapping of sections", "a mapping", "unknown setting (known here: %s)", " (line %d, column %d)",
            SettingsTree.Blame.REPLACE_PATH);

    public CollectorConfig {
        if (kafka == null || store == null || retention == null || assembler == null) {
            throw new IllegalArgumentException("every section of the collector's configuration is needed");
        }
    }

    /**
     * Reads collector.yaml and applies the environment.
     *
     * @param environment usually {@link System#getenv()}
     * @throws ConfigException if the file cannot be read or a setting is wrong; the message names the file
     */
    public static CollectorConfig load(Path yamlFile, Map<String, String> environment) {
        return read(SettingsTree.load(yamlFile, environment, MESSAGES));
    }

    /** Reads YAML text (empty text: every default) and applies the environment. */
    public static CollectorConfig fromYaml(String yaml, Map<String, String> environment) {
        return read(SettingsTree.parse(yaml, environment, null, MESSAGES));
    }

    /** Every setting at its default: a local broker and an embedded store in ./tracemesh-collector-data. */
    public static CollectorConfig defaults() {
        return fromYaml("", Map.of());
    }

    /**
     * How the ingest is to run with these settings.
     *
     * @param idleClock the clock that closes traces left open once the topics are drained (the system clock when
     *                  live)
     */
    public IngestSettings ingestSettings(Clock idleClock) {
        return new IngestSettings(kafka.bootstrapServers(), kafka.topicPrefix(), kafka.groupId(), kafka.pollTimeout(),
                assembler.settings(), idleClock, new HashMap<>(kafka.properties()));
    }

    private static CollectorConfig read(SettingsTree r) {
        r.onlyKeys("", SECTIONS);
        r.onlyKeys("kafka", KAFKA_KEYS);
        r.onlyKeys("store", STORE_KEYS);
        r.onlyKeys("retention", RETENTION_KEYS);
        r.onlyKeys("assembler", ASSEMBLER_KEYS);

        KafkaConfig kafka = r.build(() -> new KafkaConfig(
                r.text("kafka.bootstrap-servers", KafkaConfig.DEFAULT_BOOTSTRAP_SERVERS),
                r.text("kafka.topic-prefix", KafkaConfig.DEFAULT_TOPIC_PREFIX),
                r.text("kafka.group-id", KafkaConfig.DEFAULT_GROUP_ID),
                duration(r, "kafka.poll-timeout", KafkaConfig.DEFAULT_POLL_TIMEOUT),
                r.properties("kafka.properties")));
        StoreConfig store = readStore(r);
        RetentionConfig retention = r.build(() -> new RetentionConfig(
                duration(r, "retention.hop-max-age", RetentionConfig.DEFAULT_HOP_MAX_AGE),
                duration(r, "retention.prune-interval", RetentionConfig.DEFAULT_PRUNE_INTERVAL)));
        AssemblerConfig d = AssemblerConfig.defaults();
        AssemblerConfig assembler = r.build(() -> new AssemblerConfig(
                duration(r, "assembler.open-timeout", d.openTimeout()),
                duration(r, "assembler.closed-retention", d.closedRetention()),
                r.integer("assembler.max-closed-remembered", d.maxClosedRemembered()),
                r.integer("assembler.max-hops-per-trace", d.maxHopsPerTrace()),
                r.integer("assembler.max-open-traces", d.maxOpenTraces())));
        return r.build(() -> new CollectorConfig(kafka, store, retention, assembler));
    }

    private static StoreConfig readStore(SettingsTree r) {
        StoreType type = r.choice("store.type", StoreType.EMBEDDED, StoreType::named, StoreType.names());
        Path dataDir = r.path("store.data-dir", type == StoreType.EMBEDDED ? StoreConfig.DEFAULT_DATA_DIR : null);
        String url = r.optionalText("store.url");
        String user = r.optionalText("store.user");
        Path passwordFile = r.optionalPath("store.password-file");
        // the password is only read for a jdbc store; the record refuses the setting otherwise
        String password = passwordFile == null || type != StoreType.JDBC ? null
                : r.privateSecret("store.password-file", passwordFile);
        int cacheMb = StoreConfig.readCacheMb(r, type);
        return r.build(() -> new StoreConfig(type, dataDir, url, user, passwordFile, password, cacheMb));
    }

    /** A duration written as {@link DurationText} reads it. */
    private static Duration duration(SettingsTree r, String path, Duration fallback) {
        return r.parsed(path, fallback, DurationText.EXAMPLES, DurationText::parse);
    }
}
