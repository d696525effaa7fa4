package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.LinkObservation;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeObservation;
import net.tracemesh.collector.topology.TraceObservations;
import net.tracemesh.measurement.MeasurementMethod;
import org.junit.jupiter.api.Test;

/** The sums a batch hands the store: one row per node, link and (node or link, agent), in primary-key order. */
class GraphBatchTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final NodeId A = NodeId.address("198.18.0.1");
    private static final NodeId B = NodeId.address("198.18.0.2");
    private static final NodeId C = NodeId.address("198.18.0.10");

    /** A trace of {@code agent} at {@code minute} through {@code path} (addresses at TTL 1, 2, ...). */
    private static TraceObservations trace(String agent, String traceId, int minute, NodeId... path) {
        Instant at = T0.plusSeconds(60L * minute);
        TraceKey key = new TraceKey(agent, traceId);
        List<NodeObservation> nodes = new ArrayList<>();
        List<LinkObservation> links = new ArrayList<>();
        NodeId agentNode = NodeId.agent(agent);
        nodes.add(new NodeObservation(agentNode, agent, at, false, List.of(), List.of(), new TreeSet<>(), List.of(),
                null));
        NodeId previous = agentNode;
        for (int i = 0; i < path.length; i++) {
            nodes.add(new NodeObservation(path[i], agent, at, i == path.length - 1, List.of(i + 1), List.of(1.0 + i),
                    new TreeSet<>(), List.of(), null));
            links.add(new LinkObservation(previous, path[i], LinkKind.DIRECT, i, i + 1, false, agent, at,
                    List.of(1.0 + i), null));
            previous = path[i];
        }
        String dst = path[path.length - 1].key();
        return new TraceObservations(key, "m1", MeasurementMethod.ICMP_PARIS, "198.18.100.1", dst, at, true, null,
                nodes, links);
    }

    @Test
    void rowsComeInPrimaryKeyOrderWithOneRowPerAgent() {
        GraphBatch batch = new GraphBatch();
        // added out of order, agents interleaved, one node seen by three agents and twice by one of them
        batch.add(trace("vp-c", "t1", 3, C, B));
        batch.add(trace("vp-a", "t2", 1, A, B));
        batch.add(trace("vp-b", "t3", 2, A, B));
        batch.add(trace("vp-a", "t4", 5, A, B));

        GraphBatch.Rows rows = batch.inKeyOrder();

        List<NodeId> nodes = rows.nodes().stream().map(Map.Entry::getKey).toList();
        assertThat(nodes).isSorted().doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(A, B, C, NodeId.agent("vp-a"), NodeId.agent("vp-b"), NodeId.agent("vp-c"));
        List<LinkId> links = rows.links().stream().map(Map.Entry::getKey).toList();
        assertThat(links).isSorted().doesNotHaveDuplicates().hasSize(5);

        List<String> seenOfB = rows.nodeAgents().stream().filter(e -> e.getKey().item().equals(B))
                .map(e -> e.getKey().agentId()).toList();
        assertThat(seenOfB).containsExactly("vp-a", "vp-b", "vp-c");
        assertInKeyOrder(rows.nodeAgents());
        assertInKeyOrder(rows.linkAgents());

        GraphBatch.SeenDelta bByA = rows.nodeAgents().stream()
                .filter(e -> e.getKey().item().equals(B) && e.getKey().agentId().equals("vp-a"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(bByA.observations).isEqualTo(2);
        assertThat(bByA.firstSeen).isEqualTo(T0.plusSeconds(60));
        assertThat(bByA.lastSeen).isEqualTo(T0.plusSeconds(300));

        GraphBatch.NodeDelta b = rows.nodes().stream().filter(e -> e.getKey().equals(B)).map(Map.Entry::getValue)
                .findFirst().orElseThrow();
        assertThat(b.observations).isEqualTo(4);
        long perAgent = rows.nodeAgents().stream().filter(e -> e.getKey().item().equals(B))
                .mapToLong(e -> e.getValue().observations).sum();
        assertThat(perAgent).isEqualTo(b.observations);
    }

    /** Per-agent rows strictly in the order of their table's key: the node's or link's id, then the agent. */
    private static <K extends Comparable<K>> void assertInKeyOrder(
            List<Map.Entry<GraphBatch.Seen<K>, GraphBatch.SeenDelta>> rows) {
        for (int i = 1; i < rows.size(); i++) {
            GraphBatch.Seen<K> before = rows.get(i - 1).getKey();
            GraphBatch.Seen<K> after = rows.get(i).getKey();
            int c = before.item().compareTo(after.item());
            assertThat(c < 0 || c == 0 && before.agentId().compareTo(after.agentId()) < 0)
                    .as("%s before %s", before, after).isTrue();
        }
    }

    @Test
    void placeholdersAndTheirLinksAreLeftToTheirTracesRows() {
        GraphBatch batch = new GraphBatch();
        TraceKey key = new TraceKey("vp-a", "t9");
        NodeId agent = NodeId.agent("vp-a");
        NodeId silent = NodeId.anonymous(key, 1);
        List<NodeObservation> nodes = List.of(
                new NodeObservation(agent, "vp-a", T0, false, List.of(), List.of(), new TreeSet<>(), List.of(), null),
                new NodeObservation(silent, "vp-a", T0, false, List.of(1), List.of(), new TreeSet<>(), List.of(),
                        null),
                new NodeObservation(B, "vp-a", T0, true, List.of(2), List.of(2.0), new TreeSet<>(), List.of(), null));
        List<LinkObservation> links = List.of(
                new LinkObservation(agent, silent, LinkKind.PLACEHOLDER, 0, 1, false, "vp-a", T0, List.of(), null),
                new LinkObservation(silent, B, LinkKind.PLACEHOLDER, 1, 2, false, "vp-a", T0, List.of(2.0), null),
                new LinkObservation(agent, B, LinkKind.INDIRECT, 0, 2, false, "vp-a", T0, List.of(2.0), null));
        batch.add(new TraceObservations(key, "m1", MeasurementMethod.ICMP_PARIS, "198.18.100.1", B.key(), T0, true,
                null, nodes, links));

        GraphBatch.Rows rows = batch.inKeyOrder();

        assertThat(rows.nodes()).extracting(Map.Entry::getKey).containsExactly(B, agent);
        assertThat(rows.nodeAgents()).extracting(e -> e.getKey().item()).containsExactly(B, agent);
        assertThat(rows.links()).extracting(e -> e.getKey().kind()).containsExactly(LinkKind.INDIRECT);
        assertThat(rows.linkAgents()).extracting(e -> e.getKey().item().kind()).containsExactly(LinkKind.INDIRECT);
    }

    @Test
    void noTraceJoinsOnceTheRowsAreInKeyOrder() {
        GraphBatch batch = new GraphBatch();
        batch.add(trace("vp-a", "t1", 0, A));
        batch.inKeyOrder();
        assertThatThrownBy(() -> batch.add(trace("vp-a", "t2", 1, B))).isInstanceOf(IllegalStateException.class);
    }
}
