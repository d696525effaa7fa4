package net.tracemesh.web.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.Closure;
import net.tracemesh.collector.assemble.TraceEnding;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.StopReason;
import net.tracemesh.web.agents.AgentDirectory;
import net.tracemesh.web.agents.ApiTestServer;
import net.tracemesh.web.agents.BearerTestAuthenticator;
import net.tracemesh.web.agents.Eventually;
import net.tracemesh.web.agents.Heartbeats;
import net.tracemesh.web.agents.SharedBroker;
import net.tracemesh.web.config.KafkaSettings;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.TimeExceededCode;
import net.tracemesh.wire.icmp.UnreachableCode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live events over real HTTP: a real H2 store, a real broker's heartbeats, a streaming SSE client. */
class LiveRoutesTest {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String AGENT = "fra1";
    private static final String DESTINATION = "198.18.9.9";

    @TempDir
    Path dir;

    private Vertx vertx;
    private KafkaSettings kafka;
    private CollectorStore store;
    private AgentDirectory directory;
    private LiveFeed feed;
    private ApiTestServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        kafka = SharedBroker.freshTopics("live");
        store = CollectorStore.openEmbedded(dir.resolve("store"));
        directory = new AgentDirectory(vertx, kafka, AgentDirectory.DEFAULT_OFFLINE_AFTER);
        directory.start();
        directory.ready().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        feed = new LiveFeed(vertx, store.readDataSource(), directory, POLL);
        server = new ApiTestServer(vertx, List.of(new LiveRoutes(feed)));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        server.close();
        feed.close();
        directory.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        store.close();
    }

    @Test
    void streamsTracesRouteChangesAndAgents() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.applyAll(List.of(trace("before", "198.18.0.1", t0.minusSeconds(60))));

        SseClient sse = connect();
        assertThat(sse.response().statusCode()).isEqualTo(200);
        assertThat(sse.response().headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/event-stream"));
        assertThat(sse.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
        JsonNode first = data(sse.next(LiveEvent.AGENTS, WAIT));
        assertThat(first.get("online").asInt()).isZero();
        assertThat(first.get("total").asInt()).isZero();

        // The route of the trace before the client came stays as it is: no change, and no traces event for it.
        store.applyAll(List.of(trace("same", "198.18.0.1", t0)));
        JsonNode traces = data(sse.next(LiveEvent.TRACES, WAIT));
        assertThat(traces.get("merged").asLong()).isEqualTo(1);
        assertThat(Instant.parse(traces.get("latest").asText())).isAfterOrEqualTo(t0.minusSeconds(1));

        Instant changedAt = t0.plusSeconds(60);
        store.applyAll(List.of(trace("changed", "198.18.0.2", changedAt)));
        JsonNode change = data(sse.next(LiveEvent.ROUTE_CHANGE, WAIT));
        assertThat(change.get("agent_id").asText()).isEqualTo(AGENT);
        assertThat(change.get("destination").asText()).isEqualTo(DESTINATION);
        assertThat(change.get("method").asText()).isEqualTo("udp-paris");
        assertThat(Instant.parse(change.get("time").asText())).isEqualTo(changedAt);
        assertThat(change.get("divergence_ttl").asInt()).isEqualTo(1);

        try (KafkaProducer<String, byte[]> producer = SharedBroker.producer()) {
            Heartbeats.publish(producer, kafka, Heartbeats.of(AGENT, "Frankfurt", Instant.now()));
        }
        JsonNode agents = data(sse.next(LiveEvent.AGENTS, WAIT));
        assertThat(agents.get("online").asInt()).isEqualTo(1);
        assertThat(agents.get("total").asInt()).isEqualTo(1);
    }

    @Test
    void pollsOnlyWhileSomeoneListensAndForgetsClientsThatLeave() throws Exception {
        Thread.sleep(POLL.toMillis() * 3);
        assertThat(feed.polls()).as("no client, no polls").isZero();

        SseClient one = connect();
        Socket two = rawClient();
        try {
            one.next(LiveEvent.AGENTS, WAIT);
            Eventually.within(WAIT, () -> assertThat(feed.subscriberCount()).isEqualTo(2));
            long before = feed.polls();
            Thread.sleep(POLL.toMillis() * 5);
            long during = feed.polls() - before;
            assertThat(during).as("one poll per interval for both clients").isBetween(2L, 7L);
        } finally {
            two.close();
        }
        Eventually.within(WAIT, () -> assertThat(feed.subscriberCount()).as("the raw client closed").isOne());

        one.close();
        Eventually.within(WAIT, () -> assertThat(feed.subscriberCount()).as("the streaming client closed").isZero());
    }

    @Test
    void noPollsOnceTheLastClientLeft() throws Exception {
        Socket client = rawClient();
        try {
            Eventually.within(WAIT, () -> assertThat(feed.polls()).isPositive());
        } finally {
            client.close();
        }
        Eventually.within(WAIT, () -> assertThat(feed.subscriberCount()).isZero());
        long after = feed.polls();
        Thread.sleep(POLL.toMillis() * 4);
        assertThat(feed.polls()).isEqualTo(after);
    }

    /** A client on a plain socket that reads the stream's first bytes; closing it closes the connection. */
    private Socket rawClient() throws Exception {
        Socket s = new Socket("127.0.0.1", server.uri("/").getPort());
        s.setSoTimeout((int) WAIT.toMillis());
        OutputStream out = s.getOutputStream();
        out.write(("GET " + LiveRoutes.EVENTS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + BearerTestAuthenticator.READER + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] head = new byte[12];
        int n = s.getInputStream().readNBytes(head, 0, head.length);
        assertThat(new String(head, 0, n, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return s;
    }

    @Test
    void needsCredentials() throws Exception {
        assertThat(server.get(LiveRoutes.EVENTS, null).statusCode()).isEqualTo(401);
    }

    private SseClient connect() throws Exception {
        HttpRequest request = server.request(LiveRoutes.EVENTS, BearerTestAuthenticator.READER)
                .timeout(Duration.ofMinutes(5)).header("Accept", "text/event-stream").GET().build();
        SseClient c = new SseClient(server.http(), request);
        clients.add(c);
        return c;
    }

    private static JsonNode data(SseClient.Event e) throws Exception {
        return ApiJson.mapper().readTree(e.data());
    }

    /** A complete udp-paris trace from fra1: {@code firstHop} at TTL 1, the destination at TTL 2. */
    private static AssembledTrace trace(String id, String firstHop, Instant start) {
        List<HopRecord> hops = List.of(
                new HopRecord(1, firstHop, 1.0, IcmpType.TIME_EXCEEDED, TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT,
                        64, 0, null, null, null),
                new HopRecord(2, DESTINATION, 2.0, IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.PORT, 64, 0,
                        null, null, null));
        TraceEnding ending = new TraceEnding(start.plusSeconds(1), 1, 30, 1, 60, StopReason.COMPLETED, null, 2, 2,
                null, hops.size());
        return new AssembledTrace(AGENT, "m1", start, id, MeasurementMethod.UDP_PARIS, "198.18.0.100", DESTINATION,
                40000, 33434, start, ending, hops, Closure.COMPLETE, Instant.now());
    }
}
