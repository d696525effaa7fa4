package net.tracemesh.collector.store;

import java.time.Instant;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteKey;

/** The {@code number}th distinct route of a key (from 1), with when it was first and last observed. */
public record RoutePeriod(RouteKey key, int number, Route route, Instant firstSeen, Instant lastSeen,
                          long observations) {
    public RoutePeriod {
        if (key == null || route == null || firstSeen == null || lastSeen == null) {
            throw new IllegalArgumentException("key, route, first seen and last seen are required");
        }
        if (number < 1 || observations < 1 || lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("route period " + number + " of " + key + " is inconsistent");
        }
    }
}
