package net.tracemesh.web.api;

import java.time.Instant;
import java.util.List;
import net.tracemesh.collector.query.TraceRef;

/** Traces through an address or prefix, for {@code GET /api/v1/traces}: {@code {"traces": [...], "truncated"}}. */
public record TraceListView(List<TraceView> traces, boolean truncated) {
    public TraceListView {
        traces = List.copyOf(traces);
    }

    /** One trace and the address it went through at its smallest TTL. */
    public record TraceView(String agentId, String traceId, String measurementId, String method, String destination,
                            Instant started, String address, int ttl) {
        static TraceView of(TraceRef t) {
            return new TraceView(t.agentId(), t.traceId(), t.measurementId(), t.method().wireName(), t.destination(),
                    t.started(), t.address(), t.ttl());
        }
    }

    public static TraceListView of(List<TraceRef> traces, boolean truncated) {
        return new TraceListView(traces.stream().map(TraceView::of).toList(), truncated);
    }
}
