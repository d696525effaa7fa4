package net.tracemesh.web.api;

import java.time.Instant;
import java.util.List;
import net.tracemesh.collector.query.RouteList;
import net.tracemesh.collector.query.RouteSummary;

/** The current routes listed by {@code GET /api/v1/routes}: {@code {"routes": [...], "truncated"}}. */
public record RouteListView(List<Entry> routes, boolean truncated) {
    public RouteListView {
        routes = List.copyOf(routes);
    }

    /** One key's current route in brief. */
    public record Entry(String agentId, String destination, String method, int period, Instant firstSeen,
                        Instant lastSeen, long observations, int hopCount) {
        static Entry of(RouteSummary s) {
            return new Entry(s.key().agentId(), s.key().destination(), s.key().method().wireName(), s.period(),
                    s.firstSeen(), s.lastSeen(), s.observations(), s.hopCount());
        }
    }

    public static RouteListView of(RouteList list) {
        return new RouteListView(list.routes().stream().map(Entry::of).toList(), list.truncated());
    }
}
