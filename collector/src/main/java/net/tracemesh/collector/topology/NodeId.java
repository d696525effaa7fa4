package net.tracemesh.collector.topology;

import java.util.Optional;
import net.tracemesh.collector.KeyHash;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.wire.Ipv4Address;

/**
 * Identity of a node of the topology graph: the unit a store keys nodes by.
 *
 * @param kind what the node is
 * @param key  the dotted address for {@link NodeKind#ADDRESS}, the agent id for {@link NodeKind#AGENT}, and
 *             {@code agent/trace/ttl} for {@link NodeKind#ANONYMOUS}
 */
public record NodeId(NodeKind kind, String key) implements Comparable<NodeId> {
    public NodeId {
        if (kind == null) {
            throw new IllegalArgumentException("node kind is missing");
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("node key is missing");
        }
        if (kind == NodeKind.ADDRESS) {
            Ipv4Address.parse(key);
        }
        if (kind == NodeKind.ANONYMOUS && key.indexOf('/') < 1) {
            throw new IllegalArgumentException("a placeholder's key is agent/trace/ttl, got \"" + key + "\"");
        }
    }

    /** The node of an IPv4 address (dotted). */
    public static NodeId address(String dotted) {
        return new NodeId(NodeKind.ADDRESS, dotted);
    }

    /** The node of a vantage point. */
    public static NodeId agent(String agentId) {
        return new NodeId(NodeKind.AGENT, agentId);
    }

    /** The placeholder of a silent TTL of one trace. */
    public static NodeId anonymous(TraceKey trace, int ttl) {
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be in 1..255, got " + ttl);
        }
        return new NodeId(NodeKind.ANONYMOUS, trace.agentId() + "/" + trace.traceId() + "/" + ttl);
    }

    /**
     * The vantage point whose trace a placeholder belongs to: the only one that saw it, with every observation of
     * it. Empty for an address or an agent node, which any vantage point may see.
     */
    public Optional<String> placeholderAgent() {
        return kind == NodeKind.ANONYMOUS ? Optional.of(key.substring(0, key.indexOf('/'))) : Optional.empty();
    }

    @Override
    public int compareTo(NodeId o) {
        int c = kind.compareTo(o.kind);
        return c != 0 ? c : key.compareTo(o.key);
    }

    /** Written out: a record's generated {@code equals} goes through method handles, and this one runs per map probe. */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NodeId n && kind == n.kind && key.equals(n.key);
    }

    @Override
    public int hashCode() {
        return KeyHash.combine(key.hashCode(), kind.ordinal());
    }

    /** {@code 198.18.0.1}, {@code agent:fra1-a}, {@code *fra1-a/trace/3}. */
    @Override
    public String toString() {
        return switch (kind) {
            case ADDRESS -> key;
            case AGENT -> "agent:" + key;
            case ANONYMOUS -> "*" + key;
        };
    }
}
