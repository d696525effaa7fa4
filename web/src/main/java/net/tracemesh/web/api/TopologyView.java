package net.tracemesh.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.ReplyType;

/**
 * A part of the merged graph as the map draws it, for {@code GET /api/v1/topology}. Node ids are the export writers'
 * texts ({@code 198.18.0.1}, {@code agent:fra1}, {@code *fra1/trace/3}); links name their ends by them. Each node
 * carries its {@link HopDistances hop distance} from the nearest agent for a layered layout.
 */
public record TopologyView(int matchedNodes, boolean truncated, List<NodeView> nodes, List<LinkView> links) {
    public TopologyView {
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
    }

    /** One node; {@code address} for address nodes and {@code agent_id} for agents, else {@code null}. */
    public record NodeView(String id, String kind, @JsonInclude(JsonInclude.Include.ALWAYS) String address,
                           @JsonInclude(JsonInclude.Include.ALWAYS) String agentId, boolean destination,
                           Instant firstSeen, Instant lastSeen, long observations,
                           @JsonInclude(JsonInclude.Include.ALWAYS) RttView rtt,
                           @JsonInclude(JsonInclude.Include.ALWAYS) Integer minMtu, List<String> replyTypes,
                           List<List<MplsView>> mpls, SortedMap<String, Long> agents,
                           @JsonInclude(JsonInclude.Include.ALWAYS) Integer hopDistance) {
    }

    /** One link; {@code kind} is direct, indirect (across {@code min_gap..max_gap} silent TTLs) or placeholder. */
    public record LinkView(String id, String from, String to, String kind, Instant firstSeen, Instant lastSeen,
                           long observations, long ambiguousObservations, int minGap, int maxGap,
                           @JsonInclude(JsonInclude.Include.ALWAYS) RttView rtt,
                           @JsonInclude(JsonInclude.Include.ALWAYS) Integer mtu, SortedMap<String, Long> agents) {
    }

    /** RTT statistics in milliseconds over {@code count} samples. */
    public record RttView(long count, double minMs, double medianMs, double maxMs, double lastMs) {
        static RttView of(RttSummary s) {
            return s.isEmpty() ? null : new RttView(s.count(), s.minMs(), s.medianMs(), s.maxMs(), s.lastMs());
        }
    }

    /** One MPLS label stack entry. */
    public record MplsView(int label, int tc, boolean s, int ttl) {
    }

    public static TopologyView of(Subgraph g) {
        Map<NodeId, Integer> distances = HopDistances.of(g);
        List<NodeView> nodes = g.nodes().stream().map(n -> node(n, distances.get(n.id()))).toList();
        List<LinkView> links = g.links().stream().map(TopologyView::link).toList();
        return new TopologyView(g.matchedNodes(), g.truncated(), nodes, links);
    }

    private static NodeView node(NodeSummary n, Integer hopDistance) {
        NodeId id = n.id();
        return new NodeView(id.toString(), id.kind().name().toLowerCase(Locale.ROOT),
                id.kind() == NodeKind.ADDRESS ? id.key() : null, id.kind() == NodeKind.AGENT ? id.key() : null,
                n.destination(), n.firstSeen(), n.lastSeen(), n.observations(), RttView.of(n.rtt()), n.minMtu(),
                n.replyTypes().stream().map(ReplyType::label).toList(),
                n.mplsStacks().stream().map(stack -> stack.stream()
                        .map(m -> new MplsView(m.label(), m.tc(), m.s(), m.ttl())).toList()).toList(),
                n.agents(), hopDistance);
    }

    private static LinkView link(LinkSummary l) {
        return new LinkView(l.id().toString(), l.id().from().toString(), l.id().to().toString(),
                l.id().kind().name().toLowerCase(Locale.ROOT), l.firstSeen(), l.lastSeen(), l.observations(),
                l.ambiguousObservations(), l.minGap(), l.maxGap(), RttView.of(l.rtt()), l.mtu(), l.agents());
    }
}
