package net.tracemesh.web.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;

/**
 * How many TTLs each node of a subgraph lies from the nearest agent, for a layered map layout: agents are at 0, and
 * following a link forward adds one TTL, or for an indirect link one more than the silent TTLs it spans at least
 * (its smallest gap). So an address's distance is the smallest TTL at which a chain of the subgraph's links reaches
 * it. Nodes no agent of the subgraph reaches have no distance. Pure computation over the subgraph.
 */
public final class HopDistances {
    private HopDistances() {
    }

    /** The distance of every node an agent of {@code graph} reaches, by shortest path along the links. */
    public static Map<NodeId, Integer> of(Subgraph graph) {
        Map<NodeId, List<LinkSummary>> out = new HashMap<>();
        for (LinkSummary l : graph.links()) {
            out.computeIfAbsent(l.id().from(), n -> new ArrayList<>()).add(l);
        }
        Map<NodeId, Integer> distance = new HashMap<>();
        PriorityQueue<Reached> queue = new PriorityQueue<>();
        for (NodeSummary n : graph.nodes()) {
            if (n.id().kind() == NodeKind.AGENT) {
                distance.put(n.id(), 0);
                queue.add(new Reached(n.id(), 0));
            }
        }
        while (!queue.isEmpty()) {
            Reached r = queue.poll();
            if (r.distance() > distance.get(r.node())) {
                continue;
            }
            for (LinkSummary l : out.getOrDefault(r.node(), List.of())) {
                int d = r.distance() + length(l);
                Integer known = distance.get(l.id().to());
                if (known == null || d < known) {
                    distance.put(l.id().to(), d);
                    queue.add(new Reached(l.id().to(), d));
                }
            }
        }
        return distance;
    }

    /** TTLs a link spans: one, or for an indirect link one more than its smallest gap. */
    static int length(LinkSummary l) {
        return l.id().kind() == LinkKind.INDIRECT ? l.minGap() + 1 : 1;
    }

    private record Reached(NodeId node, int distance) implements Comparable<Reached> {
        @Override
        public int compareTo(Reached o) {
            int c = Integer.compare(distance, o.distance);
            return c != 0 ? c : node.compareTo(o.node);
        }
    }
}
