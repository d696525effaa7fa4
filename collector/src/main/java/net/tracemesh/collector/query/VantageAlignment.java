package net.tracemesh.collector.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.collector.query.VantageComparison.AgentHop;
import net.tracemesh.collector.query.VantageComparison.Convergence;
import net.tracemesh.collector.query.VantageComparison.HopAt;
import net.tracemesh.collector.query.VantageComparison.Row;
import net.tracemesh.collector.query.VantageComparison.SharedHop;
import net.tracemesh.record.HopRecord;

/**
 * Lines routes of several agents up: pure computation, no database.
 *
 * <ul>
 *   <li>Rows: for every TTL from the smallest first TTL to the largest stop TTL, each route's hop there, with the
 *       median RTT of the agent's positional replies at that TTL (fragmentation-needed reports do not count).</li>
 *   <li>Shared hops: every address on two or more routes, with each agent's smallest TTL for it and the median RTT
 *       of that agent's replies from that address at that TTL.</li>
 *   <li>Convergence: the routes, stripped of trailing silent hops, are aligned at their ends and walked backwards
 *       while, at each position, the known hops are all equal (a silent hop matches anything). The earliest position
 *       of that common tail at which every route has the same known hop is where they converge. Routes that end at
 *       different hops do not converge.</li>
 * </ul>
 */
final class VantageAlignment {
    private VantageAlignment() {
    }

    /**
     * The rows of the routes.
     *
     * @param routes  each agent's route, in the order to report
     * @param replies each agent's hop records, absent for an agent whose RTTs are unknown
     */
    static List<Row> rows(Map<String, Route> routes, Map<String, List<HopRecord>> replies) {
        if (routes.isEmpty()) {
            return List.of();
        }
        int first = routes.values().stream().mapToInt(Route::firstTtl).min().orElseThrow();
        int last = routes.values().stream().mapToInt(Route::stopTtl).max().orElseThrow();
        List<Row> rows = new ArrayList<>(last - first + 1);
        for (int ttl = first; ttl <= last; ttl++) {
            SortedMap<String, AgentHop> byAgent = new TreeMap<>();
            for (Map.Entry<String, Route> e : routes.entrySet()) {
                int t = ttl;
                e.getValue().hop(ttl).ifPresent(hop -> byAgent.put(e.getKey(),
                        new AgentHop(hop, median(replies.get(e.getKey()), t, null))));
            }
            rows.add(new Row(ttl, byAgent));
        }
        return rows;
    }

    /** The addresses on two or more of the routes, by smallest TTL, then address. */
    static List<SharedHop> sharedHops(Map<String, Route> routes, Map<String, List<HopRecord>> replies) {
        Map<String, SortedMap<String, HopAt>> byAddress = new LinkedHashMap<>();
        for (Map.Entry<String, Route> e : routes.entrySet()) {
            Route r = e.getValue();
            for (int ttl = r.firstTtl(); ttl <= r.stopTtl(); ttl++) {
                for (String address : r.hop(ttl).orElseThrow().addresses()) {
                    SortedMap<String, HopAt> seen = byAddress.computeIfAbsent(address, a -> new TreeMap<>());
                    if (!seen.containsKey(e.getKey())) {
                        seen.put(e.getKey(), new HopAt(ttl, median(replies.get(e.getKey()), ttl, address)));
                    }
                }
            }
        }
        List<SharedHop> shared = new ArrayList<>();
        byAddress.forEach((address, byAgent) -> {
            if (byAgent.size() >= 2) {
                shared.add(new SharedHop(address, byAgent));
            }
        });
        shared.sort(Comparator.comparingInt((SharedHop s) -> s.byAgent().values().stream().mapToInt(HopAt::ttl)
                .min().orElseThrow()).thenComparing(SharedHop::address));
        return shared;
    }

    /** Where the routes join for good, or null when they do not (or there are fewer than two). */
    static Convergence convergence(Map<String, Route> routes) {
        if (routes.size() < 2) {
            return null;
        }
        Map<String, List<RouteHop>> tails = new LinkedHashMap<>();
        Map<String, Integer> lastKnownTtl = new LinkedHashMap<>();
        for (Map.Entry<String, Route> e : routes.entrySet()) {
            Route r = e.getValue();
            int end = r.stopTtl();
            while (end >= r.firstTtl() && r.hop(end).orElseThrow().isSilent()) {
                end--;
            }
            if (end < r.firstTtl()) {
                return null;
            }
            tails.put(e.getKey(), r.hops().subList(0, end - r.firstTtl() + 1));
            lastKnownTtl.put(e.getKey(), end);
        }
        int shortest = tails.values().stream().mapToInt(List::size).min().orElseThrow();
        RouteHop joined = null;
        int joinedBack = -1;
        for (int back = 0; back < shortest; back++) {
            RouteHop known = null;
            boolean allKnown = true;
            for (List<RouteHop> tail : tails.values()) {
                RouteHop h = tail.get(tail.size() - 1 - back);
                if (h.isSilent()) {
                    allKnown = false;
                } else if (known == null) {
                    known = h;
                } else if (!known.equals(h)) {
                    return joined == null ? null : convergenceAt(joined, joinedBack, lastKnownTtl);
                }
            }
            if (allKnown) {
                joined = known;
                joinedBack = back;
            }
        }
        return joined == null ? null : convergenceAt(joined, joinedBack, lastKnownTtl);
    }

    private static Convergence convergenceAt(RouteHop hop, int back, Map<String, Integer> lastKnownTtl) {
        SortedMap<String, Integer> ttls = new TreeMap<>();
        lastKnownTtl.forEach((agent, last) -> ttls.put(agent, last - back));
        return new Convergence(hop, ttls);
    }

    /**
     * The median RTT of the positional replies at {@code ttl} (from {@code address} only, when given); null when the
     * replies are unknown or there are none.
     */
    static Double median(List<HopRecord> replies, int ttl, String address) {
        if (replies == null) {
            return null;
        }
        double[] rtts = replies.stream()
                .filter(h -> h.ttl() == ttl && AssembledTrace.isPositional(h)
                        && (address == null || address.equals(h.addr())))
                .mapToDouble(HopRecord::rttMs).sorted().toArray();
        if (rtts.length == 0) {
            return null;
        }
        int mid = rtts.length / 2;
        return rtts.length % 2 == 1 ? rtts[mid] : (rtts[mid - 1] + rtts[mid]) / 2;
    }
}
