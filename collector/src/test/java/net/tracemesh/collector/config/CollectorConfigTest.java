package net.tracemesh.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import net.tracemesh.collector.assemble.AssemblerSettings;
import net.tracemesh.collector.ingest.IngestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** collector.yaml and the environment: values, defaults, and one clear line for every kind of mistake. */
class CollectorConfigTest {
    private static final Path EXAMPLE = Path.of("src/main/dist/collector.example.yaml");

    @TempDir
    Path dir;

    @Test
    void theExampleFileDocumentsTheDefaults() {
        CollectorConfig example = CollectorConfig.load(EXAMPLE, Map.of());
        assertThat(example).isEqualTo(CollectorConfig.defaults());
        assertThat(example.kafka()).isEqualTo(KafkaConfig.defaults());
        assertThat(example.store()).isEqualTo(StoreConfig.embedded(Path.of("./tracemesh-collector-data")));
        assertThat(example.retention()).isEqualTo(RetentionConfig.defaults());
        assertThat(example.retention().hopMaxAge()).isEqualTo(Duration.ofDays(14));
        assertThat(example.assembler()).isEqualTo(AssemblerConfig.defaults());
        assertThat(example.assembler().settings()).isEqualTo(AssemblerSettings.defaults());
    }

    @Test
    void aFullFileWithADatabaseServer() throws Exception {
        Path password = secretFile("s3cret\n", "rw-------");
        Path file = write("collector.yaml", """
                kafka:
                  bootstrap-servers: "k1:9092, k2:9093"
                  topic-prefix: "lab."
                  group-id: collector-eu
                  poll-timeout: 250ms
                  properties: {"security.protocol": "SSL", "fetch.max.wait.ms": 200, "check.crcs": true}
                store:
                  type: jdbc
                  url: jdbc:postgresql://db:5432/tracemesh
                  user: tracemesh
                  password-file: %s
                retention:
                  hop-max-age: 7d
                  prune-interval: 30m
                assembler:
                  open-timeout: 2m
                  closed-retention: 1h30m
                  max-closed-remembered: 1000
                  max-hops-per-trace: 512
                  max-open-traces: 50000
                """.formatted(password));
        CollectorConfig c = CollectorConfig.load(file, Map.of());

        assertThat(c.kafka()).isEqualTo(new KafkaConfig("k1:9092, k2:9093", "lab.", "collector-eu",
                Duration.ofMillis(250), Map.of("security.protocol", "SSL", "fetch.max.wait.ms", "200",
                "check.crcs", "true")));
        assertThat(c.store()).isEqualTo(new StoreConfig(StoreType.JDBC, null, "jdbc:postgresql://db:5432/tracemesh",
                "tracemesh", password, "s3cret"));
        assertThat(c.retention()).isEqualTo(new RetentionConfig(Duration.ofDays(7), Duration.ofMinutes(30)));
        assertThat(c.assembler()).isEqualTo(new AssemblerConfig(Duration.ofMinutes(2), Duration.ofMinutes(90), 1000,
                512, 50_000));

        Clock clock = Clock.systemUTC();
        IngestSettings ingest = c.ingestSettings(clock);
        assertThat(ingest.bootstrapServers()).isEqualTo("k1:9092, k2:9093");
        assertThat(ingest.topicPrefix()).isEqualTo("lab.");
        assertThat(ingest.groupId()).isEqualTo("collector-eu");
        assertThat(ingest.pollTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(ingest.assembler()).isEqualTo(new AssemblerSettings(Duration.ofMinutes(2), Duration.ofMinutes(90),
                1000, 512, 50_000));
        assertThat(ingest.idleClock()).isSameAs(clock);
        assertThat(ingest.clientProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry("fetch.max.wait.ms", "200").hasSize(3);
    }

    @Test
    void anEmbeddedStoreTakesItsPageCacheSize() throws Exception {
        CollectorConfig c = CollectorConfig.load(write("collector.yaml", "store: {cache-mb: 256}\n"), Map.of());
        assertThat(c.store().cacheMb()).isEqualTo(256);
        assertThat(CollectorConfig.defaults().store().cacheMb()).isEqualTo(StoreConfig.DEFAULT_CACHE_MB);
    }

    @Test
    void thePasswordNeverShowsInText() throws Exception {
        Path password = secretFile("s3cret", "rw-r-----");
        CollectorConfig c = CollectorConfig.fromYaml("store: {type: jdbc, url: 'jdbc:h2:mem:x', password-file: '"
                + password + "'}", Map.of());
        assertThat(c.store().password()).isEqualTo("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret").contains("password=(hidden)");
        assertThat(c.store().describe()).isEqualTo("database jdbc:h2:mem:x");
    }

    @Test
    void theEnvironmentOverridesTheFile() throws Exception {
        Path password = secretFile("from-env", "rw-------");
        Path file = write("collector.yaml", """
                kafka: {bootstrap-servers: "file:9092", group-id: from-file}
                retention: {hop-max-age: 30d}
                assembler: {max-open-traces: 10}
                """);
        CollectorConfig c = CollectorConfig.load(file, Map.of(
                "TRACEMESH_KAFKA_BOOTSTRAP_SERVERS", "env:9094",
                "TRACEMESH_KAFKA_POLL_TIMEOUT", "2s",
                "TRACEMESH_RETENTION_HOP_MAX_AGE", "7d",
                "TRACEMESH_ASSEMBLER_MAX_OPEN_TRACES", "20",
                "TRACEMESH_STORE_TYPE", "JDBC",
                "TRACEMESH_STORE_URL", "jdbc:postgresql://db/tm",
                "TRACEMESH_STORE_PASSWORD_FILE", password.toString(),
                // the agent's settings share the environment: the collector ignores them
                "TRACEMESH_AGENT_ID", "fra1-a",
                "TRACEMESH_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"));
        assertThat(c.kafka().bootstrapServers()).isEqualTo("env:9094");
        assertThat(c.kafka().groupId()).isEqualTo("from-file");
        assertThat(c.kafka().pollTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.retention().hopMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(c.assembler().maxOpenTraces()).isEqualTo(20);
        assertThat(c.store().type()).isEqualTo(StoreType.JDBC);
        assertThat(c.store().dataDir()).isNull();
        assertThat(c.store().url()).isEqualTo("jdbc:postgresql://db/tm");
        assertThat(c.store().password()).isEqualTo("from-env");
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("kafka: [1, 2]", "kafka: expected a mapping, got a list"),
                Arguments.of("kafak: {}", "kafak: unknown setting (known here: kafka, store, retention, assembler)"),
                Arguments.of("kafka: {bootstrap: x}", "kafka.bootstrap: unknown setting (known here: "
                        + "bootstrap-servers, topic-prefix, group-id, poll-timeout, properties)"),
                Arguments.of("kafka: {bootstrap-servers: broker}", "kafka.bootstrap-servers: 'broker' is not "
                        + "host:port (give host:port pairs, comma-separated)"),
                Arguments.of("kafka: {bootstrap-servers: [a]}", "kafka.bootstrap-servers: expected text, got a list"),
                Arguments.of("kafka: {topic-prefix: 'a b'}", "kafka.topic-prefix: 'a b' may hold only letters, "
                        + "digits, '.', '_' and '-' (at most 200)"),
                Arguments.of("kafka: {group-id: ''}", "kafka.group-id: '' must be 1 to 200 letters, digits, '.', "
                        + "'_' or '-'"),
                Arguments.of("kafka: {poll-timeout: 5ms}", "kafka.poll-timeout: must be 10ms..1m, got 5ms"),
                Arguments.of("kafka: {poll-timeout: 500}", "kafka.poll-timeout: expected a duration such as 500ms, "
                        + "30s, 10m, 1h30m or 7d, got the number 500"),
                Arguments.of("kafka: {properties: {group.id: other}}", "kafka.properties.group.id: cannot be given "
                        + "here (set it with kafka.group-id)"),
                Arguments.of("kafka: {properties: {enable.auto.commit: true}}", "kafka.properties.enable.auto.commit:"
                        + " cannot be given here (the collector commits offsets itself)"),
                Arguments.of("kafka: {properties: {a: [1]}}", "kafka.properties.a: expected text, a number or "
                        + "true/false, got a list"),
                Arguments.of("store: {type: sqlite}", "store.type: 'sqlite' is not embedded or jdbc"),
                Arguments.of("store: {type: jdbc}", "store.url: is required when store.type is jdbc"),
                Arguments.of("store: {type: jdbc, url: 'postgresql://db/x'}", "store.url: a JDBC URL starts with "
                        + "\"jdbc:\" (as in jdbc:postgresql://host:5432/tracemesh)"),
                Arguments.of("store: {type: jdbc, url: 'jdbc:h2:mem:x', data-dir: /var/lib/x}",
                        "store.data-dir: is only used when store.type is embedded"),
                Arguments.of("store: {url: 'jdbc:h2:mem:x'}", "store.url: is only used when store.type is jdbc"),
                Arguments.of("store: {user: me}", "store.user: is only used when store.type is jdbc"),
                Arguments.of("store: {password-file: /nonexistent}", "store.password-file: is only used when "
                        + "store.type is jdbc"),
                Arguments.of("store: {type: jdbc, url: 'jdbc:h2:mem:x', cache-mb: 64}", "store.cache-mb: is only "
                        + "used when store.type is embedded"),
                Arguments.of("store: {cache-mb: 0}", "store.cache-mb: must be 1..65536 (MiB), got 0"),
                Arguments.of("store: {cache-mb: 65537}", "store.cache-mb: must be 1..65536 (MiB), got 65537"),
                Arguments.of("retention: {hop-max-age: 10m}", "retention.hop-max-age: must be 1h..100000d, got 10m"),
                Arguments.of("retention: {hop-max-age: 7 days}", "retention.hop-max-age: expected a duration such as "
                        + "500ms, 30s, 10m, 1h30m or 7d, got '7 days'"),
                Arguments.of("retention: {hop-max-age: 30m1h}", "retention.hop-max-age: '30m1h': give the units "
                        + "largest first, each once (as in 1h30m)"),
                Arguments.of("retention: {hop-max-age: 2d, prune-interval: 3d}", "retention.prune-interval: must be "
                        + "1s up to retention.hop-max-age (2d), got 3d"),
                Arguments.of("assembler: {open-timeout: 8d}", "assembler.open-timeout: must be 1s..7d, got 8d"),
                Arguments.of("assembler: {max-hops-per-trace: 0}", "assembler.max-hops-per-trace: must be "
                        + "1..1000000, got 0"),
                Arguments.of("assembler: {max-open-traces: 1.5}", "assembler.max-open-traces: expected a whole "
                        + "number, got the number 1.5"),
                Arguments.of("assembler: {max-closed-remembered: 99999999999}", "assembler.max-closed-remembered: "
                        + "99999999999 is out of range"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void aBadSettingIsOneLineNamingTheFileAndThePath(String yaml, String message) throws Exception {
        Path file = write("collector.yaml", yaml + "\n");
        assertThatThrownBy(() -> CollectorConfig.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": " + message);
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> CollectorConfig.fromYaml("", Map.of("TRACEMESH_ASSEMBLER_MAX_OPEN_TRACES", "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("TRACEMESH_ASSEMBLER_MAX_OPEN_TRACES: expected a whole number, got 'many'");
        assertThatThrownBy(() -> CollectorConfig.fromYaml("", Map.of("TRACEMESH_RETENTION_HOP_MAX_AGE", "5m")))
                .hasMessage("TRACEMESH_RETENTION_HOP_MAX_AGE: must be 1h..100000d, got 5m");
        assertThatThrownBy(() -> CollectorConfig.fromYaml("", Map.of("TRACEMESH_STORE_TYPE", "mysql")))
                .hasMessage("TRACEMESH_STORE_TYPE: 'mysql' is not embedded or jdbc");
        assertThatThrownBy(() -> CollectorConfig.fromYaml("", Map.of("TRACEMESH_KAFKA_BOOTSTRAP_SERVERS", "x:0")))
                .hasMessage("TRACEMESH_KAFKA_BOOTSTRAP_SERVERS: 'x:0' is not host:port (give host:port pairs, "
                        + "comma-separated)");
    }

    @Test
    void filesThatCannotBeUsed() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> CollectorConfig.load(missing, Map.of()))
                .hasMessage("cannot read config file " + missing + ": no such file");
        Path notYaml = write("bad.yaml", "kafka: {bootstrap-servers: [\n");
        assertThatThrownBy(() -> CollectorConfig.load(notYaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(notYaml + ": not valid YAML (line ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Path twice = write("twice.yaml", "kafka: {group-id: a}\nkafka: {group-id: b}\n");
        assertThatThrownBy(() -> CollectorConfig.load(twice, Map.of()))
                .hasMessageStartingWith(twice + ": not valid YAML").hasMessageContaining("kafka");
        Path list = write("list.yaml", "- kafka\n");
        assertThatThrownBy(() -> CollectorConfig.load(list, Map.of()))
                .hasMessage(list + ": expected a mapping of sections, got a list");
    }

    @Test
    void aPasswordFileEveryUserCanReadIsRefused() throws Exception {
        Path open = secretFile("s3cret\n", "rw-r--r--");
        assertThatThrownBy(() -> jdbcWithPasswordFile(open))
                .isInstanceOf(ConfigException.class)
                .hasMessage("store.password-file: " + open + " can be read by every user (rw-r--r--); make it "
                        + "private first, e.g. chmod 600 " + open);
        // the same file, named in the environment: the message names the variable
        assertThatThrownBy(() -> CollectorConfig.fromYaml("store: {type: jdbc, url: 'jdbc:h2:mem:x'}",
                Map.of("TRACEMESH_STORE_PASSWORD_FILE", open.toString())))
                .hasMessageStartingWith("TRACEMESH_STORE_PASSWORD_FILE: " + open + " can be read by every user");

        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-------"));
        assertThat(jdbcWithPasswordFile(open).store().password()).isEqualTo("s3cret");
    }

    @Test
    void aPasswordFileThatIsMissingOrEmptyIsRefused() throws Exception {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> jdbcWithPasswordFile(missing))
                .hasMessage("store.password-file: cannot read " + missing + ": no such file");
        Path empty = secretFile("\n", "rw-------");
        assertThatThrownBy(() -> jdbcWithPasswordFile(empty))
                .hasMessage("store.password-file: " + empty + " is empty");
        assertThatThrownBy(() -> jdbcWithPasswordFile(dir))
                .hasMessage("store.password-file: " + dir + " is a directory, not a file holding the password");
    }

    private static CollectorConfig jdbcWithPasswordFile(Path file) {
        return CollectorConfig.fromYaml("store: {type: jdbc, url: 'jdbc:h2:mem:x', password-file: '" + file + "'}",
                Map.of());
    }

    private Path secretFile(String text, String mode) throws Exception {
        Path f = Files.createTempFile(dir, "password", "");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
