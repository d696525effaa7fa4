package net.tracemesh.collector.topology;

import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import net.tracemesh.record.MplsLabel;

/**
 * What one trace saw of one node: the unit a store upserts into its node table (first/last seen, observation count,
 * vantage points, RTT summary, reply types, MPLS labels, MTU).
 *
 * @param node        the node
 * @param agentId     the vantage point whose trace saw it
 * @param observedAt  when (the trace's start)
 * @param destination whether the node is the trace's destination (observed even when it did not answer)
 * @param ttls        the TTLs at which it answered in place, ascending: a single TTL for a placeholder, none for
 *                    the agent, for a destination that did not answer, or for an address that only sent
 *                    fragmentation-needed reports (those come from wherever the probe was too big, not from the
 *                    probe's TTL)
 * @param rttsMs      RTT of each of its replies in this trace, in hop order (empty for agents, placeholders and a
 *                    silent destination)
 * @param replyTypes  the distinct kinds of its replies
 * @param mplsStacks  the distinct MPLS label stacks (RFC 4950) its replies carried, in order of first appearance
 * @param mtu         the smallest next-hop MTU it reported in a fragmentation-needed reply, else null
 */
public record NodeObservation(NodeId node, String agentId, Instant observedAt, boolean destination,
                              List<Integer> ttls, List<Double> rttsMs, SortedSet<ReplyType> replyTypes,
                              List<List<MplsLabel>> mplsStacks, Integer mtu) {
    public NodeObservation {
        if (node == null || agentId == null || observedAt == null) {
            throw new IllegalArgumentException("node, agent id and observation time are required");
        }
        ttls = List.copyOf(ttls);
        rttsMs = List.copyOf(rttsMs);
        replyTypes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(replyTypes));
        mplsStacks = mplsStacks.stream().map(List::copyOf).toList();
        if (node.kind() != NodeKind.ADDRESS && (destination || !rttsMs.isEmpty() || !replyTypes.isEmpty()
                || !mplsStacks.isEmpty() || mtu != null)) {
            throw new IllegalArgumentException(node + " is not an address: it has no replies and is no destination");
        }
        if (node.kind() == NodeKind.ANONYMOUS && ttls.size() != 1) {
            throw new IllegalArgumentException("a placeholder stands for exactly one TTL, got " + ttls);
        }
    }

    /** Whether the node answered at all in this trace. */
    public boolean responded() {
        return !rttsMs.isEmpty();
    }
}
