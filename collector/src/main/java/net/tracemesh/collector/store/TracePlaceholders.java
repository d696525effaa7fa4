package net.tracemesh.collector.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.LinkObservation;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.NodeObservation;

/**
 * The placeholders of one applied trace and their links, as its row keeps them
 * ({@code applied_traces.placeholder_links} in {@link PlaceholderLinksCodec}'s form) instead of a graph row each: a placeholder belongs to one trace, so its
 * summary is that trace's one observation of it, seen by the trace's agent at the trace's start.
 *
 * @param trace the trace
 * @param start when it started (the time of every observation of its placeholders)
 * @param links its placeholder links, as the merger saw them
 */
public record TracePlaceholders(TraceKey trace, Instant start, List<LinkObservation> links) {
    /** The columns of {@code applied_traces} that {@link #read} reads. */
    public static final String COLUMNS = "agent_id, trace_id, started_at, placeholder_links";

    public TracePlaceholders {
        if (trace == null || start == null || links == null || links.isEmpty()) {
            throw new IllegalArgumentException("a trace, its start and at least one placeholder link are required");
        }
        links = List.copyOf(links);
    }

    /**
     * The placeholders of the trace in the current row of {@code r} (which holds {@link #COLUMNS}), or null when it has
     * none.
     *
     * @throws StoreException if the stored bytes are not readable
     */
    public static TracePlaceholders read(ResultSet r, StoreDialect dialect) throws SQLException {
        byte[] bytes = r.getBytes("placeholder_links");
        if (bytes == null) {
            return null;
        }
        TraceKey key = new TraceKey(r.getString("agent_id"), r.getString("trace_id"));
        Instant start = dialect.instant(r, "started_at");
        try {
            return new TracePlaceholders(key, start, PlaceholderLinksCodec.decode(key, start, bytes));
        } catch (IllegalArgumentException e) {
            throw new StoreException("the placeholder links of trace " + key + " are not readable: " + e.getMessage(),
                    e);
        }
    }

    /** The trace a placeholder ({@code agent/trace/ttl}) belongs to. */
    public static TraceKey traceOf(NodeId placeholder) {
        if (placeholder.kind() != NodeKind.ANONYMOUS) {
            throw new IllegalArgumentException(placeholder + " is not a placeholder");
        }
        String key = placeholder.key();
        int agentEnd = key.indexOf('/');
        int traceEnd = key.lastIndexOf('/');
        if (traceEnd <= agentEnd + 1) {
            throw new IllegalArgumentException("a placeholder's key is agent/trace/ttl, got \"" + key + "\"");
        }
        return new TraceKey(key.substring(0, agentEnd), key.substring(agentEnd + 1, traceEnd));
    }

    /** The trace a placeholder's link belongs to: that of its placeholder end (its near end when both are). */
    public static TraceKey traceOf(LinkId link) {
        if (link.kind() != LinkKind.PLACEHOLDER) {
            throw new IllegalArgumentException(link + " is not a placeholder's link");
        }
        return traceOf(link.from().kind() == NodeKind.ANONYMOUS ? link.from() : link.to());
    }

    /** The trace's placeholders, in TTL order. */
    public List<NodeId> placeholders() {
        return PlaceholderLinksCodec.placeholders(links).stream().map(NodeObservation::node).toList();
    }

    /** The summaries of the trace's placeholders, in TTL order: one observation each, by the trace's agent. */
    public List<NodeSummary> nodeSummaries() {
        List<NodeSummary> out = new ArrayList<>();
        for (NodeId id : placeholders()) {
            out.add(new NodeSummary(id, start, start, 1, false, new RttSummary(), null, new TreeSet<>(), List.of(),
                    seenOnce()));
        }
        return out;
    }

    /** The summaries of the trace's placeholder links, in the order the merger saw them. */
    public List<LinkSummary> linkSummaries() {
        List<LinkSummary> out = new ArrayList<>(links.size());
        for (LinkObservation l : links) {
            RttSummary rtt = new RttSummary();
            for (double ms : l.rttsMs()) {
                rtt.add(ms, start);
            }
            out.add(new LinkSummary(l.id(), start, start, 1, l.ambiguous() ? 1 : 0, l.gap(), l.gap(), rtt, l.mtu(),
                    seenOnce()));
        }
        return out;
    }

    private SortedMap<String, Long> seenOnce() {
        SortedMap<String, Long> agents = new TreeMap<>();
        agents.put(trace.agentId(), 1L);
        return agents;
    }
}
