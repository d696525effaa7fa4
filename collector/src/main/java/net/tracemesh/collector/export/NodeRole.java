package net.tracemesh.collector.export;

import java.util.Locale;
import net.tracemesh.collector.store.NodeSummary;

/** What a node is to a reader of an exported graph, which the formats show differently. */
enum NodeRole {
    /** A vantage point. */
    AGENT,
    /** An address that was ever a traced destination. */
    DESTINATION,
    /** Any other address that answered. */
    ROUTER,
    /** The placeholder of a silent TTL. */
    ANONYMOUS;

    static NodeRole of(NodeSummary n) {
        return switch (n.id().kind()) {
            case AGENT -> AGENT;
            case ANONYMOUS -> ANONYMOUS;
            case ADDRESS -> n.destination() ? DESTINATION : ROUTER;
        };
    }

    /** {@code agent}, {@code destination}, {@code router}, {@code anonymous}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
