package net.tracemesh.collector.history;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.tracemesh.collector.assemble.AssembledTrace;

/**
 * Follows the current route of every (agent, destination, method) and tells when it changes.
 *
 * <p>Rules, for an observation of route {@code r} at time {@code t} (the trace's start):
 * <ul>
 *   <li>no current route: {@link RouteObservation.First};</li>
 *   <li>{@code t} before the current period's first-seen time: {@link RouteObservation.Stale} (out of order, the
 *       period it belongs to is over);</li>
 *   <li>{@code r} the {@linkplain RouteComparator#sameRoute same} as the current route: {@link
 *       RouteObservation.Unchanged}; last seen becomes the later of the two times, the count grows, and the stored
 *       route keeps every known address: a silent hop in {@code r} where the stored route has an address leaves the
 *       address, and an address in {@code r} where the stored route is silent fills it in (so a later route with a
 *       different address there is a change);</li>
 *   <li>{@code r} different and {@code t} before the current route's last-seen time: {@link
 *       RouteObservation.Stale};</li>
 *   <li>{@code r} different otherwise: {@link RouteObservation.Changed}, with the old route, the new one and where
 *       they part; {@code r} is the current route from {@code t} on.</li>
 * </ul>
 *
 * <p>State is one {@link CurrentRoute} per key (bounded by the number of measured paths, not by the stream), and a
 * tracker starts from a stored copy of it after a restart. Not thread-safe.
 */
public final class RouteTracker {
    private final Map<RouteKey, CurrentRoute> current;

    public RouteTracker() {
        this(Map.of());
    }

    /** A tracker going on from stored state (as {@link #snapshot()} gave it). */
    public RouteTracker(Map<RouteKey, CurrentRoute> restored) {
        if (restored == null) {
            throw new IllegalArgumentException("restored state is missing (use an empty map)");
        }
        this.current = new HashMap<>(restored);
    }

    /** Observes the route of a trace; empty when the trace has no completion (its route is unknown). */
    public Optional<RouteObservation> observe(AssembledTrace trace) {
        return Route.of(trace).map(r -> observe(RouteKey.of(trace), r, trace.start()));
    }

    public RouteObservation observe(RouteKey key, Route route, Instant time) {
        if (key == null || route == null || time == null) {
            throw new IllegalArgumentException("key, route and time are required");
        }
        CurrentRoute held = current.get(key);
        if (held == null) {
            CurrentRoute c = new CurrentRoute(route, time, time, 1);
            current.put(key, c);
            return new RouteObservation.First(key, c);
        }
        if (time.isBefore(held.firstSeen())) {
            return new RouteObservation.Stale(key, route, time);
        }
        Optional<Divergence> divergence = RouteComparator.divergence(held.route(), route);
        if (divergence.isEmpty()) {
            Instant last = time.isAfter(held.lastSeen()) ? time : held.lastSeen();
            CurrentRoute c = new CurrentRoute(held.route().fillSilentFrom(route), held.firstSeen(), last,
                    held.observations() + 1);
            current.put(key, c);
            return new RouteObservation.Unchanged(key, c);
        }
        if (time.isBefore(held.lastSeen())) {
            return new RouteObservation.Stale(key, route, time);
        }
        CurrentRoute c = new CurrentRoute(route, time, time, 1);
        current.put(key, c);
        RouteChangeEvent event = new RouteChangeEvent(key, held.route(), held.firstSeen(), held.lastSeen(), route,
                divergence.get(), time);
        return new RouteObservation.Changed(key, event, c);
    }

    /** The current route of {@code key}, if one was seen. */
    public Optional<CurrentRoute> current(RouteKey key) {
        return Optional.ofNullable(current.get(key));
    }

    /** A copy of the whole state, to store. */
    public Map<RouteKey, CurrentRoute> snapshot() {
        return Map.copyOf(current);
    }

    /** Number of keys followed. */
    public int size() {
        return current.size();
    }
}
