package net.tracemesh.collector.history;

import java.time.Instant;

/**
 * The route a key follows now, and since when: what a store keeps per {@link RouteKey} so a restarted collector goes
 * on from it.
 *
 * @param route        the route, with silent hops filled in from the observations of this period that knew them
 * @param firstSeen    start of the first trace that showed it in this period
 * @param lastSeen     start of the latest trace that showed it
 * @param observations how many traces showed it in this period
 */
public record CurrentRoute(Route route, Instant firstSeen, Instant lastSeen, long observations) {
    public CurrentRoute {
        if (route == null || firstSeen == null || lastSeen == null) {
            throw new IllegalArgumentException("route, first seen and last seen are required");
        }
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("last seen " + lastSeen + " is before first seen " + firstSeen);
        }
        if (observations < 1) {
            throw new IllegalArgumentException("a current route was observed at least once, got " + observations);
        }
    }
}
