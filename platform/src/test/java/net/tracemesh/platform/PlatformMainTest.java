package net.tracemesh.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import net.tracemesh.collector.ingest.CollectorTopics;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.StopReason;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.TimeExceededCode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-machine mode starts a real broker with the platform's topics, a local agent that reports in, and a
 * collector that stores what agents publish under the data directory.
 */
class PlatformMainTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TRACE_ID = "run1-1";
    private static final String SOME_AGENT = "lab-a";

    @TempDir
    Path dir;

    @Test
    void startsTheBrokerTheTopicsAnAgentThatProbesNothingUntilToldAndACollectorThatStores() throws Exception {
        PlatformMain.Options options = PlatformMain.Options.parse(List.of("standalone", "--data-dir",
                dir.toString(), "--kafka-port", Integer.toString(freePort()), "--web-port",
                Integer.toString(freePort())));
        try (PlatformMain.Platform platform = PlatformMain.Platform.start(options, Map.of())) {
            String bootstrap = platform.kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Set<String> names = admin.listTopics().names().get();
                for (Topics.Spec spec : Topics.ALL) {
                    assertThat(names).contains(spec.fullName(Topics.DEFAULT_PREFIX));
                }
                ConfigResource definitions = new ConfigResource(ConfigResource.Type.TOPIC,
                        Topics.DEFAULT_PREFIX + Topics.MEASUREMENTS);
                ConfigEntry policy = admin.describeConfigs(List.of(definitions)).all().get().get(definitions)
                        .get("cleanup.policy");
                assertThat(policy.value()).isEqualTo("compact");
            }
            HeartbeatMessage beat = firstHeartbeat(bootstrap);
            assertThat(beat.agentId()).isEqualTo(platform.agent.identity().id());
            assertThat(beat.measurements()).isEmpty();
            assertThat(beat.counters().probesSent()).isZero();
            assertThat(Files.readString(dir.resolve("agent").resolve("agent-id")).strip()).isEqualTo(beat.agentId());

            // the collector consumes the embedded broker into its store under the data directory
            assertThat(platform.collector.healthy()).isTrue();
            Path storeDir = dir.resolve("collector");
            assertThat(storeDir.resolve(CollectorStore.DATABASE_NAME + CollectorStore.SQLITE_FILE_SUFFIX)).isRegularFile();
            assertThat(storeDir.resolve(CollectorStore.LOCK_FILE)).isRegularFile();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                assertThat(admin.listTopics().names().get())
                        .contains(Topics.DEFAULT_PREFIX + CollectorTopics.DEAD_LETTER);
            }
            publishOneTrace(bootstrap);
            CollectorStore store = platform.collector.store();
            long deadline = System.nanoTime() + WAIT.toNanos();
            // stored first, counted once the consuming thread takes the batch's outcome
            while (!(store.applied(SOME_AGENT, TRACE_ID) && platform.collector.stats().ingest().tracesApplied() == 1)
                    && System.nanoTime() < deadline) {
                assertThat(platform.collector.failure()).isEmpty();
                Thread.sleep(100);
            }
            assertThat(store.applied(SOME_AGENT, TRACE_ID)).as("the trace is stored within a minute").isTrue();
            assertThat(store.hops(SOME_AGENT, TRACE_ID)).extracting(HopRecord::addr)
                    .containsExactly("198.18.0.1", "198.18.9.9");
            assertThat(platform.collector.stats().ingest().tracesApplied()).isEqualTo(1);
            assertThat(platform.collector.healthy()).isTrue();

            // the web serves that store: health without a login; the generated admin logs in and sees the agent
            // and the route of the stored trace
            HttpClient http = HttpClient.newHttpClient();
            URI web = URI.create(platform.webUrl());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(web.resolve("/api/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"store\"");
            assertThat(http.send(HttpRequest.newBuilder(web.resolve("/api/v1/routes")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            Path passwordFile = dir.resolve("web").resolve("admin-password");
            assertThat(Files.getPosixFilePermissions(passwordFile)).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            String login = "{\"user\":\"admin\",\"password\":\"" + Files.readString(passwordFile).strip() + "\"}";
            HttpResponse<String> session = http.send(HttpRequest.newBuilder(web.resolve("/api/v1/login"))
                    .header("Content-Type", "application/json").header("X-Requested-With", "tracemesh")
                    .POST(HttpRequest.BodyPublishers.ofString(login)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
            String cookie = session.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
            String routes = "";
            deadline = System.nanoTime() + WAIT.toNanos();
            while (!routes.contains("198.18.9.9") && System.nanoTime() < deadline) {
                routes = http.send(HttpRequest.newBuilder(web.resolve("/api/v1/routes")).header("Cookie", cookie)
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                Thread.sleep(100);
            }
            assertThat(routes).contains("\"agent_id\":\"" + SOME_AGENT + "\"").contains("198.18.9.9");
            String agents = "";
            deadline = System.nanoTime() + WAIT.toNanos();
            while (!agents.contains(beat.agentId()) && System.nanoTime() < deadline) {
                agents = http.send(HttpRequest.newBuilder(web.resolve("/api/v1/agents")).header("Cookie", cookie)
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                Thread.sleep(100);
            }
            assertThat(agents).contains(beat.agentId());

            // the web signs definitions with the key pair in DIR/web and serves its public key
            Path publicKey = dir.resolve("web").resolve(DefinitionSigning.PUBLIC_KEY_FILE);
            assertThat(Files.getPosixFilePermissions(dir.resolve("web").resolve(DefinitionSigning.PRIVATE_KEY_FILE)))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            HttpResponse<String> served = http.send(HttpRequest.newBuilder(web.resolve(
                    "/api/v1/definitions/public-key")).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(Files.readString(publicKey));

            // a measurement made through the web is signed there and verified by the local agent, which schedules it
            String paused = """
                    {"schema":1,"id":"web-made","method":"icmp-paris","targets":["198.18.99.1"],"interval_s":600,
                     "paused":true,"agents":{"all":true}}""";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(web.resolve("/api/v1/measurements"))
                    .header("Cookie", cookie).header("Content-Type", "application/json")
                    .header("X-Requested-With", "tracemesh").POST(HttpRequest.BodyPublishers.ofString(paused))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            deadline = System.nanoTime() + WAIT.toNanos();
            while (!platform.agent.heartbeat().measurements().contains("web-made") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(platform.agent.heartbeat().measurements()).containsExactly("web-made");
            assertThat(platform.agent.heartbeat().counters().definitionsRefused()).isZero();
        }
        assertThat(PlatformMain.Options.parse(List.of("--no-collector")).noCollector).isTrue();
    }

    @Test
    void withoutTheWebTheLocalAgentStillTrustsTheKeyPairInTheDataDirectory() throws Exception {
        PlatformMain.Options options = PlatformMain.Options.parse(List.of("--data-dir", dir.toString(), "--no-web",
                "--no-collector", "--kafka-port", Integer.toString(freePort())));
        try (PlatformMain.Platform platform = PlatformMain.Platform.start(options, Map.of())) {
            Path key = dir.resolve("web").resolve(DefinitionSigning.PRIVATE_KEY_FILE);
            KeyPair pair = DefinitionSigning.readKeyPair(key);
            String definition = """
                    {"schema":1,"id":"%s","method":"icmp-paris","targets":["198.18.99.1"],"interval_s":600,
                     "paused":true,"agents":{"all":true}}""";
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    platform.kafka.bootstrapServers(), "acks", "all"), new StringSerializer(),
                    new ByteArraySerializer())) {
                byte[] unsigned = definition.formatted("platform-unsigned").getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Topics.DEFAULT_PREFIX + Topics.MEASUREMENTS, "platform-unsigned",
                        unsigned));
                byte[] signed = definition.formatted("platform-signed").getBytes(StandardCharsets.UTF_8);
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.DEFAULT_PREFIX + Topics.MEASUREMENTS,
                        "platform-signed", signed);
                DefinitionSigning.signedHeaders(pair, "platform-signed", signed).forEach(r.headers()::add);
                producer.send(r);
                producer.flush();
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!platform.agent.heartbeat().measurements().contains("platform-signed")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            HeartbeatMessage now = platform.agent.heartbeat();
            assertThat(now.measurements()).containsExactly("platform-signed");
            assertThat(now.counters().definitionsRefused()).as("the unsigned one").isEqualTo(1);
        }
    }

    @Test
    void badCommandLinesAndConfigsAreOneClearLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(PlatformMain.run(List.of("--kafka-port", "70000"), out, errStream)).isEqualTo(2);
        assertThat(PlatformMain.run(List.of("--frobnicate"), out, errStream)).isEqualTo(2);
        assertThat(PlatformMain.run(List.of("--agent-config", dir.resolve("missing.yaml").toString()), out,
                errStream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "tracemesh: --kafka-port must be 1..65535, got 70000",
                "tracemesh: unknown option '--frobnicate' (see --help)",
                "tracemesh: cannot read agent config " + dir.resolve("missing.yaml"));
    }

    @Test
    void aBadAgentConfigStopsBeforeAnythingStarts() throws Exception {
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "probing:\n  rate: -5\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PlatformMain.run(List.of("--data-dir", dir.toString(), "--agent-config", config.toString(),
                        "--kafka-port", Integer.toString(freePort())),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tracemesh: ").contains("probing.rate");
        assertThat(dir.resolve("kafka")).doesNotExist();
    }

    @Test
    void aBadCollectorSettingStopsBeforeAnythingStarts() throws Exception {
        PlatformMain.Options options = PlatformMain.Options.parse(List.of("--data-dir", dir.toString(), "--no-agent",
                "--kafka-port", Integer.toString(freePort())));
        assertThatThrownBy(() -> PlatformMain.Platform.start(options,
                Map.of("TRACEMESH_RETENTION_HOP_MAX_AGE", "forever")))
                .isInstanceOf(net.tracemesh.collector.config.ConfigException.class)
                .hasMessage("TRACEMESH_RETENTION_HOP_MAX_AGE: expected a duration such as 500ms, 30s, 10m, 1h30m "
                        + "or 7d, got 'forever'");
        assertThat(dir.resolve("kafka")).doesNotExist();
        assertThat(dir.resolve("collector")).doesNotExist();
    }

    /** What an agent publishes for an ICMP Paris trace of two hops: the hop records, then the completion. */
    private static void publishOneTrace(String bootstrap) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String method = MeasurementMethod.ICMP_PARIS.wireName();
        String src = "198.18.0.100";
        String dst = "198.18.9.9";
        HopRecord router = new HopRecord(1, "198.18.0.1", 1.5, IcmpType.TIME_EXCEEDED,
                TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT, 64, 0, null, null, null);
        HopRecord destination = new HopRecord(2, dst, 2.5, IcmpType.ECHO_REPLY, 0, 64, 0, null, null, null);
        List<HopMessage> hops = new ArrayList<>();
        for (HopRecord h : List.of(router, destination)) {
            hops.add(new HopMessage(HopMessage.TYPE, MessageJson.SCHEMA_VERSION,
                    HopMessage.recordId(TRACE_ID, h.ttl(), h.probe()), SOME_AGENT, "m1", start, TRACE_ID, method, src,
                    dst, null, null, start, h));
        }
        TraceCompletionMessage done = new TraceCompletionMessage(TraceCompletionMessage.TYPE,
                MessageJson.SCHEMA_VERSION, TraceCompletionMessage.recordId(TRACE_ID), SOME_AGENT, "m1", start,
                TRACE_ID, method, src, dst, null, null, start, start.plusSeconds(1), 1, 30, 1, 60,
                StopReason.COMPLETED, null, 2, 2, null, hops.size());
        String key = Topics.pathKey(SOME_AGENT, dst);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (HopMessage h : hops) {
                producer.send(new ProducerRecord<>(Topics.DEFAULT_PREFIX + Topics.HOPS, key, MessageJson.encode(h)));
            }
            producer.send(new ProducerRecord<>(Topics.DEFAULT_PREFIX + Topics.TRACES, key, MessageJson.encode(done)));
            producer.flush();
        }
    }

    private static HeartbeatMessage firstHeartbeat(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.DEFAULT_PREFIX + Topics.HEARTBEATS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(got::add);
            }
            assertThat(got).as("a heartbeat within a minute").isNotEmpty();
            return MessageJson.decode(got.get(0).value(), HeartbeatMessage.class);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
