package net.tracemesh.collector.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;

/**
 * Writes a subgraph as a Graphviz {@code digraph}. Node ids are the nodes' texts ({@code 198.18.0.1},
 * {@code agent:fra1}, {@code *fra1/trace/3}), always quoted and escaped. Roles differ in shape: agents are filled
 * boxes, destinations double circles, routers ellipses, placeholders small points. Direct links are solid, indirect
 * links (across silent TTLs) dashed and labelled with their gap, placeholder links dotted. Addresses with RTTs show
 * their median RTT under the address.
 */
public final class DotWriter implements GraphWriter {
    private static final String INDENT = "  ";

    @Override
    public void write(Subgraph graph, Writer out) {
        if (graph == null || out == null) {
            throw new IllegalArgumentException("the graph and the output are required");
        }
        try {
            out.write("// tracemesh subgraph: " + graph.nodes().size() + " nodes, " + graph.links().size()
                    + " links" + (graph.truncated() ? ", truncated from " + graph.matchedNodes() + " matched nodes"
                    : "") + "\n");
            out.write("digraph tracemesh {\n");
            out.write(INDENT + "graph [rankdir=LR];\n");
            out.write(INDENT + "node [fontsize=10];\n");
            out.write(INDENT + "edge [fontsize=8];\n");
            for (NodeSummary n : graph.nodes()) {
                out.write(INDENT + quote(n.id().toString()) + " [" + nodeAttributes(n) + "];\n");
            }
            for (LinkSummary l : graph.links()) {
                out.write(INDENT + quote(l.id().from().toString()) + " -> " + quote(l.id().to().toString()) + " ["
                        + linkAttributes(l) + "];\n");
            }
            out.write("}\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the DOT graph failed: " + e.getMessage(), e);
        }
    }

    private static String nodeAttributes(NodeSummary n) {
        NodeId id = n.id();
        return switch (NodeRole.of(n)) {
            case AGENT -> "label=" + quote(id.key()) + ", shape=box, style=filled, fillcolor=lightblue";
            case DESTINATION -> "label=" + quote(addressLabel(n)) + ", shape=doublecircle";
            case ROUTER -> "label=" + quote(addressLabel(n)) + ", shape=ellipse";
            case ANONYMOUS -> "label=\"\", shape=point, width=0.1, tooltip=" + quote(id.toString());
        };
    }

    private static String addressLabel(NodeSummary n) {
        return n.rtt().isEmpty() ? n.id().key()
                : n.id().key() + "\n" + String.format(Locale.ROOT, "%.2f ms", n.rtt().medianMs());
    }

    private static String linkAttributes(LinkSummary l) {
        String traces = "tooltip=" + quote(l.observations() + " traces");
        if (l.id().kind() == LinkKind.INDIRECT) {
            String gap = l.minGap() == l.maxGap() ? "gap " + l.minGap() : "gap " + l.minGap() + "-" + l.maxGap();
            return "style=dashed, label=" + quote(gap) + ", " + traces;
        }
        if (l.id().kind() == LinkKind.PLACEHOLDER) {
            return "style=dotted, arrowhead=none, " + traces;
        }
        return traces;
    }

    /**
     * A DOT quoted string: backslashes and double quotes escaped, line breaks as {@code \n}, other control
     * characters dropped.
     */
    static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (!Character.isISOControl(c)) {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
