package net.tracemesh.agent.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Ground truth for a trace from the vantage point toward {@code destination}: {@code responders.get(ttl - 1)} is
 * the address that answers a probe sent with that TTL, or null where nothing answers. A path that reaches its
 * destination ends with the destination itself; one stopped by a route type ends with the router that says so
 * (or, for silence, just before it).
 */
public final class LabPath {
    private final String destination;
    private final List<String> responders;

    public LabPath(String destination, List<String> responders) {
        this.destination = Objects.requireNonNull(destination, "destination");
        if (responders.isEmpty()) {
            throw new IllegalArgumentException("a path has at least one hop");
        }
        this.responders = Collections.unmodifiableList(new ArrayList<>(responders));
    }

    public String destination() {
        return destination;
    }

    /** Responders by TTL (index 0 is TTL 1); null entries are TTLs that never answer. */
    public List<String> responders() {
        return responders;
    }

    /** Who answers TTL {@code ttl}; null when that hop is silent or beyond the last responder. */
    public String responderAt(int ttl) {
        return ttl >= 1 && ttl <= responders.size() ? responders.get(ttl - 1) : null;
    }

    /** The TTL of the last entry (the destination itself when {@link #reachesDestination()}). */
    public int lastTtl() {
        return responders.size();
    }

    public boolean reachesDestination() {
        return destination.equals(responders.get(responders.size() - 1));
    }

    @Override
    public String toString() {
        return destination + " " + responders;
    }
}
