package net.tracemesh.collector.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.store.RoutePeriod;

/**
 * One route period of a key seen as a span of time in which the route was in force: from the period's first
 * observation until the next period's first observation (when the route changed), or, for the current route,
 * from its first observation on.
 *
 * @param period     the stored period (route, first and last seen, observations)
 * @param replacedAt when the next period began, or null when this is the current route
 */
public record RouteAt(RoutePeriod period, Instant replacedAt) {
    public RouteAt {
        if (period == null) {
            throw new IllegalArgumentException("the route period is missing");
        }
        if (replacedAt != null && replacedAt.isBefore(period.lastSeen())) {
            throw new IllegalArgumentException("period " + period.number() + " of " + period.key()
                    + " cannot be replaced at " + replacedAt + ", before it was last seen at " + period.lastSeen());
        }
    }

    public RouteKey key() {
        return period.key();
    }

    public Route route() {
        return period.route();
    }

    /** Whether this is the key's current route (no later period). */
    public boolean current() {
        return replacedAt == null;
    }

    /** How long the route was in force, from its first observation to its replacement; empty while current. */
    public Optional<Duration> duration() {
        return current() ? Optional.empty() : Optional.of(Duration.between(period.firstSeen(), replacedAt));
    }

    /** Whether the route was in force at {@code t}: first seen at or before it, and not yet replaced. */
    public boolean inForceAt(Instant t) {
        return !t.isBefore(period.firstSeen()) && (replacedAt == null || t.isBefore(replacedAt));
    }
}
