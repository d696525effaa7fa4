package net.tracemesh.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import net.tracemesh.collector.history.Divergence;
import net.tracemesh.collector.history.RouteChangeEvent;
import net.tracemesh.collector.query.RouteHistory;

/**
 * A key's route history in a window, for {@code GET /api/v1/routes/history}: the periods in force with the part of
 * the window each covered, and the changes with where the routes diverged.
 */
public record HistoryView(String agentId, String destination, String method, Instant from, Instant to,
                          List<PeriodView> periods, List<ChangeView> changes) {
    public HistoryView {
        periods = List.copyOf(periods);
        changes = List.copyOf(changes);
    }

    /** A period's share of the window. */
    public record PeriodView(Instant start, Instant end, RouteView route) {
    }

    /** A route change: the old and new hop lists, the old route's lifetime, and where they part. */
    public record ChangeView(Instant time, List<HopView> oldRoute, List<HopView> newRoute, Instant oldFirstSeen,
                             Instant oldLastSeen, DivergenceView divergence) {
        static ChangeView of(RouteChangeEvent c) {
            return new ChangeView(c.time(), HopView.list(c.oldRoute()), HopView.list(c.newRoute()),
                    c.oldFirstSeen(), c.oldLastSeen(), DivergenceView.of(c.divergence()));
        }
    }

    /**
     * Where two routes part: the first differing TTL, the last TTL both had the same known hop at (0 for none) and
     * that hop's addresses ({@code null} for none).
     */
    public record DivergenceView(int ttl, int lastCommonTtl,
                                 @JsonInclude(JsonInclude.Include.ALWAYS) List<String> lastCommonHop) {
        static DivergenceView of(Divergence d) {
            return new DivergenceView(d.ttl(), d.lastCommonTtl(),
                    d.lastCommonHop() == null ? null : d.lastCommonHop().addresses());
        }
    }

    public static HistoryView of(RouteHistory h) {
        return new HistoryView(h.key().agentId(), h.key().destination(), h.key().method().wireName(), h.from(), h.to(),
                h.periods().stream().map(p -> new PeriodView(p.start(), p.end(), RouteView.of(p.route()))).toList(),
                h.changes().stream().map(ChangeView::of).toList());
    }
}
