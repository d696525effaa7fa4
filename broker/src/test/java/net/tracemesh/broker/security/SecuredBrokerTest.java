package net.tracemesh.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import net.tracemesh.broker.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured broker (SASL_SSL, SCRAM-SHA-512, ACLs) with its enrollment tool: an enrolled user writes where its
 * ACLs allow, an unknown user and a wrong password are refused, a denied write fails, and every refusal is in the
 * audit log with the client's address.
 */
class SecuredBrokerTest {
    private static final String PREFIX = "sec.";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path tmp;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().dataDir(tmp.resolve("broker")).secured(true).build().start();
        for (String t : List.of("hops", "traces", "pings", "heartbeats", "errors", "measurements")) {
            kafka.ensureTopic(PREFIX + t, 1, Map.of());
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void secretsAreOwnerOnlyAndTheAdminPropertiesAreWritten() throws Exception {
        SecurityFiles files = kafka.securityFiles();
        for (Path secret : List.of(files.adminPassword(), files.controllerPassword(), files.caPassword(),
                files.brokerPassword(), files.truststorePassword(), files.adminProperties())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).as(secret.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(files.adminProperties())).contains("security.protocol=SASL_SSL")
                .contains("tracemesh-admin");
    }

    @Test
    void anEnrolledUserWritesItsTopicsAndIsDeniedTheDefinitionsTopic() throws Exception {
        Path bundle = tmp.resolve("bundle-a");
        assertThat(admin("enroll-agent", "sec-a", "--prefix", PREFIX, "--out", bundle.toString())).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle.resolve("kafka-password"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(bundle.resolve("kafka-snippet.yaml"))).contains("username: sec-a")
                .contains("security-protocol: SASL_SSL");
        String password = Files.readString(bundle.resolve("kafka-password")).strip();
        Instant before = Instant.now().minusSeconds(1);
        try (KafkaProducer<String, String> p = producer("sec-a", password)) {
            p.send(new ProducerRecord<>(PREFIX + "heartbeats", "sec-a", "{}"))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        try (KafkaProducer<String, String> p = producer("sec-a", password)) {
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(PREFIX + "measurements", "m", "{}"))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(AuditLog.readSince(kafka.securityFiles().auditLog(), before))
                .anySatisfy(e -> {
                    assertThat(e.kind()).isEqualTo(AuditEvent.AUTHORIZATION_DENIED);
                    assertThat(e.principal()).isEqualTo("User:sec-a");
                    assertThat(e.operation()).isEqualTo("WRITE");
                    assertThat(e.resource()).isEqualTo("TOPIC:" + PREFIX + "measurements");
                    assertThat(e.client()).isEqualTo("127.0.0.1");
                });
        ByteArrayOutputStream listed = new ByteArrayOutputStream();
        assertThat(new SecurityAdmin(new PrintStream(listed, true, StandardCharsets.UTF_8)).run(
                SecurityAdmin.Arguments.parse(new String[] {"list-agents", "--prefix", PREFIX, "--data-dir",
                        kafka.dataDir().toString()}))).isZero();
        assertThat(listed.toString(StandardCharsets.UTF_8)).contains("sec-a\tenrolled");
    }

    @Test
    void unknownUsersAndWrongPasswordsAreRefusedAndAudited() throws Exception {
        Path bundle = tmp.resolve("bundle-b");
        assertThat(admin("enroll-agent", "sec-b", "--prefix", PREFIX, "--out", bundle.toString())).isZero();
        Instant before = Instant.now().minusSeconds(1);
        try (KafkaProducer<String, String> p = producer("nobody", "whatever")) {
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(PREFIX + "heartbeats", "x", "{}"))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (KafkaProducer<String, String> p = producer("sec-b", "not-the-password")) {
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(PREFIX + "heartbeats", "x", "{}"))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        List<AuditEvent> events = AuditLog.readSince(kafka.securityFiles().auditLog(), before);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.AUTHENTICATION_FAILED);
            assertThat(e.principal()).isEqualTo("User:nobody");
            assertThat(e.reason()).isEqualTo(AuditEvent.UNKNOWN_USER);
            assertThat(e.client()).isEqualTo("127.0.0.1");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(AuditEvent.AUTHENTICATION_FAILED);
            assertThat(e.principal()).isEqualTo("User:sec-b");
            assertThat(e.reason()).isEqualTo(AuditEvent.WRONG_PASSWORD);
        });

        assertThat(admin("revoke-agent", "sec-b")).isZero();
        String password = Files.readString(bundle.resolve("kafka-password")).strip();
        try (KafkaProducer<String, String> p = producer("sec-b", password)) {
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(PREFIX + "heartbeats", "x", "{}"))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void enrolledServicesWorkWithTheirSnippetsClientProperties() throws Exception {
        Path collectorBundle = tmp.resolve("bundle-collector");
        Path webBundle = tmp.resolve("bundle-web");
        assertThat(admin("enroll-service", "collector", "sec-collector", "--prefix", PREFIX, "--group", "sec-group",
                "--out", collectorBundle.toString())).isZero();
        assertThat(admin("enroll-service", "web", "sec-web", "--prefix", PREFIX, "--out", webBundle.toString()))
                .isZero();
        kafka.ensureTopic(PREFIX + "dead-letter", 1, Map.of());
        Map<String, Object> collector = snippetProperties(collectorBundle);
        Map<String, Object> web = snippetProperties(webBundle);
        try (KafkaProducer<String, String> admin = producer(kafka.adminClientProperties())) {
            admin.send(new ProducerRecord<>(PREFIX + "hops", "k", "hop")).get(SEND_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        // the collector: its group on hops, commits, writes dead letters; cannot write definitions
        Map<String, Object> c = new HashMap<>(collector);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "sec-group");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(PREFIX + "hops"));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
            while (values.isEmpty() && System.nanoTime() - deadline < 0) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            assertThat(values).contains("hop");
            consumer.commitSync();
        }
        try (KafkaProducer<String, String> p = producer(collector)) {
            p.send(new ProducerRecord<>(PREFIX + "dead-letter", "k", "bad")).get(SEND_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(PREFIX + "measurements", "m", "{}"))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // the web: the only writer of definitions
        try (KafkaProducer<String, String> p = producer(web)) {
            p.send(new ProducerRecord<>(PREFIX + "measurements", "m", "{}")).get(SEND_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** bootstrap-servers and properties of a service bundle's kafka-snippet.yaml. */
    private static Map<String, Object> snippetProperties(Path bundle) throws Exception {
        JsonNode kafkaSection = new ObjectMapper(new YAMLFactory()).readTree(bundle.resolve("kafka-snippet.yaml")
                .toFile()).get("kafka");
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", kafkaSection.get("bootstrap-servers").asText());
        kafkaSection.get("properties").fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
        return p;
    }

    @Test
    void aReservedOrInvalidNameCannotBeEnrolled() {
        assertThatThrownBy(() -> admin("enroll-agent", "tracemesh-admin", "--out", tmp.resolve("x").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> admin("enroll-agent", "../evil", "--out", tmp.resolve("x").toString()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int admin(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = kafka.dataDir().toString();
        return new SecurityAdmin(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(SecurityAdmin.Arguments.parse(all));
    }

    private static KafkaProducer<String, String> producer(String user, String password) {
        SecurityFiles files = kafka.securityFiles();
        return producer(BrokerSecurity.clientProperties(kafka.bootstrapServers(), user, password, files.truststore(),
                Secrets.read(files.truststorePassword())));
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> clientProperties) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() / 2);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
