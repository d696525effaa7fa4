package net.tracemesh.collector.store;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.ReplyType;
import net.tracemesh.record.MplsLabel;

/**
 * One node of the merged graph as stored: when it was first and last seen, in how many traces, whether it was ever a
 * destination, its RTT statistics (empty for agents and placeholders), the smallest MTU reported by it, the reply
 * types and MPLS label stacks seen from it, and the vantage points that saw it with their observation counts.
 */
public record NodeSummary(NodeId id, Instant firstSeen, Instant lastSeen, long observations, boolean destination,
                          RttSummary rtt, Integer minMtu, SortedSet<ReplyType> replyTypes,
                          List<List<MplsLabel>> mplsStacks, SortedMap<String, Long> agents) {
    public NodeSummary {
        if (id == null || firstSeen == null || lastSeen == null || rtt == null || replyTypes == null
                || mplsStacks == null || agents == null) {
            throw new IllegalArgumentException("every field of a node summary but the MTU is required");
        }
        if (lastSeen.isBefore(firstSeen) || observations < 1) {
            throw new IllegalArgumentException("node " + id + ": last seen before first seen or no observations");
        }
        rtt = rtt.copy();
        replyTypes = Collections.unmodifiableSortedSet(new TreeSet<>(replyTypes));
        mplsStacks = mplsStacks.stream().map(List::copyOf).toList();
        agents = Collections.unmodifiableSortedMap(new TreeMap<>(agents));
    }

    @Override
    public RttSummary rtt() {
        return rtt.copy();
    }
}
