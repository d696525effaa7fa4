package net.tracemesh.collector.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.ReplyType;
import net.tracemesh.measurement.Ipv4Prefix;
import net.tracemesh.record.MplsLabel;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class GraphExportTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    /** An agent id with every character the formats must escape. */
    private static final String ODD_AGENT = "fra\"1<&>\\x";
    private static final NodeId AGENT = NodeId.agent(ODD_AGENT);
    private static final NodeId ROUTER = NodeId.address("198.18.0.1");
    private static final NodeId DST = NodeId.address("198.18.9.9");
    private static final NodeId SILENT = new NodeId(NodeKind.ANONYMOUS, ODD_AGENT + "/t-1/2");

    private static RttSummary rtt(double... ms) {
        RttSummary s = new RttSummary();
        for (double m : ms) {
            s.add(m, T);
        }
        return s;
    }

    private static NodeSummary node(NodeId id, boolean destination, RttSummary rtt) {
        return new NodeSummary(id, T, T.plusSeconds(60), 2, destination, rtt, null,
                rtt.isEmpty() ? new TreeSet<>() : new TreeSet<>(Set.of(ReplyType.icmp(11, 0))),
                id.equals(ROUTER) ? List.of(List.of(new MplsLabel(16001, 0, true, 1))) : List.of(),
                new TreeMap<>(Map.of(ODD_AGENT, 2L)));
    }

    private static LinkSummary link(NodeId from, NodeId to, LinkKind kind, int gap) {
        return new LinkSummary(new LinkId(from, to, kind), T, T.plusSeconds(60), 2, 0, gap, gap, rtt(3.0), null,
                new TreeMap<>(Map.of(ODD_AGENT, 2L)));
    }

    /** agent -> router, router ~> dst (gap 1), router -> placeholder -> dst; 5 matched, 4 kept. */
    private static Subgraph graph() {
        List<NodeSummary> nodes = List.of(node(ROUTER, false, rtt(1.0, 2.0, 3.0)), node(DST, true, rtt(5.0)),
                node(AGENT, false, new RttSummary()), node(SILENT, false, new RttSummary()));
        List<LinkSummary> links = List.of(link(AGENT, ROUTER, LinkKind.DIRECT, 0),
                link(ROUTER, DST, LinkKind.INDIRECT, 1), link(ROUTER, SILENT, LinkKind.PLACEHOLDER, 0),
                link(SILENT, DST, LinkKind.PLACEHOLDER, 0));
        SubgraphFilter filter = new SubgraphFilter(Set.of(ODD_AGENT), Ipv4Prefix.parse("198.18.9.0/24"), T,
                T.plusSeconds(3600), 4);
        return new Subgraph(filter, nodes, links, 5);
    }

    private static String write(GraphFormat format) {
        StringWriter out = new StringWriter();
        format.writer().write(graph(), out);
        return out.toString();
    }

    @Test
    void formatsAreFoundByNameInAnyCaseAndUnknownNamesAreRefused() {
        assertThat(GraphFormat.fromName("dot")).isEqualTo(GraphFormat.DOT);
        assertThat(GraphFormat.fromName("GraphML")).isEqualTo(GraphFormat.GRAPHML);
        assertThat(GraphFormat.fromName(" json ")).isEqualTo(GraphFormat.JSON);
        assertThatThrownBy(() -> GraphFormat.fromName("png")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("png").hasMessageContaining("dot, graphml, json");
        assertThatThrownBy(() -> GraphFormat.fromName(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(GraphFormat.DOT.writer()).isInstanceOf(DotWriter.class);
        assertThat(GraphFormat.GRAPHML.writer()).isInstanceOf(GraphMlWriter.class);
        assertThat(GraphFormat.JSON.writer()).isInstanceOf(JsonGraphWriter.class);
    }

    @Test
    void dotShowsRolesByShapeIndirectLinksDashedAndEscapesIds() {
        String dot = write(GraphFormat.DOT);
        assertThat(dot).contains("digraph tracemesh {").endsWith("}\n");
        assertThat(dot).contains("truncated from 5 matched nodes");
        String agentId = "\"agent:fra\\\"1<&>\\\\x\"";
        assertThat(dot).contains(agentId + " [label=\"fra\\\"1<&>\\\\x\", shape=box");
        assertThat(dot).contains("\"198.18.9.9\" [label=\"198.18.9.9\\n5.00 ms\", shape=doublecircle]");
        // the median is the RTT summary's estimate (within 1 %)
        assertThat(dot).containsPattern("\"198.18.0.1\" \\[label=\"198.18.0.1\\\\n(1.9[89]|2.0[0-2]) ms\", shape=ellipse]");
        assertThat(dot).containsPattern("\"\\*fra.*/t-1/2\" \\[label=\"\", shape=point");
        assertThat(dot).contains("\"198.18.0.1\" -> \"198.18.9.9\" [style=dashed, label=\"gap 1\"");
        assertThat(dot).contains(agentId + " -> \"198.18.0.1\" [tooltip=\"2 traces\"]");
        assertThat(dot).containsPattern("\"198.18.0.1\" -> \"\\*[^\"]*(\\\\\"[^\"]*)*\" \\[style=dotted");
        // every quote in the text is either a delimiter or escaped: an even number of unescaped quotes per line
        for (String line : dot.split("\n")) {
            assertThat(line.replace("\\\\", "").replace("\\\"", "").chars().filter(c -> c == '"').count() % 2)
                    .as(line).isZero();
        }
    }

    @Test
    void graphMlIsWellFormedWithEveryDataKeyDeclared() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(write(GraphFormat.GRAPHML))));
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("graphml");
        assertThat(root.getNamespaceURI()).isEqualTo(GraphMlWriter.NAMESPACE);

        Map<String, String> keyFor = new HashMap<>();
        NodeList keys = doc.getElementsByTagNameNS(GraphMlWriter.NAMESPACE, "key");
        for (int i = 0; i < keys.getLength(); i++) {
            Element k = (Element) keys.item(i);
            keyFor.put(k.getAttribute("id"), k.getAttribute("attr.name"));
        }
        NodeList data = doc.getElementsByTagNameNS(GraphMlWriter.NAMESPACE, "data");
        assertThat(data.getLength()).isPositive();
        for (int i = 0; i < data.getLength(); i++) {
            assertThat(keyFor).containsKey(((Element) data.item(i)).getAttribute("key"));
        }

        Element graph = (Element) doc.getElementsByTagNameNS(GraphMlWriter.NAMESPACE, "graph").item(0);
        assertThat(graph.getAttribute("edgedefault")).isEqualTo("directed");
        NodeList nodes = doc.getElementsByTagNameNS(GraphMlWriter.NAMESPACE, "node");
        Map<String, Map<String, String>> nodeData = new HashMap<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element n = (Element) nodes.item(i);
            nodeData.put(n.getAttribute("id"), dataOf(n, keyFor));
        }
        assertThat(nodeData).containsOnlyKeys("198.18.0.1", "198.18.9.9", "agent:" + ODD_AGENT, SILENT.toString());
        assertThat(nodeData.get("agent:" + ODD_AGENT)).containsEntry("role", "agent")
                .containsEntry("label", ODD_AGENT).doesNotContainKey("rtt_median_ms");
        assertThat(nodeData.get("198.18.9.9")).containsEntry("role", "destination").containsEntry("kind", "ADDRESS");
        assertThat(Double.parseDouble(nodeData.get("198.18.0.1").get("rtt_median_ms"))).isCloseTo(2.0,
                within(0.05));
        assertThat(nodeData.get(SILENT.toString())).containsEntry("role", "anonymous");

        NodeList edges = doc.getElementsByTagNameNS(GraphMlWriter.NAMESPACE, "edge");
        assertThat(edges.getLength()).isEqualTo(4);
        Set<String> edgeIds = new HashSet<>();
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < edges.getLength(); i++) {
            Element e = (Element) edges.item(i);
            assertThat(nodeData).containsKeys(e.getAttribute("source"), e.getAttribute("target"));
            edgeIds.add(e.getAttribute("id"));
            kinds.add(dataOf(e, keyFor).get("kind"));
        }
        assertThat(edgeIds).hasSize(4);
        assertThat(kinds).containsExactly("DIRECT", "INDIRECT", "PLACEHOLDER", "PLACEHOLDER");
        assertThat(dataOf(graph, keyFor)).containsEntry("truncated", "true").containsEntry("matched_nodes", "5");
    }

    private static Map<String, String> dataOf(Element e, Map<String, String> keyFor) {
        Map<String, String> out = new HashMap<>();
        for (org.w3c.dom.Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element d && "data".equals(d.getLocalName())) {
                out.put(keyFor.get(d.getAttribute("key")), d.getTextContent());
            }
        }
        return out;
    }

    @Test
    void jsonHoldsTheFilterNodesAndLinksWithTheirStatistics() throws Exception {
        JsonNode root = new ObjectMapper().readTree(write(GraphFormat.JSON));
        assertThat(root.get("format").asText()).isEqualTo(JsonGraphWriter.FORMAT);
        assertThat(root.get("version").asInt()).isEqualTo(JsonGraphWriter.VERSION);
        assertThat(root.get("truncated").asBoolean()).isTrue();
        assertThat(root.get("matchedNodes").asInt()).isEqualTo(5);
        assertThat(root.get("filter").get("agents").get(0).asText()).isEqualTo(ODD_AGENT);
        assertThat(root.get("filter").get("destinations").asText()).isEqualTo("198.18.9.0/24");
        assertThat(root.get("filter").get("from").asText()).isEqualTo(T.toString());
        assertThat(root.get("filter").get("nodeLimit").asInt()).isEqualTo(4);

        JsonNode nodes = root.get("nodes");
        assertThat(nodes).hasSize(4);
        JsonNode router = nodes.get(0);
        assertThat(router.get("id").asText()).isEqualTo("198.18.0.1");
        assertThat(router.get("role").asText()).isEqualTo("router");
        assertThat(router.get("rtt").get("count").asLong()).isEqualTo(3);
        assertThat(router.get("rtt").get("medianMs").asDouble()).isCloseTo(2.0, within(0.05));
        assertThat(router.get("replyTypes").get(0).asText()).isEqualTo("icmp 11/0");
        assertThat(router.get("mpls").get(0).get(0).get("label").asInt()).isEqualTo(16001);
        assertThat(router.get("minMtu").isNull()).isTrue();
        assertThat(router.get("agents").get(ODD_AGENT).asLong()).isEqualTo(2);
        JsonNode agent = nodes.get(2);
        assertThat(agent.get("id").asText()).isEqualTo("agent:" + ODD_AGENT);
        assertThat(agent.get("rtt").isNull()).isTrue();

        JsonNode links = root.get("links");
        assertThat(links).hasSize(4);
        assertThat(links.get(1).get("from").asText()).isEqualTo("198.18.0.1");
        assertThat(links.get(1).get("to").asText()).isEqualTo("198.18.9.9");
        assertThat(links.get(1).get("kind").asText()).isEqualTo("INDIRECT");
        assertThat(links.get(1).get("minGap").asInt()).isEqualTo(1);
    }

    @Test
    void writersLeaveTheOutputOpen() {
        for (GraphFormat format : GraphFormat.values()) {
            StringWriter out = new StringWriter();
            format.writer().write(graph(), out);
            out.write("more");
            assertThat(out.toString()).as(format.name()).endsWith("more");
        }
    }
}
