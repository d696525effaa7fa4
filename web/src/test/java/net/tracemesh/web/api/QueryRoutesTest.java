package net.tracemesh.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.xml.parsers.DocumentBuilderFactory;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.http.WebServer;
import net.tracemesh.web.http.WebServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The query API over HTTP: a real web server on loopback, over an embedded store holding two scenarios.
 *
 * <p>A route change: fra1 traces {@value #DST} at minutes 0 and 5 through A, B (minute 5 silent at TTL 2), then at
 * minutes 10 and 15 through A, D.
 *
 * <p>Three agents converging: at minutes 30 to 32, fra1, ams1 and lon1 trace {@value #DST2} through their own first
 * hops, then all through C1, C2 to the destination.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryRoutesTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String A = "198.18.0.1";
    private static final String B = "198.18.0.2";
    private static final String D = "198.18.0.4";
    private static final String DST = "198.18.9.9";
    private static final String R1 = "198.18.1.1";
    private static final String R2 = "198.18.2.1";
    private static final String R3 = "198.18.2.2";
    private static final String R4 = "198.18.4.1";
    private static final String C1 = "198.18.5.1";
    private static final String C2 = "198.18.5.2";
    private static final String DST2 = "198.18.20.10";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private CollectorStore store;
    private Vertx vertx;
    private WebServer server;
    private HttpClient http;
    private String base;

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @BeforeAll
    void start() throws Exception {
        store = CollectorStore.openEmbedded(dir.resolve("store"));
        store.applyAll(List.of(
                TraceFixture.trace("fra1", DST, "f-1", at(0)).hop(A).hop(B).destination().build(),
                TraceFixture.trace("fra1", DST, "f-2", at(5)).hop(A).silent().destination().build(),
                TraceFixture.trace("fra1", DST, "f-3", at(10)).hop(A).hop(D).destination().build(),
                TraceFixture.trace("fra1", DST, "f-4", at(15)).hop(A).hop(D).destination().build(),
                TraceFixture.trace("fra1", DST2, "f-5", at(30)).hop(R1).hop(C1).hop(C2).destination().build(),
                TraceFixture.trace("ams1", DST2, "a-1", at(31)).hop(R2, 2).hop(R3, 3).hop(C1, 12).hop(C2, 22)
                        .destination(32).build(),
                TraceFixture.trace("lon1", DST2, "l-1", at(32)).hop(R4, 1).hop(C1, 15).hop(C2, 25).destination(35)
                        .build()));
        vertx = Vertx.vertx();
        TopologyQueries queries = new TopologyQueries(store.readDataSource());
        server = new WebServer(vertx, WebServerSettings.loopback(0), new ReaderTokenAuthenticator(),
                List.of(new QueryRoutes(queries, new TopologyCache(queries, ApiJson.mapper(),
                        TopologyCache.Settings.DEFAULT))));
        int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + port;
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (store != null) {
            store.close();
        }
    }

    // ---- HTTP

    /** A path with its query: {@code url("/api/v1/rtt", "agent", "fra1", ...)}, values URL-encoded. */
    private static String url(String path, String... params) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < params.length; i += 2) {
            pairs.add(params[i] + "=" + URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        return pairs.isEmpty() ? path : path + "?" + String.join("&", pairs);
    }

    private HttpResponse<String> get(String pathAndQuery, boolean authenticated) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
        if (authenticated) {
            b.header("Authorization", ReaderTokenAuthenticator.HEADER);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery, true);
        assertThat(r.statusCode()).as(pathAndQuery + " -> " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    /** Asserts a 400 naming {@code field}. */
    private void badRequest(String field, String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery, true);
        assertThat(r.statusCode()).as(pathAndQuery + " -> " + r.body()).isEqualTo(400);
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.path("error").asText()).isEqualTo("bad_request");
        assertThat(e.path("field").asText()).as(r.body()).isEqualTo(field);
    }

    private void notFound(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery, true);
        assertThat(r.statusCode()).as(pathAndQuery + " -> " + r.body()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("not_found");
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        return StreamSupport.stream(array.spliterator(), false).filter(n -> n.path(field).asText().equals(value))
                .findFirst().orElseThrow(() -> new AssertionError("no " + field + "=" + value + " in " + array));
    }

    // ---- routes

    @Test
    void everyOperationNeedsCredentials() throws Exception {
        for (String path : List.of(QueryRoutes.ROUTES, QueryRoutes.TOPOLOGY, QueryRoutes.TOPOLOGY_EXPORT,
                url(QueryRoutes.ROUTE_NOW, "agent", "fra1", "destination", DST))) {
            assertThat(get(path, false).statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void currentRoutesAreListedWithTheirHopCounts() throws Exception {
        JsonNode all = ok(QueryRoutes.ROUTES);
        assertThat(all.path("truncated").asBoolean()).isFalse();
        JsonNode routes = all.path("routes");
        assertThat(texts(routes, "agent_id")).containsExactly("ams1", "fra1", "fra1", "lon1");
        JsonNode fra1 = routes.get(2);
        assertThat(fra1.path("destination").asText()).isEqualTo(DST);
        assertThat(fra1.path("method").asText()).isEqualTo("udp-paris");
        assertThat(fra1.path("first_seen").asText()).isEqualTo(at(10).toString());
        assertThat(fra1.path("last_seen").asText()).isEqualTo(at(15).toString());
        assertThat(fra1.path("observations").asLong()).isEqualTo(2);
        assertThat(fra1.path("hop_count").asInt()).isEqualTo(3);
        assertThat(routes.get(0).path("hop_count").asInt()).isEqualTo(5);

        JsonNode two = ok(url(QueryRoutes.ROUTES, "limit", "2"));
        assertThat(two.path("truncated").asBoolean()).isTrue();
        assertThat(two.path("routes")).hasSize(2);
        assertThat(texts(ok(url(QueryRoutes.ROUTES, "agent", "fra1")).path("routes"), "destination"))
                .containsExactly(DST2, DST);
        assertThat(ok(url(QueryRoutes.ROUTES, "destination", DST2, "method", "udp-paris")).path("routes")).hasSize(3);
        assertThat(ok(url(QueryRoutes.ROUTES, "method", "tcp")).path("routes")).isEmpty();
    }

    @Test
    void theCurrentRouteAndTheRouteAtATime() throws Exception {
        JsonNode now = ok(url(QueryRoutes.ROUTE_NOW, "agent", "fra1", "destination", DST));
        assertThat(now.path("agent_id").asText()).isEqualTo("fra1");
        assertThat(now.path("period").asInt()).isEqualTo(2);
        assertThat(now.has("replaced_at")).isTrue();
        assertThat(now.path("replaced_at").isNull()).isTrue();
        assertThat(now.path("stop_reason").asText()).isEqualTo("completed");
        assertThat(now.path("stop_icmp_code").isNull()).isTrue();
        assertThat(now.path("hops")).hasSize(3);
        assertThat(now.path("hops").get(1).path("ttl").asInt()).isEqualTo(2);
        assertThat(texts(now.path("hops").get(1).path("addresses"))).containsExactly(D);
        assertThat(now.path("hops").get(1).path("silent").asBoolean()).isFalse();

        JsonNode then = ok(url(QueryRoutes.ROUTE_AT, "agent", "fra1", "destination", DST, "method", "udp-paris",
                "time", at(3).toString()));
        assertThat(then.path("period").asInt()).isEqualTo(1);
        assertThat(then.path("replaced_at").asText()).isEqualTo(at(10).toString());
        assertThat(then.path("observations").asLong()).isEqualTo(2);
        assertThat(texts(then.path("hops").get(1).path("addresses"))).containsExactly(B);
    }

    @Test
    void absentRoutesAre404() throws Exception {
        notFound(url(QueryRoutes.ROUTE_NOW, "agent", "nobody", "destination", DST));
        notFound(url(QueryRoutes.ROUTE_NOW, "agent", "fra1", "destination", DST, "method", "icmp-paris"));
        notFound(url(QueryRoutes.ROUTE_AT, "agent", "fra1", "destination", DST, "time", at(-1).toString()));
        notFound("/api/v1/routes/nowhere");
    }

    @Test
    void aHistoryHoldsThePeriodsAndTheChangeWithItsDivergence() throws Exception {
        JsonNode h = ok(url(QueryRoutes.ROUTE_HISTORY, "agent", "fra1", "destination", DST, "from", at(3).toString(),
                "to", at(20).toString()));
        assertThat(h.path("from").asText()).isEqualTo(at(3).toString());
        JsonNode periods = h.path("periods");
        assertThat(periods).hasSize(2);
        assertThat(periods.get(0).path("start").asText()).isEqualTo(at(3).toString());
        assertThat(periods.get(0).path("end").asText()).isEqualTo(at(10).toString());
        assertThat(periods.get(0).path("route").path("period").asInt()).isEqualTo(1);
        assertThat(periods.get(1).path("route").path("period").asInt()).isEqualTo(2);
        assertThat(periods.get(1).path("end").asText()).isEqualTo(at(20).toString());

        JsonNode changes = h.path("changes");
        assertThat(changes).hasSize(1);
        JsonNode c = changes.get(0);
        assertThat(c.path("time").asText()).isEqualTo(at(10).toString());
        assertThat(c.path("old_first_seen").asText()).isEqualTo(at(0).toString());
        assertThat(c.path("old_last_seen").asText()).isEqualTo(at(5).toString());
        assertThat(texts(c.path("old_route").get(1).path("addresses"))).containsExactly(B);
        assertThat(texts(c.path("new_route").get(1).path("addresses"))).containsExactly(D);
        JsonNode d = c.path("divergence");
        assertThat(d.path("ttl").asInt()).isEqualTo(2);
        assertThat(d.path("last_common_ttl").asInt()).isEqualTo(1);
        assertThat(texts(d.path("last_common_hop"))).containsExactly(A);

        JsonNode late = ok(url(QueryRoutes.ROUTE_HISTORY, "agent", "fra1", "destination", DST, "from",
                at(11).toString(), "to", at(20).toString()));
        assertThat(late.path("periods")).hasSize(1);
        assertThat(late.path("changes")).isEmpty();
    }

    // ---- comparison

    @Test
    void threeVantagePointsAreComparedWithSharedHopsAndConvergence() throws Exception {
        JsonNode v = ok(url(QueryRoutes.COMPARE, "destination", DST2, "agent", "fra1", "agent", "ams1", "agent",
                "lon1"));
        assertThat(v.path("destination").asText()).isEqualTo(DST2);
        assertThat(v.path("at").isNull()).isTrue();
        assertThat(texts(v.path("agents"))).containsExactly("fra1", "ams1", "lon1");
        assertThat(texts(v.path("routes"), "agent_id")).containsExactly("fra1", "ams1", "lon1");
        JsonNode ams1 = find(v.path("routes"), "agent_id", "ams1");
        assertThat(ams1.path("trace_id").asText()).isEqualTo("a-1");
        assertThat(ams1.path("rtt_known").asBoolean()).isTrue();
        assertThat(ams1.path("route").path("hops")).hasSize(5);

        JsonNode rows = v.path("rows");
        assertThat(texts(rows, "ttl")).containsExactly("1", "2", "3", "4", "5");
        JsonNode ttl1 = rows.get(0).path("by_agent");
        assertThat(texts(ttl1.path("fra1").path("addresses"))).containsExactly(R1);
        assertThat(ttl1.path("fra1").path("median_rtt_ms").asDouble()).isCloseTo(1.1, within(1e-9));
        assertThat(ttl1.path("ams1").path("median_rtt_ms").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(texts(ttl1.path("lon1").path("addresses"))).containsExactly(R4);
        assertThat(rows.get(4).path("by_agent").size()).isEqualTo(1);

        JsonNode shared = v.path("shared_hops");
        assertThat(texts(shared, "address")).containsExactly(C1, C2, DST2);
        JsonNode c1 = shared.get(0).path("by_agent");
        assertThat(c1.path("fra1").path("ttl").asInt()).isEqualTo(2);
        assertThat(c1.path("ams1").path("ttl").asInt()).isEqualTo(3);
        assertThat(c1.path("lon1").path("rtt_ms").asDouble()).isCloseTo(15.0, within(1e-9));

        JsonNode conv = v.path("convergence");
        assertThat(texts(conv.path("addresses"))).containsExactly(C1);
        assertThat(conv.path("ttl_by_agent").path("fra1").asInt()).isEqualTo(2);
        assertThat(conv.path("ttl_by_agent").path("ams1").asInt()).isEqualTo(3);
        assertThat(conv.path("ttl_by_agent").path("lon1").asInt()).isEqualTo(2);

        // an agent without a route is listed but has none; two routes that share nothing do not converge
        JsonNode past = ok(url(QueryRoutes.COMPARE, "destination", DST, "agent", "fra1", "agent", "nobody", "time",
                at(3).toString()));
        assertThat(past.path("at").asText()).isEqualTo(at(3).toString());
        assertThat(texts(past.path("routes"), "agent_id")).containsExactly("fra1");
        assertThat(past.path("routes").get(0).path("trace_id").asText()).isEqualTo("f-1");
        assertThat(past.path("convergence").isNull()).isTrue();
        assertThat(past.path("shared_hops")).isEmpty();
    }

    // ---- traces

    @Test
    void tracesThroughAnAddressAndThroughAPrefix() throws Exception {
        JsonNode throughD = ok(url(QueryRoutes.TRACES, "address", D, "from", at(0).toString(), "to",
                at(60).toString()));
        assertThat(throughD.path("truncated").asBoolean()).isFalse();
        JsonNode traces = throughD.path("traces");
        assertThat(texts(traces, "trace_id")).containsExactly("f-3", "f-4");
        JsonNode f3 = traces.get(0);
        assertThat(f3.path("agent_id").asText()).isEqualTo("fra1");
        assertThat(f3.path("measurement_id").asText()).isEqualTo(TraceFixture.MEASUREMENT);
        assertThat(f3.path("method").asText()).isEqualTo("udp-paris");
        assertThat(f3.path("destination").asText()).isEqualTo(DST);
        assertThat(f3.path("started").asText()).isEqualTo(at(10).toString());
        assertThat(f3.path("address").asText()).isEqualTo(D);
        assertThat(f3.path("ttl").asInt()).isEqualTo(2);

        JsonNode core = ok(url(QueryRoutes.TRACES, "prefix", "198.18.5.0/24", "from", at(0).toString(), "to",
                at(60).toString()));
        assertThat(texts(core.path("traces"), "agent_id")).containsExactly("fra1", "ams1", "lon1");
        assertThat(texts(core.path("traces"), "address")).containsOnly(C1);
        assertThat(texts(core.path("traces"), "ttl")).containsExactly("2", "3", "2");

        JsonNode cut = ok(url(QueryRoutes.TRACES, "prefix", "198.18.0.0/24", "from", at(0).toString(), "to",
                at(60).toString(), "limit", "2"));
        assertThat(cut.path("truncated").asBoolean()).isTrue();
        assertThat(texts(cut.path("traces"), "trace_id")).containsExactly("f-1", "f-2");
        // without a start, the window is the week before its end; without an end, it ends now
        assertThat(ok(url(QueryRoutes.TRACES, "address", D, "to", at(-1).toString())).path("traces")).isEmpty();
        assertThat(texts(ok(url(QueryRoutes.TRACES, "address", D, "to", at(11).plusSeconds(7 * 86_400).toString()))
                .path("traces"), "trace_id")).containsExactly("f-4");
        assertThat(texts(ok(url(QueryRoutes.TRACES, "address", D, "from", at(11).toString())).path("traces"),
                "trace_id")).containsExactly("f-4");
    }

    // ---- topology

    @Test
    void theTopologyMapHasNodesWithHopDistancesAndLinks() throws Exception {
        JsonNode g = ok(QueryRoutes.TOPOLOGY);
        assertThat(g.path("truncated").asBoolean()).isFalse();
        JsonNode nodes = g.path("nodes");
        assertThat(g.path("matched_nodes").asInt()).isEqualTo(nodes.size());
        assertThat(texts(nodes, "id")).contains("agent:fra1", "agent:ams1", "agent:lon1", A, B, D, DST, C1, DST2,
                "*fra1/f-2/2");

        JsonNode fra1 = find(nodes, "id", "agent:fra1");
        assertThat(fra1.path("kind").asText()).isEqualTo("agent");
        assertThat(fra1.path("agent_id").asText()).isEqualTo("fra1");
        assertThat(fra1.path("address").isNull()).isTrue();
        assertThat(fra1.path("hop_distance").asInt()).isZero();
        assertThat(fra1.path("rtt").isNull()).isTrue();

        JsonNode c1 = find(nodes, "id", C1);
        assertThat(c1.path("kind").asText()).isEqualTo("address");
        assertThat(c1.path("address").asText()).isEqualTo(C1);
        assertThat(c1.path("observations").asLong()).isEqualTo(3);
        assertThat(c1.path("agents").path("ams1").asLong()).isEqualTo(1);
        assertThat(c1.path("agents").size()).isEqualTo(3);
        assertThat(c1.path("rtt").path("count").asLong()).isEqualTo(9);
        assertThat(c1.path("rtt").path("min_ms").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(texts(c1.path("reply_types"))).containsExactly("icmp 11/0");
        assertThat(c1.path("hop_distance").asInt()).isEqualTo(2);
        assertThat(find(nodes, "id", DST).path("destination").asBoolean()).isTrue();
        assertThat(find(nodes, "id", A).path("hop_distance").asInt()).isEqualTo(1);
        assertThat(find(nodes, "id", DST).path("hop_distance").asInt()).isEqualTo(3);
        assertThat(find(nodes, "id", DST2).path("hop_distance").asInt()).isEqualTo(4);
        JsonNode placeholder = find(nodes, "id", "*fra1/f-2/2");
        assertThat(placeholder.path("kind").asText()).isEqualTo("anonymous");
        assertThat(placeholder.path("hop_distance").asInt()).isEqualTo(2);

        JsonNode links = g.path("links");
        JsonNode first = find(links, "id", "agent:fra1 -> " + A);
        assertThat(first.path("from").asText()).isEqualTo("agent:fra1");
        assertThat(first.path("to").asText()).isEqualTo(A);
        assertThat(first.path("kind").asText()).isEqualTo("direct");
        assertThat(first.path("agents").path("fra1").asLong()).isEqualTo(4);
        JsonNode across = find(links, "id", A + " ~> " + DST);
        assertThat(across.path("kind").asText()).isEqualTo("indirect");
        assertThat(across.path("min_gap").asInt()).isEqualTo(1);
        assertThat(texts(links, "kind")).contains("placeholder");

        JsonNode ams1 = ok(url(QueryRoutes.TOPOLOGY, "agent", "ams1"));
        assertThat(texts(ams1.path("nodes"), "id")).containsExactlyInAnyOrder("agent:ams1", R2, R3, C1, C2, DST2);
        assertThat(find(ams1.path("nodes"), "id", C1).path("hop_distance").asInt()).isEqualTo(3);
        assertThat(ams1.path("links")).hasSize(5);

        JsonNode toward = ok(url(QueryRoutes.TOPOLOGY, "prefix", DST2 + "/32", "agent", "lon1"));
        assertThat(texts(toward.path("nodes"), "id")).containsExactlyInAnyOrder("agent:lon1", R4, C1, C2, DST2);
        JsonNode window = ok(url(QueryRoutes.TOPOLOGY, "from", at(11).toString(), "to", at(20).toString()));
        assertThat(texts(window.path("nodes"), "id")).containsExactlyInAnyOrder("agent:fra1", A, D, DST);
        JsonNode limited = ok(url(QueryRoutes.TOPOLOGY, "limit", "3"));
        assertThat(limited.path("truncated").asBoolean()).isTrue();
        assertThat(limited.path("nodes")).hasSize(3);
        assertThat(limited.path("matched_nodes").asInt()).isEqualTo(nodes.size());
    }

    @Test
    void theTopologyIsExportedInEachFormatAsAnAttachment() throws Exception {
        int nodes = ok(QueryRoutes.TOPOLOGY).path("nodes").size();

        HttpResponse<String> dot = get(url(QueryRoutes.TOPOLOGY_EXPORT, "format", "dot"), true);
        assertThat(dot.statusCode()).isEqualTo(200);
        assertThat(dot.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/vnd.graphviz");
        assertThat(dot.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"tracemesh-topology.dot\"");
        assertThat(dot.body()).contains("digraph tracemesh {", "\"agent:fra1\" -> \"" + A + "\"", "\"" + C1 + "\"");

        HttpResponse<String> graphml = get(url(QueryRoutes.TOPOLOGY_EXPORT, "format", "graphml", "agent", "ams1"),
                true);
        assertThat(graphml.statusCode()).isEqualTo(200);
        assertThat(graphml.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/graphml+xml");
        assertThat(graphml.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("attachment", "tracemesh-topology.graphml");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document xml = f.newDocumentBuilder().parse(new ByteArrayInputStream(
                graphml.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(xml.getElementsByTagName("node").getLength()).isEqualTo(6);
        assertThat(xml.getElementsByTagName("edge").getLength()).isEqualTo(5);

        HttpResponse<String> json = get(QueryRoutes.TOPOLOGY_EXPORT, true);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(json.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("tracemesh-topology.json");
        JsonNode doc = JSON.readTree(json.body());
        assertThat(doc.path("format").asText()).isEqualTo("tracemesh-subgraph");
        assertThat(doc.path("nodes")).hasSize(nodes);
        assertThat(texts(doc.path("nodes"), "id")).contains("agent:fra1", C1);
    }

    // ---- RTT

    @Test
    void anRttSeriesHasOnePointPerTrace() throws Exception {
        JsonNode s = ok(url(QueryRoutes.RTT, "agent", "fra1", "destination", DST, "from", at(0).toString(), "to",
                at(60).toString()));
        assertThat(s.path("address").asText()).isEqualTo(DST);
        assertThat(s.path("method").asText()).isEqualTo("udp-paris");
        JsonNode points = s.path("points");
        assertThat(texts(points, "time")).containsExactly(at(0).toString(), at(5).toString(), at(10).toString(),
                at(15).toString());
        for (JsonNode p : points) {
            assertThat(p.path("rtt_ms").asDouble()).isCloseTo(3.1, within(1e-9));
            assertThat(p.path("ttl").asInt()).isEqualTo(3);
        }

        JsonNode b = ok(url(QueryRoutes.RTT, "agent", "fra1", "destination", DST, "address", B, "from",
                at(0).toString(), "to", at(60).toString()));
        JsonNode bp = b.path("points");
        assertThat(bp).hasSize(4);
        assertThat(bp.get(0).path("rtt_ms").asDouble()).isCloseTo(2.1, within(1e-9));
        assertThat(bp.get(0).path("ttl").asInt()).isEqualTo(2);
        assertThat(bp.get(1).has("rtt_ms")).isTrue();
        assertThat(bp.get(1).path("rtt_ms").isNull()).isTrue();
        assertThat(bp.get(1).path("ttl").isNull()).isTrue();

        JsonNode latest = ok(url(QueryRoutes.RTT, "agent", "fra1", "destination", DST, "from", at(0).toString(),
                "to", at(60).toString(), "limit", "1"));
        assertThat(texts(latest.path("points"), "trace_id")).containsExactly("f-4");
        assertThat(latest.path("truncated").asBoolean()).isTrue();
    }

    // ---- bad input

    @Test
    void badParametersAre400sNamingTheParameter() throws Exception {
        String now = QueryRoutes.ROUTE_NOW;
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(url(now, "destination", DST), "agent");
        cases.put(url(now, "agent", "fra 1", "destination", DST), "agent");
        cases.put(url(now, "agent", "fra1"), "destination");
        cases.put(url(now, "agent", "fra1", "destination", "198.18.9"), "destination");
        cases.put(url(now, "agent", "fra1", "destination", DST, "method", "ping"), "method");
        cases.put(url(now, "agent", "fra1", "destination", DST, "method", "smoke-signals"), "method");
        cases.put(url(QueryRoutes.ROUTE_AT, "agent", "fra1", "destination", DST), "time");
        cases.put(url(QueryRoutes.ROUTE_AT, "agent", "fra1", "destination", DST, "time", "yesterday"), "time");
        cases.put(url(QueryRoutes.ROUTE_HISTORY, "agent", "fra1", "destination", DST, "from", at(5).toString(), "to",
                at(4).toString()), "to");
        cases.put(url(QueryRoutes.ROUTE_HISTORY, "agent", "fra1", "destination", DST, "from", "2026-13-01"), "from");
        cases.put(url(QueryRoutes.ROUTES, "limit", "0"), "limit");
        cases.put(url(QueryRoutes.ROUTES, "limit", "10001"), "limit");
        cases.put(url(QueryRoutes.ROUTES, "destination", "nowhere"), "destination");
        cases.put(url(QueryRoutes.COMPARE, "destination", DST2, "agent", "fra1"), "agent");
        cases.put(url(QueryRoutes.COMPARE, "destination", DST2, "agent", "fra1", "agent", "fra1"), "agent");
        cases.put(url(QueryRoutes.COMPARE, "agent", "fra1", "agent", "ams1"), "destination");
        cases.put(url(QueryRoutes.TRACES, "address", A, "prefix", "198.18.0.0/24"), "prefix");
        cases.put(QueryRoutes.TRACES, "address");
        cases.put(url(QueryRoutes.TRACES, "address", "198.18.0.256"), "address");
        cases.put(url(QueryRoutes.TRACES, "prefix", "198.18.0.1/24"), "prefix");
        cases.put(url(QueryRoutes.TRACES, "prefix", "198.18.0.0/33"), "prefix");
        cases.put(url(QueryRoutes.TRACES, "address", A, "limit", "10001"), "limit");
        cases.put(url(QueryRoutes.TRACES, "address", A, "from", at(5).toString(), "to", at(4).toString()), "to");
        cases.put(url(QueryRoutes.TOPOLOGY, "limit", "100001"), "limit");
        cases.put(url(QueryRoutes.TOPOLOGY, "prefix", "not-a-prefix"), "prefix");
        cases.put(url(QueryRoutes.TOPOLOGY, "agent", "bad agent!"), "agent");
        cases.put(url(QueryRoutes.TOPOLOGY, "from", at(5).toString(), "to", at(4).toString()), "to");
        cases.put(url(QueryRoutes.TOPOLOGY_EXPORT, "format", "png"), "format");
        cases.put(url(QueryRoutes.RTT, "agent", "fra1", "destination", DST, "address", "x"), "address");
        cases.put(url(QueryRoutes.RTT, "agent", "fra1", "destination", DST, "limit", "0"), "limit");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            badRequest(c.getValue(), c.getKey());
        }
        String many = java.util.stream.IntStream.rangeClosed(1, 21).mapToObj(i -> "agent=a" + i)
                .collect(Collectors.joining("&"));
        badRequest("agent", QueryRoutes.COMPARE + "?destination=" + DST2 + "&" + many);
    }
}
