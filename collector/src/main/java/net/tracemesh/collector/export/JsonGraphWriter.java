package net.tracemesh.collector.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.ReplyType;
import net.tracemesh.record.MplsLabel;

/**
 * Writes a subgraph as one JSON object: {@code format} ({@value #FORMAT}) and {@code version}, the {@code filter},
 * {@code matchedNodes} and {@code truncated}, then {@code nodes} and {@code links} with every stored statistic.
 * Node ids are the nodes' texts ({@code 198.18.0.1}, {@code agent:fra1}, {@code *fra1/trace/3}); links name their
 * ends by those ids. Times are ISO-8601 UTC; RTT statistics are in milliseconds, {@code null} when there are none.
 */
public final class JsonGraphWriter implements GraphWriter {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "tracemesh-subgraph";
    /** The value of the {@code version} field; raised when fields change meaning or disappear. */
    public static final int VERSION = 1;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    @Override
    public void write(Subgraph graph, Writer out) {
        if (graph == null || out == null) {
            throw new IllegalArgumentException("the graph and the output are required");
        }
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            filter(g, graph.filter());
            g.writeNumberField("matchedNodes", graph.matchedNodes());
            g.writeBooleanField("truncated", graph.truncated());
            g.writeArrayFieldStart("nodes");
            for (NodeSummary n : graph.nodes()) {
                node(g, n);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("links");
            for (LinkSummary l : graph.links()) {
                link(g, l);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the JSON graph failed: " + e.getMessage(), e);
        }
    }

    private static void filter(JsonGenerator g, SubgraphFilter f) throws IOException {
        g.writeObjectFieldStart("filter");
        g.writeArrayFieldStart("agents");
        for (String a : f.agents()) {
            g.writeString(a);
        }
        g.writeEndArray();
        g.writeStringField("destinations", f.destinations() == null ? null : f.destinations().toString());
        time(g, "from", f.from());
        time(g, "to", f.to());
        g.writeNumberField("nodeLimit", f.nodeLimit());
        g.writeEndObject();
    }

    private static void node(JsonGenerator g, NodeSummary n) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", n.id().toString());
        g.writeStringField("kind", n.id().kind().name());
        g.writeStringField("key", n.id().key());
        g.writeStringField("role", NodeRole.of(n).label());
        g.writeBooleanField("destination", n.destination());
        time(g, "firstSeen", n.firstSeen());
        time(g, "lastSeen", n.lastSeen());
        g.writeNumberField("observations", n.observations());
        rtt(g, n.rtt());
        integer(g, "minMtu", n.minMtu());
        g.writeArrayFieldStart("replyTypes");
        for (ReplyType t : n.replyTypes()) {
            g.writeString(t.label());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("mpls");
        for (List<MplsLabel> stack : n.mplsStacks()) {
            g.writeStartArray();
            for (MplsLabel l : stack) {
                g.writeStartObject();
                g.writeNumberField("label", l.label());
                g.writeNumberField("tc", l.tc());
                g.writeBooleanField("s", l.s());
                g.writeNumberField("ttl", l.ttl());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        agents(g, n.agents());
        g.writeEndObject();
    }

    private static void link(JsonGenerator g, LinkSummary l) throws IOException {
        g.writeStartObject();
        g.writeStringField("from", l.id().from().toString());
        g.writeStringField("to", l.id().to().toString());
        g.writeStringField("kind", l.id().kind().name());
        time(g, "firstSeen", l.firstSeen());
        time(g, "lastSeen", l.lastSeen());
        g.writeNumberField("observations", l.observations());
        g.writeNumberField("ambiguousObservations", l.ambiguousObservations());
        g.writeNumberField("minGap", l.minGap());
        g.writeNumberField("maxGap", l.maxGap());
        rtt(g, l.rtt());
        integer(g, "mtu", l.mtu());
        agents(g, l.agents());
        g.writeEndObject();
    }

    private static void rtt(JsonGenerator g, RttSummary rtt) throws IOException {
        if (rtt.isEmpty()) {
            g.writeNullField("rtt");
            return;
        }
        g.writeObjectFieldStart("rtt");
        g.writeNumberField("count", rtt.count());
        g.writeNumberField("minMs", rtt.minMs());
        g.writeNumberField("medianMs", rtt.medianMs());
        g.writeNumberField("meanMs", rtt.meanMs());
        g.writeNumberField("maxMs", rtt.maxMs());
        g.writeNumberField("lastMs", rtt.lastMs());
        g.writeEndObject();
    }

    private static void agents(JsonGenerator g, Map<String, Long> agents) throws IOException {
        g.writeObjectFieldStart("agents");
        for (Map.Entry<String, Long> e : agents.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void time(JsonGenerator g, String field, Instant t) throws IOException {
        g.writeStringField(field, t == null ? null : t.toString());
    }

    private static void integer(JsonGenerator g, String field, Integer value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }
}
