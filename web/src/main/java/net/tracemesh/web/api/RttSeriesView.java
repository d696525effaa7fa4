package net.tracemesh.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import net.tracemesh.collector.query.RttSeries;

/**
 * The RTT of one address over a key's traces, for {@code GET /api/v1/rtt}: one point per trace, with {@code rtt_ms}
 * and {@code ttl} {@code null} when the address did not answer in that trace.
 */
public record RttSeriesView(String agentId, String destination, String method, String address, Instant from,
                            Instant to, List<PointView> points, boolean truncated) {
    public RttSeriesView {
        points = List.copyOf(points);
    }

    /** One trace's measurement. */
    public record PointView(Instant time, String traceId, @JsonInclude(JsonInclude.Include.ALWAYS) Double rttMs,
                            @JsonInclude(JsonInclude.Include.ALWAYS) Integer ttl) {
    }

    public static RttSeriesView of(RttSeries s) {
        return new RttSeriesView(s.key().agentId(), s.key().destination(), s.key().method().wireName(), s.address(),
                s.from(), s.to(), s.points().stream().map(p -> new PointView(p.time(), p.traceId(), p.rttMs(),
                        p.ttl())).toList(), s.truncated());
    }
}
