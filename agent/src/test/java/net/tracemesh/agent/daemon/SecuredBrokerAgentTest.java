package net.tracemesh.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.tracemesh.agent.config.AgentConfig;
import net.tracemesh.agent.config.ConfigException;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.broker.security.AuditEvent;
import net.tracemesh.broker.security.AuditLog;
import net.tracemesh.broker.security.Secrets;
import net.tracemesh.broker.security.SecurityAdmin;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents against a real broker secured with TLS, SCRAM-SHA-512 and ACLs, enrolled with the broker's
 * {@code SecurityAdmin}: an enrolled agent daemon, configured from its enrollment bundle, publishes its heartbeats;
 * an unenrolled user and a user presenting an enrolled agent's name without its password are refused; an enrolled
 * agent cannot write the definitions topic; every refusal is in the broker's audit log; and an agent config whose
 * SASL user is not its own id does not load.
 */
class SecuredBrokerAgentTest {
    private static final String PREFIX = "secure.";
    /** Bounds every wait of this test; nothing asserts how long anything takes. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().dataDir(tmp.resolve("broker")).secured(true).build().start();
        for (Topics.Spec spec : Topics.ALL) {
            kafka.ensureTopic(spec.fullName(PREFIX), 1,
                    spec.compacted() ? Map.of("cleanup.policy", "compact") : Map.of());
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void anEnrolledAgentPublishesItsHeartbeats() {
        Path bundle = enroll("sec-agent-a");
        AgentConfig config = AgentConfig.fromYaml(agentYaml(bundle, "sec-agent-a"), Map.of());
        try (AgentDaemon daemon = AgentDaemon.start(config)) {
            List<HeartbeatMessage> beats = awaitHeartbeats("sec-agent-a");
            assertThat(beats).isNotEmpty().allSatisfy(h -> assertThat(h.agentId()).isEqualTo("sec-agent-a"));
            assertThat(daemon.identity().id()).isEqualTo("sec-agent-a");
        }
    }

    @Test
    void strangersAndImpostorsAreRefusedAndAudited() throws Exception {
        Path bundle = enroll("sec-agent-b");
        Instant before = Instant.now().minusSeconds(1);

        try (KafkaProducer<String, String> p = producer(clientProperties(bundle, "sec-intruder", "guessed"))) {
            assertThatThrownBy(() -> send(p, PREFIX + Topics.HEARTBEATS, "sec-intruder"))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        // another agent's identity without its password: agent b's name, a password of its own
        try (KafkaProducer<String, String> p = producer(clientProperties(bundle, "sec-agent-b",
                Secrets.newPassword()))) {
            assertThatThrownBy(() -> send(p, PREFIX + Topics.HEARTBEATS, "sec-agent-b"))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }

        List<AuditEvent> events = AuditLog.readSince(kafka.securityFiles().auditLog(), before);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.AUTHENTICATION_FAILED);
            assertThat(e.principal()).isEqualTo("User:sec-intruder");
            assertThat(e.reason()).isEqualTo(AuditEvent.UNKNOWN_USER);
            assertThat(e.client()).isEqualTo("127.0.0.1");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.AUTHENTICATION_FAILED);
            assertThat(e.principal()).isEqualTo("User:sec-agent-b");
            assertThat(e.reason()).isEqualTo(AuditEvent.WRONG_PASSWORD);
            assertThat(e.client()).isEqualTo("127.0.0.1");
        });
        assertThat(adminOutput("events", "--since", before.toString())).contains("User:sec-intruder")
                .contains("wrong_password");
    }

    @Test
    void anAgentCannotWriteTheDefinitionsTopic() throws Exception {
        Path bundle = enroll("sec-agent-c");
        // the client properties the agent itself derives from its enrolled config
        AgentConfig config = AgentConfig.fromYaml(agentYaml(bundle, "sec-agent-c"), Map.of());
        Instant before = Instant.now().minusSeconds(1);
        try (KafkaProducer<String, String> p = producer(config.kafka().clientProperties())) {
            send(p, PREFIX + Topics.ERRORS, "sec-agent-c");
            assertThatThrownBy(() -> send(p, PREFIX + Topics.MEASUREMENTS, "evil-definition"))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(AuditLog.readSince(kafka.securityFiles().auditLog(), before)).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.AUTHORIZATION_DENIED);
            assertThat(e.principal()).isEqualTo("User:sec-agent-c");
            assertThat(e.operation()).isEqualTo("WRITE");
            assertThat(e.resource()).isEqualTo("TOPIC:" + PREFIX + Topics.MEASUREMENTS);
        });
    }

    @Test
    void anAgentConfigWithAnotherAgentsUserIsRejected() {
        Path bundle = enroll("sec-agent-d");
        String yaml = agentYaml(bundle, "sec-agent-d").replace("id: sec-agent-d", "id: sec-agent-e");
        assertThatThrownBy(() -> AgentConfig.fromYaml(yaml, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.sasl.username: 'sec-agent-d' is not this agent's id 'sec-agent-e'");
    }

    /** Enrolls an agent with the broker's tool; returns its bundle directory. */
    private static Path enroll(String id) {
        Path bundle = tmp.resolve("bundle-" + id);
        assertThat(SecurityAdmin.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                "enroll-agent", id, "--prefix", PREFIX, "--bootstrap", kafka.bootstrapServers(), "--out",
                bundle.toString(), "--data-dir", kafka.dataDir().toString())).isZero();
        return bundle;
    }

    private static String adminOutput(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", kafka.dataDir().toString()));
        assertThat(SecurityAdmin.run(new PrintStream(out, true, StandardCharsets.UTF_8), all.toArray(String[]::new)))
                .isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The bundle's agent.yaml snippet, with a data directory and a short heartbeat added. */
    private static String agentYaml(Path bundle, String id) {
        try {
            String snippet = Files.readString(bundle.resolve("kafka-snippet.yaml"));
            return snippet.replace("agent:\n  id: " + id + "\n", "agent:\n  id: " + id + "\n  data-dir: \""
                    + tmp.resolve("data-" + id) + "\"\n") + "heartbeat:\n  interval-s: 1\n";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** SASL_SSL client properties with the bundle's truststore and any user and password. */
    private static Map<String, Object> clientProperties(Path bundle, String user, String password) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", bundle.resolve("truststore.p12").toString());
        p.put("ssl.truststore.password", Secrets.read(bundle.resolve("truststore-password")));
        return p;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> clientProperties) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WAIT.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis() / 2);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> p, String topic, String key) throws Exception {
        p.send(new ProducerRecord<>(topic, key, "{}")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the heartbeats topic as the broker administrator until one of {@code agentId} is there. */
    private static List<HeartbeatMessage> awaitHeartbeats(String agentId) {
        String topic = PREFIX + Topics.HEARTBEATS;
        List<HeartbeatMessage> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.adminClientProperties(),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, WAIT)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (found.isEmpty() && System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (agentId.equals(r.key())) {
                        found.add(MessageJson.decode(r.value(), HeartbeatMessage.class));
                    }
                }
            }
        }
        return found;
    }
}
