package net.tracemesh.collector.store;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import net.tracemesh.collector.KeyHash;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.LinkObservation;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.NodeObservation;
import net.tracemesh.collector.topology.ReplyType;
import net.tracemesh.collector.topology.TraceObservations;

/**
 * The graph rows a batch of traces touches, each with the sum of what the batch saw of it: so a node seen by a
 * thousand traces of a batch is read and written once, not a thousand times. Combining is the same as the store's
 * row merge (earliest first seen, latest last seen, counts added, RTT summaries merged, sets united, smallest MTU),
 * so applying a batch at once gives the rows that applying its traces one by one would.
 */
final class GraphBatch {
    /** Sum of a batch's observations of one node. */
    static final class NodeDelta {
        Instant firstSeen;
        Instant lastSeen;
        long observations;
        boolean destination;
        final RttSummary rtt = new RttSummary();
        Integer mtu;
        final SortedSet<ReplyType> replyTypes = new TreeSet<>();
        final SortedSet<String> mplsStacks = new TreeSet<>();
    }

    /** Sum of a batch's observations of one link. */
    static final class LinkDelta {
        Instant firstSeen;
        Instant lastSeen;
        long observations;
        long ambiguousObservations;
        int minGap = Integer.MAX_VALUE;
        int maxGap = Integer.MIN_VALUE;
        final RttSummary rtt = new RttSummary();
        Integer mtu;
    }

    /** Sum of a batch's observations of one node or link by one vantage point. */
    static final class SeenDelta {
        Instant firstSeen;
        Instant lastSeen;
        long observations;

        void add(Instant at) {
            firstSeen = firstSeen == null || at.isBefore(firstSeen) ? at : firstSeen;
            lastSeen = lastSeen == null || at.isAfter(lastSeen) ? at : lastSeen;
            observations++;
        }
    }

    /** A node or link and the vantage point that saw it. */
    record Seen<K>(K item, String agentId) {
        /** Written out, as the items' own: a record's generated {@code equals} goes through method handles. */
        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Seen<?> s && item.equals(s.item) && agentId.equals(s.agentId);
        }

        @Override
        public int hashCode() {
            return KeyHash.combine(item.hashCode(), agentId.hashCode());
        }
    }

    // Summed in hash maps (one lookup per observation), then handed out in key order, as the tables' primary keys:
    // consecutive writes then fall on the same pages.
    private final Map<NodeId, NodeDelta> nodeSums = new HashMap<>();
    private final Map<Seen<NodeId>, SeenDelta> nodeAgentSums = new HashMap<>();
    private final Map<LinkId, LinkDelta> linkSums = new HashMap<>();
    private final Map<Seen<LinkId>, SeenDelta> linkAgentSums = new HashMap<>();
    private Rows inKeyOrder;

    /** Adds one trace's observations to the sums; not once they were put in key order. */
    void add(TraceObservations t) {
        if (inKeyOrder != null) {
            throw new IllegalStateException("the batch's sums are in key order already: no trace can be added");
        }
        // a placeholder and its links are seen by their trace's agent alone: their rows say it all, and they have no
        // per-agent rows (NodeId#placeholderAgent)
        for (NodeObservation n : t.nodes()) {
            addNode(nodeSums.computeIfAbsent(n.node(), k -> new NodeDelta()), n);
            if (n.node().kind() != NodeKind.ANONYMOUS) {
                nodeAgentSums.computeIfAbsent(new Seen<>(n.node(), n.agentId()), k -> new SeenDelta())
                        .add(n.observedAt());
            }
        }
        for (LinkObservation l : t.links()) {
            LinkId id = l.id();
            addLink(linkSums.computeIfAbsent(id, k -> new LinkDelta()), l);
            if (id.kind() != LinkKind.PLACEHOLDER) {
                linkAgentSums.computeIfAbsent(new Seen<>(id, l.agentId()), k -> new SeenDelta())
                        .add(l.observedAt());
            }
        }
    }

    /** A batch's sums in the order of the tables' primary keys. */
    record Rows(Map<NodeId, NodeDelta> nodes, Map<Seen<NodeId>, SeenDelta> nodeAgents, Map<LinkId, LinkDelta> links,
                Map<Seen<LinkId>, SeenDelta> linkAgents) {
    }

    /**
     * The sums in key order, put so once: by the store when it writes them, or earlier by the thread that gathered
     * the batch if it has to wait for the store anyway. Writing them does not change them, so a retried transaction
     * writes the same.
     */
    Rows inKeyOrder() {
        if (inKeyOrder == null) {
            inKeyOrder = new Rows(sorted(nodeSums, Comparator.naturalOrder()), sorted(nodeAgentSums, seenOrder()),
                    sorted(linkSums, Comparator.naturalOrder()), sorted(linkAgentSums, seenOrder()));
        }
        return inKeyOrder;
    }

    /** The order of a per-agent table's primary key: the node's or link's key, then the agent. */
    private static <K extends Comparable<K>> Comparator<Seen<K>> seenOrder() {
        return Comparator.comparing((Seen<K> s) -> s.item()).thenComparing(Seen::agentId);
    }

    private static <K, V> Map<K, V> sorted(Map<K, V> sums, Comparator<? super K> order) {
        Map<K, V> sorted = new TreeMap<>(order);
        sorted.putAll(sums);
        return sorted;
    }

    private static void addNode(NodeDelta d, NodeObservation n) {
        Instant at = n.observedAt();
        d.firstSeen = d.firstSeen == null || at.isBefore(d.firstSeen) ? at : d.firstSeen;
        d.lastSeen = d.lastSeen == null || at.isAfter(d.lastSeen) ? at : d.lastSeen;
        d.observations++;
        d.destination |= n.destination();
        for (double ms : n.rttsMs()) {
            d.rtt.add(ms, at);
        }
        d.mtu = CollectorStore.minInteger(d.mtu, n.mtu());
        d.replyTypes.addAll(n.replyTypes());
        n.mplsStacks().forEach(s -> d.mplsStacks.add(ColumnCodec.stack(s)));
    }

    private static void addLink(LinkDelta d, LinkObservation l) {
        Instant at = l.observedAt();
        d.firstSeen = d.firstSeen == null || at.isBefore(d.firstSeen) ? at : d.firstSeen;
        d.lastSeen = d.lastSeen == null || at.isAfter(d.lastSeen) ? at : d.lastSeen;
        d.observations++;
        d.ambiguousObservations += l.ambiguous() ? 1 : 0;
        d.minGap = Math.min(d.minGap, l.gap());
        d.maxGap = Math.max(d.maxGap, l.gap());
        for (double ms : l.rttsMs()) {
            d.rtt.add(ms, at);
        }
        d.mtu = CollectorStore.minInteger(d.mtu, l.mtu());
    }
}
