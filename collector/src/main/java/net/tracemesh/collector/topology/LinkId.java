package net.tracemesh.collector.topology;

import java.util.Optional;
import net.tracemesh.collector.KeyHash;

/**
 * Identity of a link of the topology graph, the unit a store keys links by: a direct link and an indirect link
 * between the same two nodes are different facts and are kept apart.
 */
public record LinkId(NodeId from, NodeId to, LinkKind kind) implements Comparable<LinkId> {
    public LinkId {
        if (from == null || to == null || kind == null) {
            throw new IllegalArgumentException("a link has two ends and a kind");
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("a link joins two different nodes, got " + from + " twice");
        }
    }

    /**
     * The vantage point whose trace a link to or from a placeholder ({@link LinkKind#PLACEHOLDER}) belongs to, that of
     * its placeholder end: the only one that saw it. Empty for a link between addresses or agents.
     */
    public Optional<String> placeholderAgent() {
        return from.kind() == NodeKind.ANONYMOUS ? from.placeholderAgent() : to.placeholderAgent();
    }

    @Override
    public int compareTo(LinkId o) {
        int c = from.compareTo(o.from);
        if (c == 0) {
            c = to.compareTo(o.to);
        }
        return c != 0 ? c : kind.compareTo(o.kind);
    }

    /** Written out: a record's generated {@code equals} goes through method handles, and this one runs per map probe. */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof LinkId l && kind == l.kind && from.equals(l.from) && to.equals(l.to);
    }

    @Override
    public int hashCode() {
        return KeyHash.combine(KeyHash.combine(from.hashCode(), to.hashCode()), kind.ordinal());
    }

    @Override
    public String toString() {
        return from + (kind == LinkKind.INDIRECT ? " ~> " : " -> ") + to;
    }
}
