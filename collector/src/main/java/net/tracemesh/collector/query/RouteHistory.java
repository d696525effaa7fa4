package net.tracemesh.collector.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.tracemesh.collector.history.RouteChangeEvent;
import net.tracemesh.collector.history.RouteKey;

/**
 * The routes a key followed during a time window {@code [from, to]}: every route period in force at some time of the
 * window, oldest first, each with the part of the window it covered, and the route changes that happened in the
 * window.
 *
 * @param key     whose routes
 * @param from    start of the window
 * @param to      end of the window (not before {@code from})
 * @param periods the periods in force during the window, oldest first
 * @param changes the changes with a time in {@code [from, to]}, oldest first
 */
public record RouteHistory(RouteKey key, Instant from, Instant to, List<Period> periods,
                           List<RouteChangeEvent> changes) {
    public RouteHistory {
        if (key == null || from == null || to == null || periods == null || changes == null) {
            throw new IllegalArgumentException("every field of a route history is required");
        }
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("the window starts (" + from + ") after it ends (" + to + ")");
        }
        periods = List.copyOf(periods);
        changes = List.copyOf(changes);
        for (Period p : periods) {
            if (!p.route().key().equals(key) || p.start().isBefore(from) || p.end().isAfter(to)) {
                throw new IllegalArgumentException("period " + p.route().period().number() + " of "
                        + p.route().key() + " does not belong to the history of " + key + " in [" + from + ", " + to
                        + "]");
            }
        }
        for (RouteChangeEvent c : changes) {
            if (!c.key().equals(key) || c.time().isBefore(from) || c.time().isAfter(to)) {
                throw new IllegalArgumentException("the change of " + c.key() + " at " + c.time()
                        + " does not belong to the history of " + key + " in [" + from + ", " + to + "]");
            }
        }
    }

    /** The total time the window spans. */
    public Duration window() {
        return Duration.between(from, to);
    }

    /**
     * One period's share of the window: the time from {@code start} to {@code end} during which its route was in
     * force inside the window (the window cuts periods that began before it or lasted beyond it; the current route
     * is counted as in force up to the end of the window).
     *
     * @param route the period and when it was replaced
     * @param start the later of the period's first observation and the window's start
     * @param end   the earlier of the period's replacement and the window's end
     */
    public record Period(RouteAt route, Instant start, Instant end) {
        public Period {
            if (route == null || start == null || end == null) {
                throw new IllegalArgumentException("route, start and end of a history period are required");
            }
            if (end.isBefore(start)) {
                throw new IllegalArgumentException("a history period ends (" + end + ") before it starts (" + start
                        + ")");
            }
        }

        /** How long the route was in force inside the window. */
        public Duration duration() {
            return Duration.between(start, end);
        }
    }
}
