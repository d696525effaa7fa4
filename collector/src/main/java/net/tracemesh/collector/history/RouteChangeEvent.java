package net.tracemesh.collector.history;

import java.time.Instant;

/**
 * A key's route changed.
 *
 * @param key           whose route
 * @param oldRoute      the route until now (with its silent hops filled in as far as they were known)
 * @param oldFirstSeen  when the old route was first seen in its period
 * @param oldLastSeen   when it was last seen
 * @param newRoute      the route now
 * @param divergence    where they part
 * @param time          when the new route was first seen (the start of the trace that showed it)
 */
public record RouteChangeEvent(RouteKey key, Route oldRoute, Instant oldFirstSeen, Instant oldLastSeen,
                               Route newRoute, Divergence divergence, Instant time) {
    public RouteChangeEvent {
        if (key == null || oldRoute == null || oldFirstSeen == null || oldLastSeen == null || newRoute == null
                || divergence == null || time == null) {
            throw new IllegalArgumentException("every field of a route change is required");
        }
    }

    /** The first TTL at which the routes differ. */
    public int divergenceTtl() {
        return divergence.ttl();
    }
}
