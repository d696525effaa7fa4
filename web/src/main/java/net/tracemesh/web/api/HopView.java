package net.tracemesh.web.api;

import java.util.ArrayList;
import java.util.List;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteHop;

/**
 * One TTL of a route in the API: {@code {"ttl", "addresses", "silent"}}.
 *
 * @param ttl       the TTL
 * @param addresses the addresses that answered it in place, sorted; empty when silent
 * @param silent    whether no reply came from this TTL
 */
public record HopView(int ttl, List<String> addresses, boolean silent) {
    public HopView {
        if (ttl < 1 || addresses == null) {
            throw new IllegalArgumentException("a hop has a TTL >= 1 and addresses");
        }
        addresses = List.copyOf(addresses);
    }

    public static HopView of(int ttl, RouteHop hop) {
        return new HopView(ttl, hop.addresses(), hop.isSilent());
    }

    /** Every TTL of a route, from its first to the one it stopped at. */
    public static List<HopView> list(Route route) {
        List<HopView> out = new ArrayList<>(route.hops().size());
        for (int ttl = route.firstTtl(); ttl <= route.stopTtl(); ttl++) {
            out.add(of(ttl, route.hop(ttl).orElseThrow()));
        }
        return out;
    }
}
