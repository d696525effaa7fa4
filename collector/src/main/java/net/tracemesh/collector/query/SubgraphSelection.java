package net.tracemesh.collector.query;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;

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
        List<Run> runs = runs(weights.keySet(), links);
        Set<NodeId> matchedNamed = new HashSet<>(named);
        int matched = named.size();
        for (Run r : runs) {
            if (r.connects(matchedNamed)) {
                matched += r.nodes().size();
            }
        }
        named.sort(Comparator.comparing((NodeId n) -> weights.get(n)).reversed()
                .thenComparing(Comparator.naturalOrder()));
        Set<NodeId> kept = new HashSet<>(named.subList(0, Math.min(limit, named.size())));
        Set<NodeId> keptNamed = Set.copyOf(kept);
        for (Run r : runs) {
            if (r.connects(keptNamed) && kept.size() + r.nodes().size() <= limit) {
                kept.addAll(r.nodes());
            }
        }
        return new Result(kept, matched);
    }

    /** A chain of placeholders, with the non-placeholder nodes that link into it and that it links to. */
    private record Run(TreeSet<NodeId> nodes, Set<NodeId> before, Set<NodeId> after) {
        boolean connects(Set<NodeId> kept) {
            return before.stream().anyMatch(kept::contains) && after.stream().anyMatch(kept::contains);
        }
    }

    /** The placeholder runs among the candidates, in the order of their smallest node. */
    private static List<Run> runs(Set<NodeId> candidates, Collection<LinkId> links) {
        Map<NodeId, List<LinkId>> touching = new HashMap<>();
        for (LinkId l : links) {
            if (!candidates.contains(l.from()) || !candidates.contains(l.to())) {
                continue;
            }
            if (l.from().kind() == NodeKind.ANONYMOUS) {
                touching.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l);
            }
            if (l.to().kind() == NodeKind.ANONYMOUS) {
                touching.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(l);
            }
        }
        Set<NodeId> placed = new HashSet<>();
        List<Run> runs = new ArrayList<>();
        for (NodeId start : new TreeSet<>(touching.keySet())) {
            if (placed.contains(start)) {
                continue;
            }
            Run run = new Run(new TreeSet<>(), new HashSet<>(), new HashSet<>());
            Deque<NodeId> todo = new ArrayDeque<>(List.of(start));
            placed.add(start);
            while (!todo.isEmpty()) {
                NodeId n = todo.pop();
                run.nodes().add(n);
                for (LinkId l : touching.get(n)) {
                    NodeId other = l.from().equals(n) ? l.to() : l.from();
                    if (other.kind() == NodeKind.ANONYMOUS) {
                        if (placed.add(other)) {
                            todo.push(other);
                        }
                    } else if (other.equals(l.from())) {
                        run.before().add(other);
                    } else {
                        run.after().add(other);
                    }
                }
            }
            runs.add(run);
        }
        return runs;
    }
}
