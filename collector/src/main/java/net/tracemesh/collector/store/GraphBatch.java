package net.tracemesh.collector.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
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
        /** What each vantage point saw of the node. */
        final AgentSums agents = new AgentSums();
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
        /** What each vantage point saw of the link. */
        final AgentSums agents = new AgentSums();
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

    /** The sums of one node or link per vantage point: none until one is added. */
    static final class AgentSums {
        private Map<String, SeenDelta> byAgent;

        void add(String agentId, Instant at) {
            if (byAgent == null) {
                byAgent = new HashMap<>(4);
            }
            byAgent.computeIfAbsent(agentId, k -> new SeenDelta()).add(at);
        }

        /** The sums, iterated in order of agent id. */
        Map<String, SeenDelta> inOrder() {
            if (byAgent == null) {
                return Map.of();
            }
            return byAgent.size() == 1 ? byAgent : new TreeMap<>(byAgent);
        }
    }

    /** A node or link and the vantage point that saw it: the key of a per-agent row. */
    record Seen<K>(K item, String agentId) {
    }

    // Summed in hash maps (one lookup per observation, the vantage points' sums inside each item's), then handed out
    // in key order, as the tables' primary keys: consecutive writes then fall on the same pages.
    private final Map<NodeId, NodeDelta> nodeSums = new HashMap<>();
    private final Map<LinkId, LinkDelta> linkSums = new HashMap<>();
    private Rows inKeyOrder;

    /**
     * Adds one trace's observations of addresses and agents, and of the links between them, to the sums; not once
     * they were put in key order.
     */
    void add(TraceObservations t) {
        if (inKeyOrder != null) {
            throw new IllegalStateException("the batch's sums are in key order already: no trace can be added");
        }
        // a placeholder and its links belong to one trace: its row keeps them (TraceBatch.Placeholders), not the graph
        for (NodeObservation n : t.nodes()) {
            if (n.node().kind() != NodeKind.ANONYMOUS) {
                NodeDelta d = nodeSums.computeIfAbsent(n.node(), k -> new NodeDelta());
                addNode(d, n);
                d.agents.add(n.agentId(), n.observedAt());
            }
        }
        for (LinkObservation l : t.links()) {
            LinkId id = l.id();
            if (id.kind() != LinkKind.PLACEHOLDER) {
                LinkDelta d = linkSums.computeIfAbsent(id, k -> new LinkDelta());
                addLink(d, l);
                d.agents.add(l.agentId(), l.observedAt());
            }
        }
    }

    /**
     * A batch's rows in the order of the tables' primary keys: nodes and links by their ids, per-agent rows by
     * their node's or link's id, then agent.
     */
    record Rows(List<Map.Entry<NodeId, NodeDelta>> nodes, List<Map.Entry<Seen<NodeId>, SeenDelta>> nodeAgents,
                List<Map.Entry<LinkId, LinkDelta>> links, List<Map.Entry<Seen<LinkId>, SeenDelta>> linkAgents) {
    }

    /**
     * The sums in key order, put so once: by the store when it writes them, or earlier by the thread that gathered
     * the batch if it has to wait for the store anyway. Writing them does not change them, so a retried transaction
     * writes the same.
     */
    Rows inKeyOrder() {
        if (inKeyOrder == null) {
            List<Map.Entry<NodeId, NodeDelta>> nodes = sorted(nodeSums);
            List<Map.Entry<LinkId, LinkDelta>> links = sorted(linkSums);
            inKeyOrder = new Rows(nodes, perAgent(nodes, d -> d.agents), links, perAgent(links, d -> d.agents));
        }
        return inKeyOrder;
    }

    /** The sums' entries, sorted by key (as an array: no tree of them is needed, only their order). */
    private static <K extends Comparable<K>, V> List<Map.Entry<K, V>> sorted(Map<K, V> sums) {
        @SuppressWarnings("unchecked")
        Map.Entry<K, V>[] entries = sums.entrySet().toArray(new Map.Entry[0]);
        Arrays.sort(entries, Map.Entry.comparingByKey());
        return Arrays.asList(entries);
    }

    /** The per-agent rows of items in key order: each item's vantage points, by agent id. */
    private static <K, D> List<Map.Entry<Seen<K>, SeenDelta>> perAgent(List<Map.Entry<K, D>> items,
                                                                       Function<D, AgentSums> agents) {
        List<Map.Entry<Seen<K>, SeenDelta>> out = new ArrayList<>();
        for (Map.Entry<K, D> item : items) {
            agents.apply(item.getValue()).inOrder()
                    .forEach((agent, d) -> out.add(Map.entry(new Seen<>(item.getKey(), agent), d)));
        }
        return out;
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
