package net.tracemesh.collector.topology;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The runs of placeholders in a graph: placeholders ({@link NodeKind#ANONYMOUS}, the silent TTLs of one trace)
 * chained by links, with the other nodes that link into each run and that each run links to. A run connects nodes
 * when something links into it and it links to something; a run of silent TTLs at the end of a trace does not.
 */
public final class PlaceholderRuns {
    private PlaceholderRuns() {
    }

    /**
     * A chain of placeholders, with the non-placeholder nodes that link into it and that it links to.
     *
     * @param nodes  the placeholders of the run, in node order
     * @param before the nodes linking into the run
     * @param after  the nodes the run links to
     */
    public record Run(TreeSet<NodeId> nodes, Set<NodeId> before, Set<NodeId> after) {
        /** Whether a node of {@code kept} links into the run and the run links to a node of {@code kept}. */
        public boolean connects(Set<NodeId> kept) {
            return before.stream().anyMatch(kept::contains) && after.stream().anyMatch(kept::contains);
        }

        /** Whether anything links into the run and the run links to anything. */
        public boolean connects() {
            return !before.isEmpty() && !after.isEmpty();
        }
    }

    /** The runs among {@code candidates} (links with an end outside them are ignored), by their smallest node. */
    public static List<Run> of(Set<NodeId> candidates, Collection<LinkId> links) {
        return of(links, l -> candidates.contains(l.from()) && candidates.contains(l.to()));
    }

    /**
     * How many placeholders of a whole graph are in runs that connect nodes, from its links that touch
     * placeholders (every end of them being a node of the graph).
     */
    public static long connecting(Collection<LinkId> links) {
        long n = 0;
        for (Run r : of(links, l -> true)) {
            if (r.connects()) {
                n += r.nodes().size();
            }
        }
        return n;
    }

    private static List<Run> of(Collection<LinkId> links, Predicate<LinkId> inGraph) {
        Map<NodeId, List<LinkId>> touching = new HashMap<>();
        for (LinkId l : links) {
            if (!inGraph.test(l)) {
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

    /**
     * How many of one trace's placeholders are in runs that connect nodes of the trace. Placeholders belong to one
     * trace and link only within it, so summed over every trace this is how many placeholders of the whole graph
     * connect nodes, without reading the graph's placeholders.
     */
    public static int connecting(TraceObservations trace) {
        if (trace.nodes().stream().noneMatch(o -> o.node().kind() == NodeKind.ANONYMOUS)) {
            return 0;
        }
        Set<NodeId> nodes = new HashSet<>();
        trace.nodes().forEach(o -> nodes.add(o.node()));
        List<LinkId> links = new ArrayList<>();
        trace.links().forEach(o -> links.add(o.id()));
        int n = 0;
        for (Run r : of(nodes, links)) {
            if (r.connects()) {
                n += r.nodes().size();
            }
        }
        return n;
    }
}
