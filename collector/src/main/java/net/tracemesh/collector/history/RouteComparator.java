package net.tracemesh.collector.history;

import java.util.Optional;

/**
 * Compares routes allowing for silent hops.
 *
 * <p>Two routes are the <em>same</em> when they stop at the same TTL in the same way (reason and unreachable code)
 * and at every TTL their hops are equal or at least one is silent. A silent hop matches anything because a silent
 * TTL says nothing about the router there (rate limiting, a lost reply, a hop that never arrived). TTLs below a
 * route's first TTL were not probed and count as silent. Equal hops mean equal address sets: a per-packet balancer
 * answering one TTL from {a, b} in one trace and from {a} in the next makes different routes.
 */
public final class RouteComparator {
    private RouteComparator() {
    }

    public static boolean sameRoute(Route a, Route b) {
        return divergence(a, b).isEmpty();
    }

    /** Where the two routes part, or empty when they are the same. */
    public static Optional<Divergence> divergence(Route a, Route b) {
        int first = Math.min(a.firstTtl(), b.firstTtl());
        int last = Math.max(a.stopTtl(), b.stopTtl());
        int lastCommon = 0;
        RouteHop common = null;
        for (int ttl = first; ttl <= last; ttl++) {
            boolean aEnded = ttl > a.stopTtl();
            boolean bEnded = ttl > b.stopTtl();
            if (aEnded != bEnded) {
                return Optional.of(new Divergence(ttl, lastCommon, common));
            }
            RouteHop ha = a.hop(ttl).orElse(RouteHop.SILENT);
            RouteHop hb = b.hop(ttl).orElse(RouteHop.SILENT);
            if (!ha.matches(hb)) {
                return Optional.of(new Divergence(ttl, lastCommon, common));
            }
            if (!ha.isSilent() && ha.equals(hb)) {
                lastCommon = ttl;
                common = ha;
            }
        }
        if (!a.sameEnding(b)) {
            // Same length, matching hops, different verdict at the stop TTL (whose hops may well agree).
            int stop = a.stopTtl();
            int t = lastCommonBefore(a, b, stop);
            return Optional.of(new Divergence(stop, t, t == 0 ? null : a.hop(t).orElseThrow()));
        }
        return Optional.empty();
    }

    private static int lastCommonBefore(Route a, Route b, int ttl) {
        for (int t = ttl - 1; t >= Math.min(a.firstTtl(), b.firstTtl()); t--) {
            RouteHop ha = a.hop(t).orElse(RouteHop.SILENT);
            if (!ha.isSilent() && ha.equals(b.hop(t).orElse(RouteHop.SILENT))) {
                return t;
            }
        }
        return 0;
    }
}
