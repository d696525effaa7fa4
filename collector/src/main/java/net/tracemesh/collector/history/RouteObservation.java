package net.tracemesh.collector.history;

import java.time.Instant;

/** What {@link RouteTracker#observe} made of one route. */
public sealed interface RouteObservation {
    RouteKey key();

    /** The first route ever seen for the key: a new history starts. */
    record First(RouteKey key, CurrentRoute current) implements RouteObservation {
    }

    /**
     * The same route as the current one (allowing for silent hops): its last-seen time and count moved on, and
     * silent hops of the stored route were filled in where this trace knew them.
     */
    record Unchanged(RouteKey key, CurrentRoute current) implements RouteObservation {
    }

    /** A different route: {@code current} starts a new period. */
    record Changed(RouteKey key, RouteChangeEvent event, CurrentRoute current) implements RouteObservation {
    }

    /**
     * A route observed before the current period's first-seen time, or a different route observed before its
     * last-seen time: it arrived out of order and belongs to history already decided. Nothing changed.
     */
    record Stale(RouteKey key, Route route, Instant time) implements RouteObservation {
    }
}
