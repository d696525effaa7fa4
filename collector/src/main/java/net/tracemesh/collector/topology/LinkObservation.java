package net.tracemesh.collector.topology;

import java.time.Instant;
import java.util.List;

/**
 * What one trace saw of one link: the unit a store upserts into its link table.
 *
 * @param from       the near end (agent, address or placeholder)
 * @param to         the far end
 * @param kind       how the link was inferred
 * @param fromTtl    TTL of the near end (0 for the agent)
 * @param toTtl      TTL of the far end: {@code fromTtl + 1} except for indirect links
 * @param ambiguous  whether more than one address answered at either end's TTL in this trace (a per-packet load
 *                   balancer, or a route change during the trace): then every pair is linked, and this one may not
 *                   be a real adjacency
 * @param agentId    the vantage point whose trace saw it
 * @param observedAt when (the trace's start)
 * @param rttsMs     RTTs of the far end's replies at {@code toTtl} (the time to reach it over this link); empty when
 *                   the far end is a placeholder
 * @param mtu        the next-hop MTU the near end reported in a fragmentation-needed reply during this trace (the MTU
 *                   of its way onward for this flow), else null
 */
public record LinkObservation(NodeId from, NodeId to, LinkKind kind, int fromTtl, int toTtl, boolean ambiguous,
                              String agentId, Instant observedAt, List<Double> rttsMs, Integer mtu) {
    public LinkObservation {
        new LinkId(from, to, kind);
        if (agentId == null || observedAt == null) {
            throw new IllegalArgumentException("agent id and observation time are required");
        }
        if (fromTtl < 0 || toTtl > 255 || toTtl <= fromTtl) {
            throw new IllegalArgumentException("TTLs must satisfy 0 <= from < to <= 255, got " + fromTtl + ", "
                    + toTtl);
        }
        boolean consecutive = toTtl == fromTtl + 1;
        if (consecutive == (kind == LinkKind.INDIRECT)) {
            throw new IllegalArgumentException(kind + " link between TTLs " + fromTtl + " and " + toTtl
                    + ": only indirect links span silent TTLs");
        }
        boolean placeholderEnd = from.kind() == NodeKind.ANONYMOUS || to.kind() == NodeKind.ANONYMOUS;
        if (placeholderEnd != (kind == LinkKind.PLACEHOLDER)) {
            throw new IllegalArgumentException("exactly the links touching a placeholder are placeholder links, got "
                    + kind + " " + from + " -> " + to);
        }
        rttsMs = List.copyOf(rttsMs);
    }

    public LinkId id() {
        return new LinkId(from, to, kind);
    }

    /** Number of silent TTLs the link spans (0 unless indirect). */
    public int gap() {
        return toTtl - fromTtl - 1;
    }
}
