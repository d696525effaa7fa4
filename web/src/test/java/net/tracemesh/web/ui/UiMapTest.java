package net.tracemesh.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The map view's drawing in a real browser: a small topology drawn through the test hook
 * {@code window.tracemeshMap.render(json)} and clicked, and a generated 5,000-node topology whose layout and
 * first render time is printed (no timing assertion: machines differ).
 */
class UiMapTest extends UiTestBase {
    private static final int BIG_NODES = 5_000;
    private static final int BIG_AGENTS = 12;
    private static final int BIG_LAYERS = 24;

    @BeforeEach
    void openMap() {
        signIn();
        browser.get(server.baseUrl() + "/index.html#/map");
        browser.waitFor("return window.tracemeshMap !== undefined && window.cytoscape !== undefined");
    }

    @Test
    void drawsVantagePointsDestinationsAndSilentHopsDistinctly() {
        String graph = """
                {"matched_nodes": 7, "truncated": true, "nodes": [
                 {"id": "agent:fra1", "kind": "agent", "agent_id": "fra1", "destination": false, "agents": {}},
                 {"id": "198.18.0.1", "kind": "address", "address": "198.18.0.1", "destination": false,
                  "hop_distance": 1, "first_seen": "2026-11-23T10:00:00Z", "last_seen": "2026-11-23T11:00:00Z",
                  "observations": 42, "rtt": {"min_ms": 0.41, "median_ms": 0.52, "last_ms": 0.6},
                  "min_mtu": 1500, "reply_types": ["icmp 11/0"],
                  "mpls": [[{"label": 24001, "tc": 0, "s": true, "ttl": 1}]], "agents": {"fra1": 40, "nyc2": 2}},
                 {"id": "*fra1/trace/2", "kind": "anonymous", "destination": false, "hop_distance": 2, "agents": {"fra1": 3}},
                 {"id": "192.0.2.9", "kind": "address", "address": "192.0.2.9", "destination": true,
                  "hop_distance": 3, "rtt": null, "reply_types": ["icmp 3/3"], "mpls": [], "agents": {"fra1": 3}}],
                "links": [
                 {"id": "l1", "from": "agent:fra1", "to": "198.18.0.1", "kind": "direct", "agents": {"fra1": 40}},
                 {"id": "l2", "from": "198.18.0.1", "to": "*fra1/trace/2", "kind": "placeholder", "agents": {}},
                 {"id": "l3", "from": "198.18.0.1", "to": "192.0.2.9", "kind": "indirect", "observations": 3,
                  "agents": {"fra1": 3}}]}
                """;
        browser.asyncScript(Duration.ofSeconds(30),
                "window.tracemeshMap.render(JSON.parse(arguments[0])).then(arguments[arguments.length - 1]);", graph);

        assertThat(browser.find("#map-node-count").getText()).isEqualTo("showing 4 of 7 nodes (limited)");
        @SuppressWarnings("unchecked")
        Map<String, Object> classes = (Map<String, Object>) browser.script("""
                const cy = window.tracemeshMap.cy();
                return {agent: cy.getElementById('agent:fra1').hasClass('agent'),
                  destination: cy.getElementById('192.0.2.9').hasClass('destination'),
                  anonymous: cy.getElementById('*fra1/trace/2').style('opacity'),
                  indirect: cy.getElementById('l3').style('line-style'),
                  agentX: cy.getElementById('agent:fra1').position('x'),
                  hopX: cy.getElementById('198.18.0.1').position('x'),
                  destinationX: cy.getElementById('192.0.2.9').position('x')};""");
        assertThat(classes.get("agent")).isEqualTo(true);
        assertThat(classes.get("destination")).isEqualTo(true);
        assertThat(Double.parseDouble(classes.get("anonymous").toString())).isLessThan(1.0);
        assertThat(classes.get("indirect")).isEqualTo("dashed");
        assertThat(((Number) classes.get("agentX")).doubleValue())
                .isLessThan(((Number) classes.get("hopX")).doubleValue());
        assertThat(((Number) classes.get("hopX")).doubleValue())
                .isLessThan(((Number) classes.get("destinationX")).doubleValue());

        browser.script("window.tracemeshMap.cy().getElementById('198.18.0.1').emit('tap');");
        String details = browser.find("#node-details").getText();
        assertThat(details).contains("198.18.0.1", "0.41 ms", "0.52 ms", "0.60 ms", "fra1", "nyc2",
                "icmp 11/0", "L=24001", "1500");
        browser.find("#map-search").sendKeys("192.0.2.9");
        browser.find("#map-search-form button[type=submit]").click();
        browser.waitFor("return window.tracemeshMap.cy().getElementById('192.0.2.9').hasClass('highlight')");
        assertThat(browser.find("#node-details").getText()).contains("destination");
        browser.screenshot("map-small");
    }

    @Test
    void laysOutFiveThousandNodes() {
        String graph = generatedTopology(BIG_NODES, BIG_AGENTS, BIG_LAYERS, new Random(5));
        long started = System.nanoTime();
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) browser.asyncScript(Duration.ofSeconds(120), """
                const done = arguments[arguments.length - 1];
                const graph = JSON.parse(arguments[0]);
                const t0 = performance.now();
                window.tracemeshMap.render(graph).then(r => {
                  window.tracemeshMap.cy().one('render', () => requestAnimationFrame(() =>
                    done({layoutMs: r.layoutMs, layoutstopMs: r.totalMs, renderedMs: performance.now() - t0,
                      nodes: window.tracemeshMap.cy().nodes().length, edges: window.tracemeshMap.cy().edges().length})));
                  window.tracemeshMap.cy().forceRender();
                });""", graph);
        long wallMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("UiMapTest: %d nodes, %d links: layered layout %.1f ms, cytoscape layoutstop %.0f ms,"
                        + " first frame %.0f ms (in browser); %d ms wall clock including JSON transfer%n",
                ((Number) result.get("nodes")).intValue(), ((Number) result.get("edges")).intValue(),
                ((Number) result.get("layoutMs")).doubleValue(), ((Number) result.get("layoutstopMs")).doubleValue(),
                ((Number) result.get("renderedMs")).doubleValue(), wallMs);

        assertThat(((Number) result.get("nodes")).intValue()).isEqualTo(BIG_NODES);
        assertThat(browser.find("#map-node-count").getText()).isEqualTo("showing 5,000 of 12,345 nodes (limited)");
        browser.screenshot("map-5000");
    }

    /**
     * A topology shaped like traceroutes from a few vantage points: layers by hop distance, each node linked to
     * one or two nodes of the layer before, a few links skipping a silent hop, every tenth node anonymous.
     */
    static String generatedTopology(int nodes, int agents, int layers, Random random) {
        StringBuilder json = new StringBuilder(nodes * 200);
        StringBuilder links = new StringBuilder(nodes * 120);
        json.append("{\"matched_nodes\": 12345, \"truncated\": true, \"nodes\": [");
        int perLayer = (nodes - agents) / layers;
        int[][] layerIds = new int[layers + 1][];
        layerIds[0] = new int[agents];
        int next = 0;
        for (int a = 0; a < agents; a++) {
            layerIds[0][a] = next++;
            json.append(a == 0 ? "" : ",").append("{\"id\":\"agent:vp").append(a)
                    .append("\",\"kind\":\"agent\",\"agent_id\":\"vp").append(a).append("\",\"destination\":false}");
        }
        int linkCount = 0;
        for (int layer = 1; layer <= layers; layer++) {
            int size = layer == layers ? nodes - next : perLayer;
            layerIds[layer] = new int[size];
            for (int i = 0; i < size; i++) {
                int id = next++;
                layerIds[layer][i] = id;
                boolean anonymous = id % 10 == 0;
                boolean destination = layer >= layers - 2 && i % 3 == 0;
                json.append(",{\"id\":\"").append(nodeId(id, anonymous)).append("\",\"kind\":\"")
                        .append(anonymous ? "anonymous" : "address").append("\",\"address\":")
                        .append(anonymous ? "null" : "\"" + address(id) + "\"").append(",\"destination\":")
                        .append(destination && !anonymous).append(",\"hop_distance\":").append(layer)
                        .append(",\"observations\":").append(1 + random.nextInt(500))
                        .append(",\"rtt\":{\"min_ms\":").append(layer * 1.5).append(",\"median_ms\":")
                        .append(layer * 2.0).append(",\"last_ms\":").append(layer * 2.2)
                        .append("},\"reply_types\":[\"icmp 11/0\"],\"mpls\":[],\"agents\":{\"vp")
                        .append(random.nextInt(agents)).append("\":3}}");
                int[] before = layerIds[layer - 1];
                int parents = 1 + random.nextInt(2);
                for (int p = 0; p < parents; p++) {
                    int from = before[Math.min(before.length - 1, Math.max(0,
                            i * before.length / size + random.nextInt(5) - 2))];
                    boolean indirect = layer > 1 && random.nextInt(20) == 0;
                    int source = indirect ? layerIds[layer - 2][random.nextInt(layerIds[layer - 2].length)] : from;
                    links.append(linkCount == 0 ? "" : ",").append("{\"id\":\"l").append(linkCount++)
                            .append("\",\"from\":\"").append(nodeId(source, source >= agents && source % 10 == 0,
                                    agents)).append("\",\"to\":\"").append(nodeId(id, anonymous))
                            .append("\",\"kind\":\"").append(indirect ? "indirect" : anonymous ? "placeholder" : "direct")
                            .append("\",\"observations\":3,\"agents\":{}}");
                }
            }
        }
        json.append("],\"links\":[").append(links).append("]}");
        return json.toString();
    }

    private static String nodeId(int id, boolean anonymous, int agents) {
        return id < agents ? "agent:vp" + id : nodeId(id, anonymous);
    }

    private static String nodeId(int id, boolean anonymous) {
        return anonymous ? "*gen/" + id : address(id);
    }

    private static String address(int id) {
        return "10." + (id >> 16 & 0xff) + "." + (id >> 8 & 0xff) + "." + (id & 0xff);
    }
}
