package net.tracemesh.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.tracemesh.agent.measurement.TargetPolicy;
import net.tracemesh.measurement.AgentSelector;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.measurement.PingSettings;
import net.tracemesh.measurement.TraceSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentConfigTest {
    private static final Path EXAMPLE = Path.of("src/main/dist/agent.example.yaml");

    @TempDir
    Path dir;

    private static AgentConfig yaml(String text) {
        return AgentConfig.fromYaml(text, Map.of());
    }

    private static String refusal(String text) {
        return refusal(text, Map.of());
    }

    private static String refusal(String text, Map<String, String> env) {
        try {
            AgentConfig config = AgentConfig.fromYaml(text, env);
            throw new AssertionError("accepted " + config);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
    }

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n\n", "# nothing but a comment\n", "---\n", "~\n", "agent:\nkafka:\n"})
    void emptyYamlMeansEveryDefault(String text) {
        AgentConfig c = yaml(text);
        assertThat(c.agent()).isEqualTo(new IdentityConfig(null, "", Path.of("./tracemesh-agent-data")));
        assertThat(c.probing()).isEqualTo(new ProbingConfig(100, 0));
        assertThat(c.safety()).isEqualTo(new SafetyConfig(false, List.of(), 1_000_000, 65_536));
        assertThat(c.kafka()).isEqualTo(KafkaConfig.defaults());
        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.kafka().topicPrefix()).isEqualTo("tracemesh.");
        assertThat(c.kafka().securityProtocol()).isEqualTo(SecurityProtocol.PLAINTEXT);
        assertThat(c.kafka().sasl()).isEqualTo(new SaslConfig(SaslMechanism.SCRAM_SHA_512, null, null, null));
        assertThat(c.kafka().tls()).isEqualTo(TlsConfig.NONE);
        assertThat(c.kafka().properties()).isEmpty();
        assertThat(c.spool()).isEqualTo(new SpoolConfig(Path.of("./tracemesh-agent-data/spool"), 268_435_456L,
                20_000, Duration.ofSeconds(10)));
        assertThat(c.heartbeat().interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.measurements()).isEmpty();
        assertThat(c).isEqualTo(AgentConfig.defaults());
    }

    @Test
    void readsEverySetting() throws IOException {
        Path password = file("kafka-password", "s3cret \"quoted\" \\ end\n");
        Path truststore = file("ca.p12", "not really a store");
        Path trustPassword = file("ca-password", "trust-pw\r\n");
        Path keystore = file("agent.jks", "not really a store");
        Path keyPassword = file("agent-password", "key-pw");
        String text = """
                agent:
                  id: fra1-a
                  site: "Frankfurt DC1"
                  data-dir: /var/lib/tracemesh-agent
                probing:
                  rate: 250.5
                  max-active: 64
                safety:
                  allow-loopback: true
                  deny: ["198.51.100.0/24", "203.0.113.7"]
                  max-probes-per-round: 5000
                  max-targets: 1000
                kafka:
                  bootstrap-servers: "k1:9093, k2:9093"
                  topic-prefix: "lab."
                  security-protocol: SASL_SSL
                  sasl:
                    mechanism: SCRAM-SHA-256
                    username: fra1-a
                    password-file: %s
                  tls:
                    truststore: %s
                    truststore-password-file: %s
                    keystore: %s
                    keystore-password-file: %s
                  properties:
                    linger.ms: 20
                    compression.type: zstd
                    enable.idempotence: true
                spool:
                  dir: /srv/spool
                  max-bytes: 1GiB
                  memory-records: 500
                  spool-after-s: 30
                heartbeat:
                  interval-s: 15
                measurements:
                  - schema: 1
                    id: lab-chain
                    method: icmp-paris
                    targets: ["198.18.1.1", "198.18.2.0/30"]
                    interval_s: 300
                    agents: {all: true}
                    trace: {max_ttl: 12}
                  - schema: 1
                    id: lab-ping
                    method: ping
                    targets: [198.18.1.1]
                    interval_s: 60
                    start: 2026-11-23T10:00:00Z
                    agents: {labels: ["Frankfurt DC1"]}
                    ping: {count: 3, df: true}
                """.formatted(password, truststore, trustPassword, keystore, keyPassword);
        AgentConfig c = yaml(text);
        assertThat(c.agent()).isEqualTo(new IdentityConfig("fra1-a", "Frankfurt DC1",
                Path.of("/var/lib/tracemesh-agent")));
        assertThat(c.probing().rate()).isEqualTo(250.5);
        assertThat(c.probing().maxActive()).isEqualTo(64);
        assertThat(c.safety()).isEqualTo(new SafetyConfig(true, List.of("198.51.100.0/24", "203.0.113.7"), 5000,
                1000));
        KafkaConfig k = c.kafka();
        assertThat(k.bootstrapServers()).isEqualTo("k1:9093, k2:9093");
        assertThat(k.topic("hops")).isEqualTo("lab.hops");
        assertThat(k.securityProtocol()).isEqualTo(SecurityProtocol.SASL_SSL);
        assertThat(k.sasl().mechanism()).isEqualTo(SaslMechanism.SCRAM_SHA_256);
        assertThat(k.sasl().username()).isEqualTo("fra1-a");
        assertThat(k.sasl().password()).isEqualTo("s3cret \"quoted\" \\ end");
        assertThat(k.tls().truststorePassword()).isEqualTo("trust-pw");
        assertThat(k.tls().keystorePassword()).isEqualTo("key-pw");
        assertThat(k.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("linger.ms", "20",
                "compression.type", "zstd", "enable.idempotence", "true"));
        assertThat(c.spool()).isEqualTo(new SpoolConfig(Path.of("/srv/spool"), 1L << 30, 500,
                Duration.ofSeconds(30)));
        assertThat(c.heartbeat().interval()).isEqualTo(Duration.ofSeconds(15));

        assertThat(c.measurements()).hasSize(2);
        var chain = c.measurements().get(0);
        assertThat(chain.method()).isEqualTo(MeasurementMethod.ICMP_PARIS);
        assertThat(chain.trace().maxTtl()).isEqualTo(12);
        assertThat(chain.jitter()).isEqualTo(Duration.ofSeconds(30));
        var ping = c.measurements().get(1);
        assertThat(ping.targets()).containsExactly("198.18.1.1");
        assertThat(ping.start()).hasToString("2026-11-23T10:00:00Z");
        assertThat(ping.agents()).isEqualTo(AgentSelector.of(List.of(), List.of("Frankfurt DC1")));
        assertThat(ping.ping()).isEqualTo(new PingSettings(3, 1000, 56, 64, 2000, true));

        Map<String, Object> props = k.clientProperties();
        assertThat(props).containsEntry("bootstrap.servers", "k1:9093, k2:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"fra1-a\" password=\"s3cret \\\"quoted\\\" \\\\ end\";")
                .containsEntry("ssl.truststore.location", truststore.toString())
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.password", "trust-pw")
                .containsEntry("ssl.keystore.location", keystore.toString())
                .containsEntry("ssl.keystore.type", "JKS")
                .containsEntry("ssl.keystore.password", "key-pw")
                .containsEntry("linger.ms", "20")
                .hasSize(13);
        assertThat(k.toString()).doesNotContain("s3cret").doesNotContain("trust-pw").doesNotContain("key-pw");
    }

    @Test
    void loadsTheExampleFile() {
        assertThat(AgentConfig.load(EXAMPLE, Map.of())).isEqualTo(AgentConfig.defaults());
        AgentConfig overridden = AgentConfig.load(EXAMPLE, Map.of("TRACEMESH_AGENT_ID", "fra1-a"));
        assertThat(overridden.agent().id()).isEqualTo("fra1-a");
    }

    @Test
    void theExampleFilesCommentedMeasurementsAreValid() throws IOException {
        List<String> lines = Files.readAllLines(EXAMPLE, StandardCharsets.UTF_8);
        int start = lines.indexOf("# measurements:");
        assertThat(start).isPositive();
        String block = lines.subList(start, lines.size()).stream()
                .map(l -> l.startsWith("# ") ? l.substring(2) : l.replaceFirst("^#$", ""))
                .collect(Collectors.joining("\n"));
        AgentConfig c = AgentConfig.fromYaml(block, Map.of());
        assertThat(c.measurements()).hasSize(2);
        assertThat(c.measurements().get(0).trace()).isEqualTo(TraceSettings.DEFAULTS);
        assertThat(c.measurements().get(1).ping()).isEqualTo(PingSettings.DEFAULTS);
    }

    @Test
    void documentsEverySettingInTheExample() throws IOException {
        String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        for (String key : List.of("id:", "site:", "data-dir:", "rate:", "max-active:", "allow-loopback:", "deny:",
                "max-probes-per-round:", "max-targets:", "bootstrap-servers:", "topic-prefix:", "security-protocol:",
                "mechanism:", "username:", "password-file:", "truststore:", "truststore-password-file:",
                "keystore:", "keystore-password-file:", "properties:", "dir:", "max-bytes:", "memory-records:",
                "spool-after-s:", "interval-s:", "public-key:", "accept-unsigned:", "measurements:")) {
            assertThat(example).as(key).contains(" " + key);
        }
    }

    @Test
    void definitionsAreIgnoredUnlessAKeyOrUnsignedAreGiven() throws IOException {
        assertThat(yaml("").definitions()).isEqualTo(DefinitionsConfig.NONE);
        assertThat(yaml("").definitions().followsTopic()).isFalse();

        KeyPair pair = DefinitionSigning.generateKeyPair();
        Path key = file("central.pub.pem", DefinitionSigning.publicKeyPem(pair.getPublic()));
        DefinitionsConfig fromFile = yaml("definitions:\n  public-key: " + key + "\n").definitions();
        assertThat(fromFile.publicKeyFile()).isEqualTo(key);
        assertThat(fromFile.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(fromFile.keyId()).isEqualTo(DefinitionSigning.keyId(pair.getPublic()));
        assertThat(fromFile.acceptUnsigned()).isFalse();
        assertThat(fromFile.followsTopic()).isTrue();

        DefinitionsConfig fromEnv = AgentConfig.fromYaml("", Map.of("TRACEMESH_DEFINITIONS_PUBLIC_KEY", key.toString(),
                "TRACEMESH_DEFINITIONS_ACCEPT_UNSIGNED", "true")).definitions();
        assertThat(fromEnv.publicKeyFile()).isEqualTo(key);
        assertThat(fromEnv.acceptUnsigned()).isTrue();
        assertThat(yaml("definitions:\n  accept-unsigned: true\n").definitions().followsTopic()).isTrue();
    }

    @Test
    void aPublicKeyThatCannotBeUsedStopsStartupNamingTheSetting() throws IOException {
        Path absent = dir.resolve("absent.pem");
        assertThat(refusal("definitions:\n  public-key: " + absent + "\n"))
                .isEqualTo("definitions.public-key: cannot read " + absent + ": no such file");
        Path privateKey = file("private.pem", DefinitionSigning.privateKeyPem(
                DefinitionSigning.generateKeyPair().getPrivate()));
        assertThat(refusal("definitions:\n  public-key: " + privateKey + "\n"))
                .startsWith("definitions.public-key: " + privateKey + " holds a PRIVATE KEY block");
        Path garbage = file("garbage.pem", "not a key\n");
        assertThat(refusal("", Map.of("TRACEMESH_DEFINITIONS_PUBLIC_KEY", garbage.toString())))
                .startsWith("TRACEMESH_DEFINITIONS_PUBLIC_KEY: " + garbage + " is not a PEM file");
        assertThat(refusal("definitions:\n  accept-unsigned: maybe\n")).startsWith("definitions.accept-unsigned:");
        assertThat(refusal("definitions:\n  key: x\n")).isEqualTo("definitions.key: unknown setting; known:"
                + " public-key, accept-unsigned");
    }

    @Test
    void namesTheFullPathOfUnknownKeys() {
        assertThat(refusal("kafka:\n  bootstrap: k1:9092\n")).isEqualTo("kafka.bootstrap: unknown setting; known:"
                + " bootstrap-servers, topic-prefix, security-protocol, sasl, tls, properties");
        assertThat(refusal("probes:\n  rate: 5\n")).isEqualTo("probes: unknown setting; known: agent, probing,"
                + " safety, kafka, spool, heartbeat, definitions, measurements");
        assertThat(refusal("kafka:\n  sasl:\n    user: x\n")).isEqualTo("kafka.sasl.user: unknown setting; known:"
                + " mechanism, username, password-file");
        assertThat(refusal("kafka:\n  tls:\n    ca: x\n")).startsWith("kafka.tls.ca: unknown setting");
        assertThat(refusal("spool:\n  max-size: 5\n")).startsWith("spool.max-size: unknown setting");
        assertThat(refusal("heartbeat:\n  interval: 5\n")).isEqualTo("heartbeat.interval: unknown setting; known:"
                + " interval-s");
        assertThat(refusal("agent:\n  name: x\n")).startsWith("agent.name: unknown setting");
        assertThat(refusal("probing:\n  pps: 5\n")).startsWith("probing.pps: unknown setting");
        assertThat(refusal("safety:\n  allow_loopback: true\n")).startsWith("safety.allow_loopback: unknown setting");
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of("agent:\n  id: bad id\n", "agent.id: 'bad id' is not an agent id"),
                Arguments.of("agent:\n  id: [a]\n", "agent.id: expected text, got a list"),
                Arguments.of("agent:\n  site: " + "x".repeat(101) + "\n", "agent.site: at most 100 characters,"
                        + " got 101"),
                Arguments.of("probing:\n  rate: 0\n", "probing.rate: must be more than 0 and at most 1000000 probes"
                        + " per second, got 0.0"),
                Arguments.of("probing:\n  rate: 1000001\n", "probing.rate: must be more than 0 and at most"),
                Arguments.of("probing:\n  rate: fast\n", "probing.rate: expected a number, got text 'fast'"),
                Arguments.of("probing:\n  max-active: -1\n", "probing.max-active: must be 0 (automatic) to 65536,"
                        + " got -1"),
                Arguments.of("probing:\n  max-active: 65537\n", "probing.max-active: must be 0 (automatic) to"),
                Arguments.of("probing:\n  max-active: 1.5\n", "probing.max-active: expected a whole number, got the"
                        + " number 1.5"),
                Arguments.of("probing:\n  max-active: 99999999999\n", "probing.max-active: 99999999999 is out of"
                        + " range"),
                Arguments.of("probing: 5\n", "probing: expected a mapping of settings, got the number 5"),
                Arguments.of("safety:\n  allow-loopback: 'yes'\n", "safety.allow-loopback: expected true or false,"
                        + " got text 'yes'"),
                Arguments.of("safety:\n  deny: 198.51.100.0/24\n", "safety.deny: expected a list, got text"),
                Arguments.of("safety:\n  deny: [198.51.100.1/24]\n", "safety.deny[0]: '198.51.100.1/24' has host"
                        + " bits set (the network is 198.51.100.0/24)"),
                Arguments.of("safety:\n  deny: [10.0.0.0/8, 5]\n", "safety.deny[1]: expected text, got the number"
                        + " 5"),
                Arguments.of("safety:\n  max-probes-per-round: 0\n", "safety.max-probes-per-round: must be at least"
                        + " 1, got 0"),
                Arguments.of("safety:\n  max-targets: 0\n", "safety.max-targets: must be 1..16777216, got 0"),
                Arguments.of("safety:\n  max-targets: 16777217\n", "safety.max-targets: must be 1..16777216"),
                Arguments.of("kafka:\n  bootstrap-servers: localhost\n", "kafka.bootstrap-servers: 'localhost' is"
                        + " not host:port (give host:port pairs, comma-separated)"),
                Arguments.of("kafka:\n  bootstrap-servers: 'k1:9092,,k2:9092'\n", "kafka.bootstrap-servers: '' is"
                        + " not host:port"),
                Arguments.of("kafka:\n  bootstrap-servers: 'k1:99999'\n", "kafka.bootstrap-servers: 'k1:99999'"),
                Arguments.of("kafka:\n  bootstrap-servers: ''\n", "kafka.bootstrap-servers: is empty"),
                Arguments.of("kafka:\n  topic-prefix: 'my prefix'\n", "kafka.topic-prefix: 'my prefix' may hold"
                        + " only letters, digits"),
                Arguments.of("kafka:\n  security-protocol: TLS\n", "kafka.security-protocol: 'TLS' is not one of"
                        + " PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"),
                Arguments.of("kafka:\n  sasl:\n    mechanism: SCRAM\n", "kafka.sasl.mechanism: 'SCRAM' is not one"
                        + " of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"),
                Arguments.of("kafka:\n  security-protocol: SASL_SSL\n", "kafka.sasl.username: is required when"
                        + " kafka.security-protocol is SASL_SSL"),
                Arguments.of("kafka:\n  security-protocol: SASL_PLAINTEXT\n  sasl:\n    username: u\n",
                        "kafka.sasl.password-file: is required when kafka.security-protocol is SASL_PLAINTEXT"),
                Arguments.of("kafka:\n  sasl:\n    username: u\n", "kafka.sasl: a username or password is set but"
                        + " kafka.security-protocol is PLAINTEXT (use SASL_SSL or SASL_PLAINTEXT)"),
                Arguments.of("kafka:\n  properties:\n    security.protocol: SSL\n", "kafka.properties.security."
                        + "protocol: set it with kafka.security-protocol instead"),
                Arguments.of("kafka:\n  properties:\n    sasl.jaas.config: x\n", "kafka.properties.sasl.jaas.config:"
                        + " set it with kafka.sasl.username and kafka.sasl.password-file instead"),
                Arguments.of("kafka:\n  properties:\n    linger:\n      ms: 5\n", "kafka.properties.linger: expected"
                        + " text, a number or true/false, got a mapping"),
                Arguments.of("kafka:\n  properties: [a]\n", "kafka.properties: expected a mapping of names to values,"
                        + " got a list"),
                Arguments.of("kafka:\n  tls: true\n", "kafka.tls: expected a mapping of settings, got true"),
                Arguments.of("spool:\n  max-bytes: 1000\n", "spool.max-bytes: must be at least 1MiB (1048576), got"
                        + " 1000"),
                Arguments.of("spool:\n  max-bytes: 10XB\n", "spool.max-bytes: '10XB' has an unknown unit 'XB'"),
                Arguments.of("spool:\n  max-bytes: 1.5GiB\n", "spool.max-bytes: '1.5GiB' is not a size"),
                Arguments.of("spool:\n  max-bytes: [1]\n", "spool.max-bytes: expected a size such as 268435456 or"
                        + " 256MiB, got a list"),
                Arguments.of("spool:\n  memory-records: 0\n", "spool.memory-records: must be 1..10000000, got 0"),
                Arguments.of("spool:\n  spool-after-s: 0\n", "spool.spool-after-s: must be 1..3600, got 0"),
                Arguments.of("spool:\n  spool-after-s: 3601\n", "spool.spool-after-s: must be 1..3600, got 3601"),
                Arguments.of("heartbeat:\n  interval-s: 0\n", "heartbeat.interval-s: must be 1..3600, got 0"),
                Arguments.of("heartbeat:\n  interval-s: 3601\n", "heartbeat.interval-s: must be 1..3600, got 3601"),
                Arguments.of("heartbeat:\n  interval-s: '30s'\n", "heartbeat.interval-s: expected a whole number,"
                        + " got text '30s'"),
                Arguments.of("- agent\n", "expected a mapping of sections (agent, probing, ...), got a list"),
                Arguments.of("measurements: {}\n", "measurements: expected a list of measurement definitions, got a"
                        + " mapping"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void refusesBadSettingsNamingThem(String text, String message) {
        assertThat(refusal(text)).startsWith(message);
    }

    @Test
    void refusesTlsStoresWithoutTls() throws IOException {
        Path ca = file("ca.p12", "x");
        assertThat(refusal("kafka:\n  tls:\n    truststore: " + ca + "\n")).isEqualTo("kafka.tls: a store is set but"
                + " kafka.security-protocol is PLAINTEXT (use SSL or SASL_SSL)");
        assertThat(refusal("kafka:\n  security-protocol: SASL_PLAINTEXT\n  sasl: {username: u, password-file: "
                + file("pw", "p") + "}\n  tls:\n    truststore: " + ca + "\n"))
                .contains("kafka.security-protocol is SASL_PLAINTEXT (use SSL or SASL_SSL)");
    }

    @Test
    void checksTlsStores() throws IOException {
        Path pem = file("ca.pem", "x");
        assertThat(refusal("kafka:\n  security-protocol: SSL\n  tls:\n    truststore: " + pem + "\n"))
                .isEqualTo("kafka.tls.truststore: cannot tell the store type of '" + pem + "' (name it .p12 or .pfx"
                        + " for PKCS12, .jks for JKS)");
        Path missing = dir.resolve("missing.p12");
        assertThat(refusal("kafka:\n  security-protocol: SSL\n  tls:\n    truststore: " + missing + "\n"))
                .isEqualTo("kafka.tls.truststore: cannot read " + missing + ": no such file");
        Path keystore = file("agent.pfx", "x");
        assertThat(refusal("kafka:\n  security-protocol: SSL\n  tls:\n    keystore: " + keystore + "\n"))
                .isEqualTo("kafka.tls.keystore-password-file: is required with kafka.tls.keystore");
        assertThat(refusal("kafka:\n  security-protocol: SSL\n  tls:\n    truststore-password-file: "
                + file("pw", "p") + "\n"))
                .isEqualTo("kafka.tls.truststore-password-file: set without kafka.tls.truststore");

        AgentConfig ssl = yaml("kafka:\n  security-protocol: SSL\n  tls:\n    truststore: " + file("ca.jks", "x")
                + "\n");
        assertThat(ssl.kafka().clientProperties()).containsOnlyKeys("bootstrap.servers", "security.protocol",
                "ssl.truststore.location", "ssl.truststore.type").containsEntry("ssl.truststore.type", "JKS");
    }

    @Test
    void anAgentLogsInToKafkaOnlyAsItself() throws IOException {
        Path pw = file("pw", "p");
        String sasl = "kafka:\n  security-protocol: SASL_SSL\n  sasl: {username: fra1-a, password-file: " + pw + "}\n";
        assertThat(yaml("agent:\n  id: fra1-a\n" + sasl).kafka().sasl().username()).isEqualTo("fra1-a");
        assertThat(refusal("agent:\n  id: fra1-b\n" + sasl)).contains("kafka.sasl.username: 'fra1-a' is not this"
                + " agent's id 'fra1-b'");
        assertThat(refusal(sasl)).contains("agent.id: is required with kafka.security-protocol SASL_SSL");
        assertThat(refusal(sasl, Map.of("TRACEMESH_AGENT_ID", "other"))).contains("is not this agent's id 'other'");
    }

    @Test
    void readsPasswordFiles() throws IOException {
        Path pw = file("pw", "  two words \r\n\n");
        AgentConfig c = yaml("agent:\n  id: agent\nkafka:\n  security-protocol: SASL_PLAINTEXT\n  sasl:\n"
                + "    mechanism: PLAIN\n    username: agent\n    password-file: " + pw + "\n");
        assertThat(c.kafka().sasl().password()).isEqualTo("  two words ");
        assertThat(c.kafka().sasl().passwordFile()).isEqualTo(pw);
        assertThat(c.kafka().clientProperties()).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"agent\" password=\"  two words \";")
                .doesNotContainKey("ssl.truststore.location");
        assertThat(c.kafka().sasl().toString()).doesNotContain("two words").contains("(hidden)");
    }

    @Test
    void reportsUnreadablePasswordFiles() throws IOException {
        String base = "kafka:\n  security-protocol: SASL_SSL\n  sasl:\n    username: agent\n    password-file: ";
        Path missing = dir.resolve("nope");
        assertThat(refusal(base + missing + "\n")).isEqualTo("kafka.sasl.password-file: cannot read " + missing
                + ": no such file");
        Path empty = file("empty", "\n");
        assertThat(refusal(base + empty + "\n")).isEqualTo("kafka.sasl.password-file: " + empty + " is empty");
        assertThat(refusal(base + dir + "\n")).startsWith("kafka.sasl.password-file: cannot read " + dir + ": ");
        Path latin1 = dir.resolve("latin1");
        Files.write(latin1, new byte[] {'p', (byte) 0xE9, 'w'});
        assertThat(refusal(base + latin1 + "\n")).isEqualTo("kafka.sasl.password-file: cannot read " + latin1
                + ": not UTF-8 text");
        assertThat(refusal("", Map.of("TRACEMESH_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "TRACEMESH_KAFKA_SASL_USERNAME", "agent", "TRACEMESH_KAFKA_SASL_PASSWORD_FILE", missing.toString())))
                .isEqualTo("TRACEMESH_KAFKA_SASL_PASSWORD_FILE: cannot read " + missing + ": no such file");
    }

    @Test
    void environmentOverridesScalars() {
        AgentConfig c = AgentConfig.fromYaml("agent:\n  id: from-file\n  site: File\nprobing:\n  rate: 10\n",
                Map.of("TRACEMESH_AGENT_ID", "from-env", "TRACEMESH_PROBING_RATE", "250.5",
                        "TRACEMESH_PROBING_MAX_ACTIVE", "32", "TRACEMESH_KAFKA_BOOTSTRAP_SERVERS", "k9:9092",
                        "TRACEMESH_SAFETY_ALLOW_LOOPBACK", "TRUE", "TRACEMESH_SPOOL_MAX_BYTES", "1GB",
                        "TRACEMESH_HEARTBEAT_INTERVAL_S", "5", "TRACEMESH_SAFETY_MAX_PROBES_PER_ROUND", "77",
                        "TRACEMESH_UNKNOWN_SETTING", "ignored", "PATH", "/usr/bin"));
        assertThat(c.agent().id()).isEqualTo("from-env");
        assertThat(c.agent().site()).isEqualTo("File");
        assertThat(c.probing()).isEqualTo(new ProbingConfig(250.5, 32));
        assertThat(c.kafka().bootstrapServers()).isEqualTo("k9:9092");
        assertThat(c.safety().allowLoopback()).isTrue();
        assertThat(c.safety().maxProbesPerRound()).isEqualTo(77);
        assertThat(c.spool().maxBytes()).isEqualTo(1_000_000_000L);
        assertThat(c.heartbeat().interval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void environmentOverridesNestedSettingsAndPaths() throws IOException {
        Path pw = file("pw", "secret\n");
        AgentConfig c = AgentConfig.fromYaml("kafka:\n  sasl:\n    mechanism: PLAIN\n", Map.of(
                "TRACEMESH_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "TRACEMESH_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "TRACEMESH_KAFKA_SASL_USERNAME", "env-user",
                "TRACEMESH_KAFKA_SASL_PASSWORD_FILE", pw.toString(),
                "TRACEMESH_AGENT_ID", "env-user",
                "TRACEMESH_AGENT_DATA_DIR", "/data"));
        assertThat(c.kafka().sasl()).isEqualTo(new SaslConfig(SaslMechanism.SCRAM_SHA_512, "env-user", pw, "secret"));
        assertThat(c.agent().dataDir()).isEqualTo(Path.of("/data"));
        assertThat(c.spool().dir()).isEqualTo(Path.of("/data/spool"));
        assertThat(AgentConfig.fromYaml("spool:\n  dir: /s\n", Map.of("TRACEMESH_AGENT_DATA_DIR", "/data"))
                .spool().dir()).isEqualTo(Path.of("/s"));
    }

    @Test
    void environmentOverridesLists() {
        String file = "safety:\n  deny: [192.0.2.0/24]\n";
        assertThat(AgentConfig.fromYaml(file, Map.of()).safety().deny()).containsExactly("192.0.2.0/24");
        assertThat(AgentConfig.fromYaml(file, Map.of("TRACEMESH_SAFETY_DENY", " 198.51.100.0/24, 203.0.113.7,,"))
                .safety().deny()).containsExactly("198.51.100.0/24", "203.0.113.7");
        assertThat(AgentConfig.fromYaml(file, Map.of("TRACEMESH_SAFETY_DENY", "")).safety().deny()).isEmpty();
        assertThat(refusal("", Map.of("TRACEMESH_SAFETY_DENY", "10.0.0.0/8,10.0.0.1/8"))).isEqualTo(
                "safety.deny[1]: '10.0.0.1/8' has host bits set (the network is 10.0.0.0/8) (set by"
                        + " TRACEMESH_SAFETY_DENY)");
    }

    @Test
    void emptyEnvironmentValuesClearOptionalSettings() {
        AgentConfig c = AgentConfig.fromYaml("agent:\n  id: from-file\n", Map.of("TRACEMESH_AGENT_ID", ""));
        assertThat(c.agent().id()).isNull();
    }

    @Test
    void namesTheVariableOfABadEnvironmentValue() {
        assertThat(refusal("", Map.of("TRACEMESH_PROBING_RATE", "fast")))
                .isEqualTo("TRACEMESH_PROBING_RATE: expected a number, got 'fast'");
        assertThat(refusal("", Map.of("TRACEMESH_PROBING_RATE", "0x10")))
                .isEqualTo("TRACEMESH_PROBING_RATE: expected a number, got '0x10'");
        assertThat(refusal("", Map.of("TRACEMESH_PROBING_RATE", "0"))).isEqualTo("probing.rate: must be more than 0"
                + " and at most 1000000 probes per second, got 0.0 (set by TRACEMESH_PROBING_RATE)");
        assertThat(refusal("", Map.of("TRACEMESH_SAFETY_ALLOW_LOOPBACK", "yes")))
                .isEqualTo("TRACEMESH_SAFETY_ALLOW_LOOPBACK: expected true or false, got 'yes'");
        assertThat(refusal("", Map.of("TRACEMESH_SAFETY_MAX_TARGETS", "12.5")))
                .isEqualTo("TRACEMESH_SAFETY_MAX_TARGETS: expected a whole number, got '12.5'");
        assertThat(refusal("", Map.of("TRACEMESH_SAFETY_MAX_TARGETS", "99999999999")))
                .isEqualTo("TRACEMESH_SAFETY_MAX_TARGETS: 99999999999 is out of range");
        assertThat(refusal("", Map.of("TRACEMESH_SPOOL_MAX_BYTES", "lots")))
                .startsWith("TRACEMESH_SPOOL_MAX_BYTES: 'lots' is not a size");
        assertThat(refusal("", Map.of("TRACEMESH_KAFKA_SECURITY_PROTOCOL", "ssl")))
                .isEqualTo("TRACEMESH_KAFKA_SECURITY_PROTOCOL: 'ssl' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT,"
                        + " SASL_SSL");
        assertThat(refusal("", Map.of("TRACEMESH_AGENT_ID", "no spaces")))
                .startsWith("agent.id: 'no spaces' is not an agent id").endsWith("(set by TRACEMESH_AGENT_ID)");
    }

    @Test
    void refusesBadYaml() {
        String unclosed = refusal("agent:\n  id: [fra1\nprobing:\n  rate: 5\n");
        assertThat(unclosed).startsWith("not valid YAML at line ");
        String duplicate = refusal("probing:\n  rate: 5\n  rate: 6\n");
        assertThat(duplicate).startsWith("not valid YAML at line 3").contains("rate");
        assertThat(refusal("agent:\n\tid: x\n")).startsWith("not valid YAML at line 2");
        assertThat(refusal("probing: {}\n---\nprobing: {}\n")).startsWith("not valid YAML");
    }

    @Test
    void decodesMeasurementsInTheFile() {
        String text = """
                measurements:
                  - {schema: 1, id: a, method: udp, targets: [198.18.0.0/24], interval_s: 60, agents: {all: true}}
                  - schema: 1
                    id: b
                    method: tcp
                    targets: [198.18.1.1]
                    interval_s: 600
                    paused: true
                    agents: {ids: [fra1-a]}
                    trace: {port: 443, probes_per_hop: 1}
                """;
        AgentConfig c = yaml(text);
        assertThat(c.measurements()).extracting(m -> m.id()).containsExactly("a", "b");
        assertThat(c.measurements().get(1).trace().port()).isEqualTo(443);
        assertThat(c.measurements().get(1).paused()).isTrue();
        assertThat(c.measurements().get(1).agents().matches("fra1-a", "")).isTrue();
    }

    @Test
    void refusesBadMeasurementsInTheFileNamingThem() {
        String good = "  - {schema: 1, id: a, method: ping, targets: [198.18.0.1], interval_s: 60, agents: {all: true}}\n";
        assertThat(refusal("measurements:\n" + good
                + "  - {schema: 1, id: b, method: udp, targets: [198.18.0.1], interval_s: 60, agents: {all: true},"
                + " trace: {ttl: 5}}\n"))
                .isEqualTo("measurements[1] (id 'b'): trace.ttl: unknown field; known: probes_per_hop, first_ttl,"
                        + " max_ttl, wait_ms, port, parallel_ttls, gap_limit, retries, path_mtu, probe_size");
        assertThat(refusal("measurements:\n  - {schema: 1, method: ping, targets: [198.18.0.1], interval_s: 60,"
                + " agents: {all: true}}\n")).isEqualTo("measurements[0]: id: is missing");
        assertThat(refusal("measurements:\n  - {schema: 1, id: x, method: traceroute, targets: [198.18.0.1],"
                + " interval_s: 60, agents: {all: true}}\n")).startsWith("measurements[0] (id 'x'): method: unknown"
                + " method 'traceroute'");
        assertThat(refusal("measurements:\n  - {schema: 1, id: x, method: ping, targets: [198.18.0.0/33],"
                + " interval_s: 60, agents: {all: true}}\n")).startsWith("measurements[0] (id 'x'): targets[0]:"
                + " '198.18.0.0/33' is not an IPv4 address or prefix");
        assertThat(refusal("measurements:\n  - just text\n")).isEqualTo("measurements[0]: a definition must be a"
                + " JSON object, got the string \"just text\"");
        assertThat(refusal("measurements:\n" + good + good)).isEqualTo("measurements[1]: id 'a' is already used by"
                + " measurements[0]");
    }

    @Test
    void checksMeasurementsInTheFileAgainstTheSafetySettings() {
        String loopback = "measurements:\n  - {schema: 1, id: lo, method: ping, targets: [127.0.0.1], interval_s: 60,"
                + " agents: {all: true}}\n";
        assertThat(refusal(loopback)).isEqualTo("measurements[0]: refused by the safety settings: measurement lo:"
                + " targets[0] '127.0.0.1' is in 127.0.0.0/8 (loopback): probed only when the agent allows loopback"
                + " (allow-loopback)");
        assertThat(AgentConfig.fromYaml(loopback, Map.of("TRACEMESH_SAFETY_ALLOW_LOOPBACK", "true"))
                .measurements()).hasSize(1);
        assertThat(refusal(loopback.replace("127.0.0.1", "198.18.0.0/16") + "safety:\n  max-targets: 100\n"))
                .startsWith("measurements[0]: refused by the safety settings: measurement lo has 65534 target"
                        + " addresses");
    }

    @Test
    void loadsFilesAndNamesThemInErrors() throws IOException {
        Path config = file("agent.yaml", "probing:\n  rate: 7\n");
        assertThat(AgentConfig.load(config, Map.of()).probing().rate()).isEqualTo(7);
        Path bad = file("bad.yaml", "kafka:\n  bootstrap: x\n");
        assertThatThrownBy(() -> AgentConfig.load(bad, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(bad + ": kafka.bootstrap: unknown setting; known: bootstrap-servers");
        Path range = file("range.yaml", "probing:\n  rate: -1\n");
        assertThatThrownBy(() -> AgentConfig.load(range, Map.of()))
                .hasMessageStartingWith(range + ": probing.rate: must be more than 0");
        Path broken = file("broken.yaml", "agent: [\n");
        assertThatThrownBy(() -> AgentConfig.load(broken, Map.of()))
                .hasMessageStartingWith(broken + ": not valid YAML at line ");
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> AgentConfig.load(missing, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage("cannot read config file " + missing + ": no such file");
        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {'a', ':', ' ', (byte) 0xFF, '\n'});
        assertThatThrownBy(() -> AgentConfig.load(binary, Map.of()))
                .hasMessage("cannot read config file " + binary + ": not UTF-8 text");
    }

    @Test
    void makesTheSafetyPolicy() {
        AgentConfig c = yaml("safety:\n  allow-loopback: true\n  deny: [10.0.0.0/8]\n  max-probes-per-round: 9\n"
                + "  max-targets: 3\n");
        assertThat(c.safety().toPolicy()).isEqualTo(new TargetPolicy(true, List.of("10.0.0.0/8"), 9, 3));
    }

    @Test
    void automaticMaxActiveFollowsTheRate() {
        assertThat(new ProbingConfig(100, 0).effectiveMaxActive()).isEqualTo(16);
        assertThat(new ProbingConfig(10_000, 0).effectiveMaxActive()).isEqualTo(1000);
        assertThat(new ProbingConfig(1_000_000, 0).effectiveMaxActive()).isEqualTo(8192);
        assertThat(new ProbingConfig(100, 5).effectiveMaxActive()).isEqualTo(5);
    }
}
