package net.tracemesh.platform.lab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.tracemesh.collector.history.RouteChangeEvent;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.store.RoutePeriod;
import net.tracemesh.collector.store.StoreCounts;

/**
 * Everything a collector store holds about the graph and the route histories of some keys, read at one moment, so
 * two stores fed the same records can be compared field by field: every node and link summary (times, observation
 * counts, RTT summaries, vantage points with their counts), the row counts, and each key's route periods and changes.
 */
record GraphSnapshot(List<NodeSummary> nodes, List<LinkSummary> links, StoreCounts counts,
                     Map<RouteKey, List<RoutePeriod>> periods, Map<RouteKey, List<RouteChangeEvent>> changes) {
    /** How many differences {@link #differencesFrom} lists at most. */
    private static final int MAX_LISTED = 20;

    GraphSnapshot {
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
        Objects.requireNonNull(counts, "counts");
        periods = Map.copyOf(periods);
        changes = Map.copyOf(changes);
    }

    static GraphSnapshot of(CollectorStore store, Collection<RouteKey> keys) {
        Map<RouteKey, List<RoutePeriod>> periods = new LinkedHashMap<>();
        Map<RouteKey, List<RouteChangeEvent>> changes = new LinkedHashMap<>();
        for (RouteKey key : keys) {
            periods.put(key, store.routePeriods(key));
            changes.put(key, store.routeChanges(key));
        }
        return new GraphSnapshot(store.nodes(), store.links(), store.counts(), periods, changes);
    }

    /**
     * The ways {@code other} differs from this snapshot, one line each (at most {@value #MAX_LISTED} per part):
     * empty when they are identical.
     */
    List<String> differencesFrom(GraphSnapshot other) {
        List<String> out = graphDifferencesFrom(other);
        if (!counts.equals(other.counts)) {
            out.add("row counts: " + counts + " vs " + other.counts);
        }
        out.addAll(historyDifferencesFrom(other));
        return out;
    }

    /** How {@code other}'s nodes and links (with all their summaries) differ from these. */
    List<String> graphDifferencesFrom(GraphSnapshot other) {
        List<String> out = new ArrayList<>();
        compare("node", nodes, other.nodes, n -> n.id().toString(), out);
        compare("link", links, other.links, l -> l.id().toString() + " " + l.id().kind(), out);
        return out;
    }

    /** How {@code other}'s route periods and route changes differ from these, key by key. */
    private List<String> historyDifferencesFrom(GraphSnapshot other) {
        List<String> out = new ArrayList<>();
        for (RouteKey key : periods.keySet()) {
            if (!Objects.equals(periods.get(key), other.periods.get(key))) {
                out.add("route periods of " + key + ": " + periods.get(key) + " vs " + other.periods.get(key));
            }
            if (!Objects.equals(changes.get(key), other.changes.get(key))) {
                out.add("route changes of " + key + ": " + changes.get(key) + " vs " + other.changes.get(key));
            }
        }
        return out;
    }

    private static <T> void compare(String what, List<T> mine, List<T> theirs, Function<T, String> id,
                                    List<String> out) {
        Map<String, T> a = mine.stream().collect(Collectors.toMap(id, x -> x, (x, y) -> x, LinkedHashMap::new));
        Map<String, T> b = theirs.stream().collect(Collectors.toMap(id, x -> x, (x, y) -> x, LinkedHashMap::new));
        int listed = 0;
        for (Map.Entry<String, T> e : a.entrySet()) {
            T other = b.get(e.getKey());
            if (!e.getValue().equals(other) && listed++ < MAX_LISTED) {
                out.add(what + " " + e.getKey() + ": " + e.getValue() + " vs " + (other == null ? "absent" : other));
            }
        }
        for (String key : b.keySet()) {
            if (!a.containsKey(key) && listed++ < MAX_LISTED) {
                out.add(what + " " + key + ": absent vs " + b.get(key));
            }
        }
    }
}
