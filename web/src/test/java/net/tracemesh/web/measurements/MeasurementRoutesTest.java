package net.tracemesh.web.measurements;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import net.tracemesh.measurement.DefinitionSignature;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.DefinitionVerifier;
import net.tracemesh.measurement.MeasurementCodec;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.message.Topics;
import net.tracemesh.web.agents.AgentDirectory;
import net.tracemesh.web.agents.ApiTestServer;
import net.tracemesh.web.agents.BearerTestAuthenticator;
import net.tracemesh.web.agents.Heartbeats;
import net.tracemesh.web.agents.SharedBroker;
import net.tracemesh.web.config.KafkaSettings;
import net.tracemesh.web.http.ApiJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The measurements API over real HTTP, publishing signed records to and reading back from a real compacted topic;
 * records not signed by the web's key are not shown.
 */
class MeasurementRoutesTest {
    private static final String ADMIN = BearerTestAuthenticator.ADMIN;
    private static final String READER = BearerTestAuthenticator.READER;
    private static final String BASE = MeasurementRoutes.MEASUREMENTS;
    private static final KeyPair KEY = DefinitionSigning.generateKeyPair();
    private static final KeyPair OTHER = DefinitionSigning.generateKeyPair();

    private static Vertx vertx;
    private static KafkaSettings kafka;
    private static AgentDirectory directory;
    private static MeasurementCatalog catalog;
    private static ApiTestServer server;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        kafka = SharedBroker.freshTopics("measurements");
        try (KafkaProducer<String, byte[]> producer = SharedBroker.producer()) {
            Heartbeats.publish(producer, kafka, Heartbeats.of("fra1", "Frankfurt", Instant.now()));
        }
        directory = new AgentDirectory(vertx, kafka, AgentDirectory.DEFAULT_OFFLINE_AFTER);
        directory.start();
        catalog = new MeasurementCatalog(vertx, kafka, KEY);
        catalog.start();
        await(directory.ready());
        await(catalog.ready());
        server = new ApiTestServer(vertx, List.of(new MeasurementRoutes(catalog, directory)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        await(catalog.close());
        await(directory.close());
        await(vertx.close());
    }

    @Test
    void createIsOnTheTopicAndInGetAndASecondCreateConflicts() throws Exception {
        HttpResponse<String> created = server.post(BASE, ADMIN, definition("web-create", "\"ids\": [\"fra1\"]", 60));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue(BASE + "/web-create");
        JsonNode body = json(created);
        assertThat(body.get("jitter_s").asInt()).isEqualTo(6);
        assertThat(body.get("trace").get("max_ttl").asInt()).isEqualTo(30);

        HttpResponse<String> got = server.get(BASE + "/web-create", READER);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(json(got)).isEqualTo(body);
        assertThat(ids(json(server.get(BASE, READER)))).contains("web-create");

        List<ConsumerRecord<String, byte[]>> onTopic = topicRecords("web-create");
        assertThat(onTopic).hasSize(1);
        MeasurementDefinition d = MeasurementCodec.decode(onTopic.get(0).value());
        assertThat(d.id()).isEqualTo("web-create");
        assertThat(d.agents().ids()).containsExactly("fra1");
        assertThat(d.targets()).containsExactly("198.18.0.1", "198.18.4.0/24");
        DefinitionSignature signature = signature(onTopic.get(0));
        assertThat(signature.keyId()).isEqualTo(DefinitionSigning.keyId(KEY.getPublic()));
        assertThat(DefinitionSigning.verify(KEY.getPublic(), "web-create", onTopic.get(0).value(), signature))
                .isTrue();

        HttpResponse<String> again = server.post(BASE, ADMIN, definition("web-create", "\"all\": true", 60));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("error").asText()).isEqualTo("conflict");
    }

    @Test
    void replacePauseResumeAndDelete() throws Exception {
        assertThat(server.post(BASE, ADMIN, definition("web-life", "\"labels\": [\"Frankfurt\"]", 60))
                .statusCode()).isEqualTo(201);

        HttpResponse<String> replaced = server.put(BASE + "/web-life", ADMIN,
                definition("web-life", "\"all\": true", 120));
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(json(server.get(BASE + "/web-life", READER)).get("interval_s").asInt()).isEqualTo(120);

        HttpResponse<String> otherId = server.put(BASE + "/web-life", ADMIN, definition("web-other", "\"all\": true",
                120));
        assertThat(otherId.statusCode()).isEqualTo(400);
        assertThat(json(otherId).get("field").asText()).isEqualTo("id");
        assertThat(server.put(BASE + "/web-nothing", ADMIN, definition("web-nothing", "\"all\": true", 60))
                .statusCode()).isEqualTo(404);

        HttpResponse<String> paused = server.post(BASE + "/web-life/pause", ADMIN, null);
        assertThat(paused.statusCode()).isEqualTo(200);
        assertThat(json(paused).get("paused").asBoolean()).isTrue();
        assertThat(json(server.get(BASE + "/web-life", READER)).get("paused").asBoolean()).isTrue();
        HttpResponse<String> resumed = server.post(BASE + "/web-life/resume", ADMIN, null);
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(json(resumed).get("paused").asBoolean()).isFalse();
        assertThat(json(resumed).get("interval_s").asInt()).isEqualTo(120);

        HttpResponse<String> deleted = server.delete(BASE + "/web-life", ADMIN);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(server.get(BASE + "/web-life", READER).statusCode()).isEqualTo(404);
        assertThat(server.delete(BASE + "/web-life", ADMIN).statusCode()).isEqualTo(404);
        assertThat(server.post(BASE + "/web-life/pause", ADMIN, null).statusCode()).isEqualTo(404);

        List<ConsumerRecord<String, byte[]>> onTopic = topicRecords("web-life");
        assertThat(onTopic).hasSizeGreaterThanOrEqualTo(5);
        assertThat(onTopic.get(onTopic.size() - 1).value()).as("a tombstone").isNull();
        DefinitionVerifier agent = new DefinitionVerifier(KEY.getPublic(), false);
        for (ConsumerRecord<String, byte[]> r : onTopic) {
            assertThat(agent.check(r.key(), r.value(), header(r)).outcome()).as("offset %d", r.offset())
                    .isEqualTo(DefinitionVerifier.Outcome.VERIFIED);
        }
    }

    @Test
    void recordsNotSignedByTheWebKeyAreShownNowhere() throws Exception {
        long before = catalog.unverifiedRecords();
        String unsigned = definition("web-unsigned", "\"all\": true", 60);
        String foreign = definition("web-foreign", "\"all\": true", 60);
        try (KafkaProducer<String, byte[]> producer = SharedBroker.producer()) {
            write(producer, "web-unsigned", unsigned, Map.of());
            write(producer, "web-foreign", foreign, DefinitionSigning.signedHeaders(OTHER, "web-foreign",
                    foreign.getBytes(StandardCharsets.UTF_8)));
        }
        // A change of the web's own is read back after the records written before it.
        assertThat(server.post(BASE, ADMIN, definition("web-after", "\"all\": true", 60)).statusCode())
                .isEqualTo(201);
        assertThat(server.get(BASE + "/web-unsigned", READER).statusCode()).isEqualTo(404);
        assertThat(server.get(BASE + "/web-foreign", READER).statusCode()).isEqualTo(404);
        assertThat(ids(json(server.get(BASE, READER)))).contains("web-after")
                .doesNotContain("web-unsigned", "web-foreign");
        assertThat(catalog.unverifiedRecords()).isEqualTo(before + 2);

        // The web can define the id itself: the forged record does not count as defined.
        assertThat(server.post(BASE, ADMIN, unsigned).statusCode()).isEqualTo(201);
        assertThat(server.get(BASE + "/web-unsigned", READER).statusCode()).isEqualTo(200);
    }

    @Test
    void anOldSignedRecordWrittenAgainDoesNotUndoADeletion() throws Exception {
        assertThat(server.post(BASE, ADMIN, definition("web-replay", "\"all\": true", 60)).statusCode())
                .isEqualTo(201);
        ConsumerRecord<String, byte[]> original = topicRecords("web-replay").get(0);
        assertThat(server.delete(BASE + "/web-replay", ADMIN).statusCode()).isEqualTo(204);
        long before = catalog.unverifiedRecords();
        try (KafkaProducer<String, byte[]> producer = SharedBroker.producer()) {
            ProducerRecord<String, byte[]> replay = new ProducerRecord<>(kafka.topic(Topics.MEASUREMENTS),
                    original.key(), original.value());
            original.headers().forEach(h -> replay.headers().add(h));
            producer.send(replay).get(30, TimeUnit.SECONDS);
        }
        assertThat(server.post(BASE, ADMIN, definition("web-replay-after", "\"all\": true", 60)).statusCode())
                .isEqualTo(201);
        assertThat(server.get(BASE + "/web-replay", READER).statusCode()).isEqualTo(404);
        assertThat(catalog.unverifiedRecords()).isEqualTo(before + 1);
    }

    @Test
    void thePublicKeyIsServedToEveryoneSignedIn() throws Exception {
        HttpResponse<String> r = server.get(MeasurementRoutes.PUBLIC_KEY, READER);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        assertThat(r.headers().firstValue(MeasurementRoutes.KEY_ID_HEADER))
                .hasValue(DefinitionSigning.keyId(KEY.getPublic()));
        assertThat(r.body()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(DefinitionSigning.parsePublicKey(r.body(), "response").getEncoded())
                .isEqualTo(KEY.getPublic().getEncoded());
        assertThat(server.get(MeasurementRoutes.PUBLIC_KEY, ADMIN).statusCode()).isEqualTo(200);
        assertThat(server.get(MeasurementRoutes.PUBLIC_KEY, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aRestartedCatalogReadsTheTopicBack() throws Exception {
        assertThat(server.post(BASE, ADMIN, definition("web-keep", "\"all\": true", 300)).statusCode())
                .isEqualTo(201);
        assertThat(server.post(BASE, ADMIN, definition("web-gone", "\"all\": true", 300)).statusCode())
                .isEqualTo(201);
        assertThat(server.delete(BASE + "/web-gone", ADMIN).statusCode()).isEqualTo(204);

        MeasurementCatalog second = new MeasurementCatalog(vertx, kafka, KEY);
        try {
            second.start();
            await(second.ready());
            assertThat(second.definition("web-keep")).isPresent();
            assertThat(second.definition("web-keep").get().interval()).isEqualTo(Duration.ofSeconds(300));
            assertThat(second.definition("web-gone")).isEmpty();
        } finally {
            await(second.close());
        }
    }

    @Test
    void invalidDefinitionsAre400sNamingTheField() throws Exception {
        assertField(server.post(BASE, ADMIN, definition("web-bad", "\"all\": true", 60)
                .replace("198.18.0.1", "198.18.0.300")), "targets[0]");
        assertField(server.post(BASE, ADMIN, definition("web-bad", "\"all\": true", 0)), "interval_s");
        assertField(server.post(BASE, ADMIN, definition("web-bad", "\"ids\": [\"fra1\", \"ghost\"]", 60)),
                "agents");
        assertField(server.post(BASE, ADMIN, definition("web-bad", "\"all\": true", 60)
                .replace("\"paused\"", "\"pawsed\"")), "pawsed");
        assertField(server.post(BASE, ADMIN, "{\"schema\": 1"), null);
        assertThat(server.get(BASE + "/web-bad", READER).statusCode()).isEqualTo(404);
        assertThat(topicRecords("web-bad")).isEmpty();
    }

    @Test
    void readersReadButDoNotChange() throws Exception {
        HttpResponse<String> r = server.post(BASE, READER, definition("web-reader", "\"all\": true", 60));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(server.delete(BASE + "/web-reader", READER).statusCode()).isEqualTo(403);
        assertThat(server.get(BASE, READER).statusCode()).isEqualTo(200);
        assertThat(server.get(BASE, null).statusCode()).isEqualTo(401);
    }

    private static void assertField(HttpResponse<String> r, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = json(r);
        assertThat(error.get("error").asText()).isEqualTo("bad_request");
        if (field == null) {
            assertThat(error.has("field")).as(r.body()).isFalse();
        } else {
            assertThat(error.get("field").asText()).as(r.body()).isEqualTo(field);
            assertThat(error.get("message").asText()).startsWith(field + ": ");
        }
    }

    private static String definition(String id, String agents, int intervalSeconds) {
        return """
                {"schema": 1, "id": "%s", "description": "from the web test", "method": "udp-paris",
                 "targets": ["198.18.0.1", "198.18.4.0/24"], "interval_s": %d, "paused": false,
                 "agents": {%s}}
                """.formatted(id, intervalSeconds, agents);
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("measurements").forEach(m -> out.add(m.get("id").asText()));
        return out;
    }

    /** Every record with this key on the measurements topic, read with a plain consumer. */
    private static List<ConsumerRecord<String, byte[]>> topicRecords(String key) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(kafka.topic(Topics.MEASUREMENTS), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        out.add(r);
                    }
                }
            }
            return out;
        }
    }

    private static void write(KafkaProducer<String, byte[]> producer, String key, String json,
                              Map<String, byte[]> headers) throws Exception {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(kafka.topic(Topics.MEASUREMENTS), key,
                json.getBytes(StandardCharsets.UTF_8));
        headers.forEach(r.headers()::add);
        producer.send(r).get(30, TimeUnit.SECONDS);
    }

    private static Function<String, byte[]> header(ConsumerRecord<String, byte[]> r) {
        return name -> {
            Header h = r.headers().lastHeader(name);
            return h == null ? null : h.value();
        };
    }

    private static DefinitionSignature signature(ConsumerRecord<String, byte[]> r) {
        return DefinitionSignature.fromHeaders(header(r)).orElseThrow();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return ApiJson.mapper().readTree(r.body());
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
