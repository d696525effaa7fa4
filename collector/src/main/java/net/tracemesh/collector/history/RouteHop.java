package net.tracemesh.collector.history;

import java.util.List;
import java.util.TreeSet;
import net.tracemesh.wire.Ipv4Address;

/**
 * One TTL of a route: the addresses that answered it in place, or none (a silent hop, written {@code *}). Usually one
 * address; several when a per-packet balancer or a route change during the trace sent the probes of one TTL to
 * different routers.
 *
 * @param addresses dotted addresses, sorted and distinct; empty for a silent hop
 */
public record RouteHop(List<String> addresses) {
    /** A TTL that no reply came from. */
    public static final RouteHop SILENT = new RouteHop(List.of());
    static final String SILENT_TEXT = "*";
    private static final String SEPARATOR = "|";

    public RouteHop {
        TreeSet<String> sorted = new TreeSet<>();
        for (String a : addresses) {
            Ipv4Address.parse(a);
            sorted.add(a);
        }
        addresses = List.copyOf(sorted);
    }

    public static RouteHop of(String... addresses) {
        return new RouteHop(List.of(addresses));
    }

    public boolean isSilent() {
        return addresses.isEmpty();
    }

    /** Whether the two hops may be the same: equal, or at least one of them silent. */
    public boolean matches(RouteHop other) {
        return isSilent() || other.isSilent() || equals(other);
    }

    /** {@code *}, {@code 198.18.0.1}, or {@code 198.18.0.1|198.18.0.2}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        appendTo(b);
        return b.toString();
    }

    /** Appends {@link #toString()} to {@code out}, without making it first. */
    void appendTo(StringBuilder out) {
        if (isSilent()) {
            out.append(SILENT_TEXT);
            return;
        }
        for (int i = 0; i < addresses.size(); i++) {
            if (i > 0) {
                out.append(SEPARATOR);
            }
            out.append(addresses.get(i));
        }
    }

    /** The hop of a {@link #toString()} text. */
    public static RouteHop parse(String text) {
        if (SILENT_TEXT.equals(text)) {
            return SILENT;
        }
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a route hop is \"*\" or addresses separated by \"|\", got empty text");
        }
        return new RouteHop(List.of(text.split("\\" + SEPARATOR, -1)));
    }
}
