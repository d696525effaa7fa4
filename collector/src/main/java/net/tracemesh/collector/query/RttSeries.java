package net.tracemesh.collector.query;

import java.time.Instant;
import java.util.List;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.wire.Ipv4Address;

/**
 * The RTT of one address over time, as a key's traces measured it: one point per trace that still has its hop
 * records, oldest first.
 *
 * @param key       whose traces
 * @param address   the address followed (dotted): a hop of the route or the destination
 * @param from      start of the window
 * @param to        end of the window
 * @param points    one point per trace started in the window, oldest first
 * @param truncated whether the window held more traces than the limit: then the points are the latest ones
 */
public record RttSeries(RouteKey key, String address, Instant from, Instant to, List<Point> points,
                        boolean truncated) {
    public RttSeries {
        if (key == null || address == null || from == null || to == null || points == null) {
            throw new IllegalArgumentException("every field of an RTT series is required");
        }
        Ipv4Address.parse(address);
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("the window starts (" + from + ") after it ends (" + to + ")");
        }
        points = List.copyOf(points);
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).time().isBefore(points.get(i - 1).time())) {
                throw new IllegalArgumentException("the points of an RTT series are in time order");
            }
        }
    }

    /**
     * What one trace measured.
     *
     * @param time    when the trace started
     * @param traceId the agent's id of the trace
     * @param ttl     the smallest TTL at which the address answered in place, or null when it did not answer
     * @param rttMs   the median RTT of the address's replies at that TTL, or null when it did not answer
     */
    public record Point(Instant time, String traceId, Integer ttl, Double rttMs) {
        private static final int MAX_TTL = 255;

        public Point {
            if (time == null || traceId == null) {
                throw new IllegalArgumentException("the time and trace of an RTT point are required");
            }
            if ((ttl == null) != (rttMs == null)) {
                throw new IllegalArgumentException("an RTT point has both a TTL and an RTT, or neither");
            }
            if (ttl != null && (ttl < 1 || ttl > MAX_TTL)) {
                throw new IllegalArgumentException("a TTL is 1.." + MAX_TTL + ", got " + ttl);
            }
            if (rttMs != null && !(rttMs >= 0)) {
                throw new IllegalArgumentException("an RTT is >= 0 ms, got " + rttMs);
            }
        }

        /** Whether the address answered in this trace. */
        public boolean answered() {
            return ttl != null;
        }
    }
}
