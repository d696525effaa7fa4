package net.tracemesh.collector.store;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.topology.LinkId;

/**
 * One link of the merged graph as stored: first and last seen, in how many traces, in how many of them ambiguously
 * (several replies at one end), the smallest and largest number of silent TTLs it spanned, the RTT statistics of its
 * far end, the smallest MTU reported at its near end, and the vantage points that saw it with their counts.
 */
public record LinkSummary(LinkId id, Instant firstSeen, Instant lastSeen, long observations,
                          long ambiguousObservations, int minGap, int maxGap, RttSummary rtt, Integer mtu,
                          SortedMap<String, Long> agents) {
    public LinkSummary {
        if (id == null || firstSeen == null || lastSeen == null || rtt == null || agents == null) {
            throw new IllegalArgumentException("every field of a link summary but the MTU is required");
        }
        if (lastSeen.isBefore(firstSeen) || observations < 1 || ambiguousObservations < 0
                || ambiguousObservations > observations || minGap < 0 || maxGap < minGap) {
            throw new IllegalArgumentException("link " + id + ": inconsistent summary");
        }
        rtt = rtt.copy();
        agents = Collections.unmodifiableSortedMap(new TreeMap<>(agents));
    }

    @Override
    public RttSummary rtt() {
        return rtt.copy();
    }
}
