package net.tracemesh.collector.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.PlaceholderRuns;

/**
 * Decides which nodes of the candidates a subgraph keeps: pure computation, no database.
 *
 * <ol>
 *   <li>Address and agent nodes: every candidate, or, with a restriction (the nodes on routes toward a destination
 *       prefix), the candidates in it.</li>
 *   <li>Placeholders ({@link NodeKind#ANONYMOUS}): a run of placeholders chained by links (the silent TTLs of one
 *       trace) is kept only when a kept node links into it and a kept node is linked from it, so that it connects
 *       kept nodes; a run hanging off one side only is left out.</li>
 *   <li>Node limit: when more nodes matched, the address and agent nodes with the most observations are kept
 *       (ties broken by {@link NodeId} order), then whole placeholder runs (in the order of their smallest node id)
 *       that still connect kept nodes, as long as they fit.</li>
 * </ol>
 */
final class SubgraphSelection {
    /**
     * Which nodes are kept, and how many matched before the limit.
     *
     * @param kept    the nodes kept
     * @param matched how many nodes matched the filter
     */
    record Result(Set<NodeId> kept, int matched) {
    }

    private SubgraphSelection() {
    }

    /**
     * @param weights     every candidate node (seen by the chosen agents in the window) with its observations by them
     * @param restriction when not null, the only address and agent nodes allowed
     * @param links       the candidate links (seen by the chosen agents in the window)
     * @param limit       the most nodes to keep
     */
    static Result select(Map<NodeId, Long> weights, Set<NodeId> restriction, Collection<LinkId> links, int limit) {
        List<NodeId> named = new ArrayList<>();
        for (NodeId n : weights.keySet()) {
            if (n.kind() != NodeKind.ANONYMOUS && (restriction == null || restriction.contains(n))) {
                named.add(n);
            }
        }
        List<PlaceholderRuns.Run> runs = PlaceholderRuns.of(weights.keySet(), links);
        Set<NodeId> matchedNamed = new HashSet<>(named);
        int matched = named.size();
        for (PlaceholderRuns.Run r : runs) {
            if (r.connects(matchedNamed)) {
                matched += r.nodes().size();
            }
        }
        Set<NodeId> kept = mostObserved(named, weights, limit);
        Set<NodeId> keptNamed = Set.copyOf(kept);
        for (PlaceholderRuns.Run r : runs) {
            if (r.connects(keptNamed) && kept.size() + r.nodes().size() <= limit) {
                kept.addAll(r.nodes());
            }
        }
        return new Result(kept, matched);
    }

    /**
     * The {@code limit} nodes of {@code named} with the most observations (ties broken by {@link NodeId} order), or
     * all of them.
     */
    static Set<NodeId> mostObserved(Collection<NodeId> named, Map<NodeId, Long> weights, int limit) {
        List<NodeId> sorted = new ArrayList<>(named);
        sorted.sort(Comparator.comparing((NodeId n) -> weights.get(n)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        return new HashSet<>(sorted.subList(0, Math.min(limit, sorted.size())));
    }
}
