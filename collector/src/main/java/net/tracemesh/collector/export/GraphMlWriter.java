package net.tracemesh.collector.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;

/**
 * Writes a subgraph as GraphML (a directed graph): every attribute declared by a {@code <key>} before the graph,
 * node ids the nodes' texts ({@code 198.18.0.1}, {@code agent:fra1}, {@code *fra1/trace/3}), edge ids {@code e0},
 * {@code e1}, ... in link order. Text is escaped by the XML writer; characters XML 1.0 cannot hold become U+FFFD.
 * Absent values (no RTT, no MTU) are left out of the element.
 */
public final class GraphMlWriter implements GraphWriter {
    /** The GraphML namespace. */
    public static final String NAMESPACE = "http://graphml.graphdrawing.org/xmlns";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    private static final String SCHEMA = NAMESPACE + " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd";
    private static final String LIST_SEPARATOR = " ";

    /** An attribute declaration: its key id, what it is for, its name and GraphML type. */
    private record Key(String id, String target, String name, String type) {
    }

    private static final Key MATCHED = new Key("g_matched", "graph", "matched_nodes", "int");
    private static final Key TRUNCATED = new Key("g_truncated", "graph", "truncated", "boolean");
    private static final Key N_KIND = new Key("n_kind", "node", "kind", "string");
    private static final Key N_ROLE = new Key("n_role", "node", "role", "string");
    private static final Key N_LABEL = new Key("n_label", "node", "label", "string");
    private static final Key N_OBSERVATIONS = new Key("n_observations", "node", "observations", "long");
    private static final Key N_FIRST = new Key("n_first_seen", "node", "first_seen", "string");
    private static final Key N_LAST = new Key("n_last_seen", "node", "last_seen", "string");
    private static final Key N_RTT_MEDIAN = new Key("n_rtt_median_ms", "node", "rtt_median_ms", "double");
    private static final Key N_RTT_MIN = new Key("n_rtt_min_ms", "node", "rtt_min_ms", "double");
    private static final Key N_MTU = new Key("n_min_mtu", "node", "min_mtu", "int");
    private static final Key N_REPLIES = new Key("n_reply_types", "node", "reply_types", "string");
    private static final Key N_AGENTS = new Key("n_agents", "node", "agents", "string");
    private static final Key E_KIND = new Key("e_kind", "edge", "kind", "string");
    private static final Key E_OBSERVATIONS = new Key("e_observations", "edge", "observations", "long");
    private static final Key E_AMBIGUOUS = new Key("e_ambiguous", "edge", "ambiguous_observations", "long");
    private static final Key E_MIN_GAP = new Key("e_min_gap", "edge", "min_gap", "int");
    private static final Key E_MAX_GAP = new Key("e_max_gap", "edge", "max_gap", "int");
    private static final Key E_RTT_MEDIAN = new Key("e_rtt_median_ms", "edge", "rtt_median_ms", "double");
    private static final Key E_MTU = new Key("e_mtu", "edge", "mtu", "int");
    private static final Key E_FIRST = new Key("e_first_seen", "edge", "first_seen", "string");
    private static final Key E_LAST = new Key("e_last_seen", "edge", "last_seen", "string");
    private static final Key E_AGENTS = new Key("e_agents", "edge", "agents", "string");
    private static final List<Key> KEYS = List.of(MATCHED, TRUNCATED, N_KIND, N_ROLE, N_LABEL, N_OBSERVATIONS,
            N_FIRST, N_LAST, N_RTT_MEDIAN, N_RTT_MIN, N_MTU, N_REPLIES, N_AGENTS, E_KIND, E_OBSERVATIONS,
            E_AMBIGUOUS, E_MIN_GAP, E_MAX_GAP, E_RTT_MEDIAN, E_MTU, E_FIRST, E_LAST, E_AGENTS);

    @Override
    public void write(Subgraph graph, Writer out) {
        if (graph == null || out == null) {
            throw new IllegalArgumentException("the graph and the output are required");
        }
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("1.0");
            x.writeCharacters("\n");
            x.writeStartElement("graphml");
            x.writeDefaultNamespace(NAMESPACE);
            x.writeNamespace("xsi", XSI);
            x.writeAttribute("xsi", XSI, "schemaLocation", SCHEMA);
            x.writeCharacters("\n");
            for (Key k : KEYS) {
                x.writeEmptyElement("key");
                x.writeAttribute("id", k.id());
                x.writeAttribute("for", k.target());
                x.writeAttribute("attr.name", k.name());
                x.writeAttribute("attr.type", k.type());
                x.writeCharacters("\n");
            }
            x.writeStartElement("graph");
            x.writeAttribute("id", "tracemesh");
            x.writeAttribute("edgedefault", "directed");
            x.writeCharacters("\n");
            data(x, MATCHED, graph.matchedNodes());
            data(x, TRUNCATED, graph.truncated());
            for (NodeSummary n : graph.nodes()) {
                x.writeStartElement("node");
                x.writeAttribute("id", XmlText.clean(n.id().toString()));
                data(x, N_KIND, n.id().kind().name());
                data(x, N_ROLE, NodeRole.of(n).label());
                data(x, N_LABEL, n.id().key());
                data(x, N_OBSERVATIONS, n.observations());
                data(x, N_FIRST, n.firstSeen());
                data(x, N_LAST, n.lastSeen());
                RttSummary rtt = n.rtt();
                if (!rtt.isEmpty()) {
                    data(x, N_RTT_MEDIAN, rtt.medianMs());
                    data(x, N_RTT_MIN, rtt.minMs());
                }
                data(x, N_MTU, n.minMtu());
                data(x, N_REPLIES, n.replyTypes().stream().map(Object::toString).collect(Collectors.joining(",")));
                data(x, N_AGENTS, agents(n.agents()));
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            int edge = 0;
            for (LinkSummary l : graph.links()) {
                x.writeStartElement("edge");
                x.writeAttribute("id", "e" + edge++);
                x.writeAttribute("source", XmlText.clean(l.id().from().toString()));
                x.writeAttribute("target", XmlText.clean(l.id().to().toString()));
                data(x, E_KIND, l.id().kind().name());
                data(x, E_OBSERVATIONS, l.observations());
                data(x, E_AMBIGUOUS, l.ambiguousObservations());
                data(x, E_MIN_GAP, l.minGap());
                data(x, E_MAX_GAP, l.maxGap());
                RttSummary rtt = l.rtt();
                if (!rtt.isEmpty()) {
                    data(x, E_RTT_MEDIAN, rtt.medianMs());
                }
                data(x, E_MTU, l.mtu());
                data(x, E_FIRST, l.firstSeen());
                data(x, E_LAST, l.lastSeen());
                data(x, E_AGENTS, agents(l.agents()));
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
            x.close();
            out.flush();
        } catch (XMLStreamException e) {
            throw new UncheckedIOException("writing the GraphML graph failed: " + e.getMessage(),
                    e.getCause() instanceof IOException io ? io : new IOException(e));
        } catch (IOException e) {
            throw new UncheckedIOException("writing the GraphML graph failed: " + e.getMessage(), e);
        }
    }

    /** {@code agent=count} pairs separated by spaces, in agent order. */
    private static String agents(Map<String, Long> agents) {
        return agents.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(LIST_SEPARATOR));
    }

    /** One {@code <data>} element, or nothing for an absent value. */
    private static void data(XMLStreamWriter x, Key key, Object value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        x.writeStartElement("data");
        x.writeAttribute("key", key.id());
        x.writeCharacters(XmlText.clean(value.toString()));
        x.writeEndElement();
    }
}
