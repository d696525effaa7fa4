package net.tracemesh.web.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.tracemesh.web.config.KafkaSettings;
import net.tracemesh.web.http.ApiJson;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agents API over real HTTP, fed by heartbeats published to a real broker. */
class AgentRoutesTest {
    private static final Duration OFFLINE_AFTER = AgentDirectory.DEFAULT_OFFLINE_AFTER;
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Vertx vertx;
    private static KafkaSettings kafka;
    private static KafkaProducer<String, byte[]> producer;
    private static AgentDirectory directory;
    private static ApiTestServer server;
    private static long badAtReady;
    private static final SettableClock CLOCK = new SettableClock(NOW);

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        kafka = SharedBroker.freshTopics("agents");
        producer = SharedBroker.producer();
        // On the topic before the directory starts: read during the catch-up, ready() after them.
        Heartbeats.publish(producer, kafka, Heartbeats.of("fra1", "Frankfurt", NOW.minusSeconds(30)),
                Heartbeats.of("fra1", "Frankfurt", NOW));
        Heartbeats.publishRaw(producer, kafka, "junk", "{not json".getBytes(StandardCharsets.UTF_8));
        Heartbeats.publishRaw(producer, kafka, "old", "{\"type\":\"heartbeat\",\"schema\":1}"
                .getBytes(StandardCharsets.UTF_8));
        directory = new AgentDirectory(vertx, kafka, OFFLINE_AFTER, CLOCK);
        directory.start();
        directory.ready().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        badAtReady = directory.badMessages();
        server = new ApiTestServer(vertx, List.of(new AgentRoutes(directory)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        directory.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        producer.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @BeforeEach
    void resetClock() {
        CLOCK.set(NOW);
    }

    @Test
    void readyMeansTheHeartbeatsOnTheTopicAtStartWereRead() {
        assertThat(directory.isReady()).isTrue();
        assertThat(directory.knows("fra1")).isTrue();
        assertThat(badAtReady).isEqualTo(2);
    }

    @Test
    void listsAgentsWithTheirLatestHeartbeat() throws Exception {
        HttpResponse<String> r = server.get(AgentRoutes.AGENTS, BearerTestAuthenticator.READER);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode fra1 = agentNamed(json(r).get("agents"), "fra1");
        assertThat(fra1.get("site").asText()).isEqualTo("Frankfurt");
        assertThat(fra1.get("version").asText()).isEqualTo("0.1.0");
        assertThat(fra1.get("online").asBoolean()).isTrue();
        assertThat(Instant.parse(fra1.get("last_heartbeat").asText())).isEqualTo(NOW);
        assertThat(fra1.get("started").asText()).isEqualTo("2026-11-23T09:00:00Z");
        assertThat(fra1.get("addresses").get(0).asText()).isEqualTo("198.18.0.100");
        assertThat(fra1.get("methods")).hasSize(2);
        assertThat(fra1.get("raw_capture").asBoolean()).isTrue();
        assertThat(fra1.has("problem")).isFalse();
        assertThat(fra1.get("probe_rate").asDouble()).isEqualTo(100.0);
        assertThat(fra1.get("measurements").get(0).asText()).isEqualTo("m1");
        assertThat(fra1.get("counters").get("probes_sent").asLong()).isEqualTo(1000);
        assertThat(fra1.get("counters").get("spool_bytes").asLong()).isEqualTo(4096);
    }

    @Test
    void oneAgentByIdAnd404And400() throws Exception {
        HttpResponse<String> one = server.get(AgentRoutes.AGENTS + "/fra1", BearerTestAuthenticator.READER);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).get("agent_id").asText()).isEqualTo("fra1");

        HttpResponse<String> missing = server.get(AgentRoutes.AGENTS + "/nowhere", BearerTestAuthenticator.READER);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("not_found");

        HttpResponse<String> bad = server.get(AgentRoutes.AGENTS + "/-bad", BearerTestAuthenticator.READER);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("field").asText()).isEqualTo("id");
    }

    @Test
    void needsCredentials() throws Exception {
        assertThat(server.get(AgentRoutes.AGENTS, null).statusCode()).isEqualTo(401);
    }

    @Test
    void agentGoesOnlineWithAHeartbeatAndOfflineWhenTheyStop() throws Exception {
        Heartbeats.publish(producer, kafka, Heartbeats.of("ams1", "Amsterdam", NOW.minusSeconds(600)));
        Eventually.within(WAIT, () -> {
            HttpResponse<String> r = server.get(AgentRoutes.AGENTS + "/ams1", BearerTestAuthenticator.READER);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("online").asBoolean()).isFalse();
        });

        CLOCK.set(NOW.plusSeconds(1000));
        Heartbeats.publish(producer, kafka, Heartbeats.of("ams1", "Amsterdam", NOW.plusSeconds(1000)));
        Eventually.within(WAIT, () -> assertThat(json(server.get(AgentRoutes.AGENTS + "/ams1",
                BearerTestAuthenticator.READER)).get("online").asBoolean()).isTrue());

        // An older heartbeat arriving late does not replace the latest one.
        Heartbeats.publish(producer, kafka, Heartbeats.of("ams1", "Amsterdam-old", NOW.plusSeconds(900)),
                Heartbeats.of("marker", "Marker", NOW));
        Eventually.within(WAIT, () -> assertThat(directory.knows("marker")).isTrue());
        assertThat(directory.agent("ams1").orElseThrow().heartbeat().site()).isEqualTo("Amsterdam");

        assertThat(json(server.get(AgentRoutes.AGENTS + "/ams1", BearerTestAuthenticator.READER)).get("online")
                .asBoolean()).isTrue();
        CLOCK.set(NOW.plusSeconds(1000).plus(OFFLINE_AFTER));
        assertThat(json(server.get(AgentRoutes.AGENTS + "/ams1", BearerTestAuthenticator.READER)).get("online")
                .asBoolean()).as("exactly offline-after old").isTrue();
        CLOCK.set(NOW.plusSeconds(1001).plus(OFFLINE_AFTER));
        assertThat(json(server.get(AgentRoutes.AGENTS + "/ams1", BearerTestAuthenticator.READER)).get("online")
                .asBoolean()).isFalse();
        assertThat(directory.onlineCount()).isZero();
    }

    @Test
    void badHeartbeatsAreCountedAndSkipped() throws Exception {
        long before = directory.badMessages();
        Heartbeats.publishRaw(producer, kafka, "lhr1", "[1, 2]".getBytes(StandardCharsets.UTF_8));
        Heartbeats.publish(producer, kafka, Heartbeats.of("lhr1", "London", NOW));
        Eventually.within(WAIT, () -> assertThat(directory.knows("lhr1")).isTrue());
        assertThat(directory.badMessages()).isEqualTo(before + 1);
    }

    private static JsonNode agentNamed(JsonNode agents, String id) {
        for (JsonNode a : agents) {
            if (a.get("agent_id").asText().equals(id)) {
                return a;
            }
        }
        throw new AssertionError("no agent " + id + " in " + agents);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return ApiJson.mapper().readTree(r.body());
    }
}
