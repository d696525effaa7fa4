package net.tracemesh.collector.query;

import java.time.Instant;
import net.tracemesh.collector.history.RouteKey;

/**
 * A key's current route in brief, as listed by {@link TopologyQueries#currentRoutes}: which period it is, when it
 * was first and last observed, in how many traces, and how many TTLs it spans.
 *
 * @param key          the agent, destination and method
 * @param period       the number of the current route period (1 for a key whose route never changed)
 * @param firstSeen    start of the first trace that showed the current route
 * @param lastSeen     start of the latest trace that showed it
 * @param observations how many traces showed it
 * @param hopCount     how many TTLs the route spans, from its first TTL to the one it stopped at
 */
public record RouteSummary(RouteKey key, int period, Instant firstSeen, Instant lastSeen, long observations,
                           int hopCount) {
    public RouteSummary {
        if (key == null || firstSeen == null || lastSeen == null) {
            throw new IllegalArgumentException("key, first seen and last seen of a route summary are required");
        }
        if (period < 1 || observations < 1 || hopCount < 1 || lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("the route summary of " + key + " is inconsistent");
        }
    }
}
