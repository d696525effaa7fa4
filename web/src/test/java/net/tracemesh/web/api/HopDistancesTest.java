package net.tracemesh.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import org.junit.jupiter.api.Test;

class HopDistancesTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final NodeId AGENT_A = NodeId.agent("a");
    private static final NodeId AGENT_B = NodeId.agent("b");
    private static final NodeId X = NodeId.address("198.18.0.1");
    private static final NodeId Y = NodeId.address("198.18.0.2");
    private static final NodeId Z = NodeId.address("198.18.0.3");
    private static final NodeId W = NodeId.address("198.18.0.9");
    private static final NodeId SILENT = new NodeId(NodeKind.ANONYMOUS, "a/t1/2");

    private static NodeSummary node(NodeId id) {
        return new NodeSummary(id, T, T, 1, false, new RttSummary(), null, new TreeSet<>(), List.of(),
                new TreeMap<>());
    }

    private static LinkSummary link(NodeId from, NodeId to, LinkKind kind, int gap) {
        return new LinkSummary(new LinkId(from, to, kind), T, T, 1, 0, gap, gap + 1, new RttSummary(), null,
                new TreeMap<>());
    }

    private static Subgraph graph(List<NodeId> nodes, List<LinkSummary> links) {
        List<NodeSummary> summaries = new ArrayList<>();
        nodes.stream().sorted().forEach(n -> summaries.add(node(n)));
        return new Subgraph(SubgraphFilter.everything(), summaries, links, summaries.size());
    }

    @Test
    void distancesFollowLinksFromTheAgentsCountingTheSilentTtlsOfIndirectLinks() {
        // a -> X ~(1 silent)~> Y; X -> * -> Z -> Y; W hangs off nothing
        Subgraph g = graph(List.of(AGENT_A, X, Y, Z, W, SILENT), List.of(
                link(AGENT_A, X, LinkKind.DIRECT, 0),
                link(X, Y, LinkKind.INDIRECT, 1),
                link(X, SILENT, LinkKind.PLACEHOLDER, 0),
                link(SILENT, Z, LinkKind.PLACEHOLDER, 0),
                link(Z, Y, LinkKind.DIRECT, 0)));
        Map<NodeId, Integer> d = HopDistances.of(g);
        assertThat(d).containsEntry(AGENT_A, 0).containsEntry(X, 1).containsEntry(SILENT, 2).containsEntry(Z, 3)
                .containsEntry(Y, 3).doesNotContainKey(W);
    }

    @Test
    void theNearestAgentCountsAndLinksAreFollowedForwardOnly() {
        Subgraph g = graph(List.of(AGENT_A, AGENT_B, X, Y, Z), List.of(
                link(AGENT_A, X, LinkKind.DIRECT, 0),
                link(X, Z, LinkKind.INDIRECT, 3),
                link(AGENT_B, Z, LinkKind.DIRECT, 0),
                link(Z, Y, LinkKind.DIRECT, 0),
                link(Y, X, LinkKind.DIRECT, 0)));
        Map<NodeId, Integer> d = HopDistances.of(g);
        assertThat(d).containsEntry(AGENT_B, 0).containsEntry(Z, 1).containsEntry(Y, 2).containsEntry(X, 1);
        assertThat(HopDistances.of(graph(List.of(X, Y), List.of(link(X, Y, LinkKind.DIRECT, 0))))).isEmpty();
    }
}
