package net.tracemesh.collector.history;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.TraceEnding;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.StopReason;

/**
 * The hop sequence one trace saw toward its destination: for every TTL from the first probed to the one the trace
 * stopped at, the addresses that answered it in place (or a silent hop), and how the trace ended.
 *
 * @param firstTtl     TTL of the first hop
 * @param hops         one hop per TTL from {@code firstTtl} to the stop TTL; never empty
 * @param stopReason   why the trace stopped
 * @param stopIcmpCode the unreachable code when the trace stopped on an unreachable, else null
 */
public record Route(int firstTtl, List<RouteHop> hops, StopReason stopReason, Integer stopIcmpCode) {
    private static final int MAX_TTL = 255;

    public Route {
        if (hops == null || hops.isEmpty()) {
            throw new IllegalArgumentException("a route has at least one hop");
        }
        if (firstTtl < 1 || firstTtl + hops.size() - 1 > MAX_TTL) {
            throw new IllegalArgumentException("a route's TTLs must lie in 1.." + MAX_TTL + ", got " + firstTtl + ".."
                    + (firstTtl + hops.size() - 1));
        }
        if (stopReason == null) {
            throw new IllegalArgumentException("stop reason is missing");
        }
        if ((stopReason == StopReason.UNREACHABLE) != (stopIcmpCode != null)) {
            throw new IllegalArgumentException("stop icmp code is present exactly when the stop reason is unreachable");
        }
        hops = List.copyOf(hops);
    }

    /**
     * The route of a trace, when its completion arrived (without one, neither its length nor how it ended is known).
     * Hops that never arrived, in a trace closed by timeout, show as silent: they match anything.
     */
    public static Optional<Route> of(AssembledTrace trace) {
        TraceEnding e = trace.ending();
        if (e == null) {
            return Optional.empty();
        }
        Map<Integer, Set<String>> byTtl = new TreeMap<>();
        for (HopRecord h : trace.hops()) {
            if (AssembledTrace.isPositional(h) && h.ttl() >= e.firstTtl() && h.ttl() <= e.stopTtl()) {
                byTtl.computeIfAbsent(h.ttl(), t -> new LinkedHashSet<>()).add(h.addr());
            }
        }
        List<RouteHop> hops = new ArrayList<>(e.stopTtl() - e.firstTtl() + 1);
        for (int ttl = e.firstTtl(); ttl <= e.stopTtl(); ttl++) {
            Set<String> a = byTtl.get(ttl);
            hops.add(a == null ? RouteHop.SILENT : new RouteHop(List.copyOf(a)));
        }
        return Optional.of(new Route(e.firstTtl(), hops, e.stopReason(), e.stopIcmpCode()));
    }

    /** A route from hop texts ("*" for silent, "a|b" for several addresses), starting at TTL 1. */
    public static Route of(StopReason stop, Integer stopIcmpCode, String... hops) {
        return new Route(1, java.util.Arrays.stream(hops).map(RouteHop::parse).toList(), stop, stopIcmpCode);
    }

    /** The TTL the trace stopped at: the last hop's. */
    public int stopTtl() {
        return firstTtl + hops.size() - 1;
    }

    /** The hop at {@code ttl}, or empty outside {@code firstTtl..stopTtl}. */
    public Optional<RouteHop> hop(int ttl) {
        return ttl < firstTtl || ttl > stopTtl() ? Optional.empty() : Optional.of(hops.get(ttl - firstTtl));
    }

    /** Whether the two routes ended the same way (reason and unreachable code). */
    public boolean sameEnding(Route other) {
        return stopReason == other.stopReason && java.util.Objects.equals(stopIcmpCode, other.stopIcmpCode);
    }

    /**
     * This route with the silent hops that {@code other} knows filled in: for every TTL, this route's hop unless it
     * is silent, then {@code other}'s. Meant for two routes that are the {@linkplain RouteComparator#sameRoute
     * same}, where the known hops agree; the result covers both routes' first TTLs and keeps this route's ending.
     */
    public Route fillSilentFrom(Route other) {
        int first = Math.min(firstTtl, other.firstTtl);
        List<RouteHop> merged = new ArrayList<>(stopTtl() - first + 1);
        for (int ttl = first; ttl <= stopTtl(); ttl++) {
            RouteHop mine = hop(ttl).orElse(RouteHop.SILENT);
            merged.add(mine.isSilent() ? other.hop(ttl).orElse(RouteHop.SILENT) : mine);
        }
        return new Route(first, merged, stopReason, stopIcmpCode);
    }

    /**
     * A compact text for storage: first TTL, ending, hops, e.g. {@code 1 completed 198.18.0.1,*,198.18.9.9} or
     * {@code 1 unreachable/1 198.18.0.1,198.18.0.1}. {@link #parse} reads it back.
     */
    public String encode() {
        StringBuilder b = new StringBuilder();
        b.append(firstTtl).append(' ').append(stopReason.wireName());
        if (stopIcmpCode != null) {
            b.append('/').append(stopIcmpCode);
        }
        b.append(' ');
        for (int i = 0; i < hops.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            hops.get(i).appendTo(b);
        }
        return b.toString();
    }

    /** The route of an {@link #encode()} text. */
    public static Route parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(" ", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a route is \"<first ttl> <stop reason>[/<code>] <hop>,<hop>...\", got "
                    + text);
        }
        try {
            int first = Integer.parseInt(parts[0]);
            String[] stop = parts[1].split("/", -1);
            StopReason reason = StopReason.fromWireName(stop[0]);
            Integer code = stop.length > 1 ? Integer.valueOf(stop[1]) : null;
            if (stop.length > 2) {
                throw new IllegalArgumentException("bad ending " + parts[1]);
            }
            List<RouteHop> hops = new ArrayList<>();
            for (String h : parts[2].split(",", -1)) {
                hops.add(RouteHop.parse(h));
            }
            return new Route(first, hops, reason, code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a route: \"" + text + "\" (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return encode();
    }
}
