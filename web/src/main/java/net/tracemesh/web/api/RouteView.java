package net.tracemesh.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import net.tracemesh.collector.query.RouteAt;
import net.tracemesh.collector.store.RoutePeriod;

/**
 * A route period in the API: whose route it is, which period, when it was first and last observed, when it was
 * replaced ({@code null} while current), how the traces ended, and its hops.
 */
public record RouteView(String agentId, String destination, String method, int period, Instant firstSeen,
                        Instant lastSeen, long observations,
                        @JsonInclude(JsonInclude.Include.ALWAYS) Instant replacedAt, String stopReason,
                        @JsonInclude(JsonInclude.Include.ALWAYS) Integer stopIcmpCode, List<HopView> hops) {
    public RouteView {
        if (agentId == null || destination == null || method == null || firstSeen == null || lastSeen == null
                || stopReason == null || hops == null) {
            throw new IllegalArgumentException("every field of a route view but the replacement and code is required");
        }
        hops = List.copyOf(hops);
    }

    public static RouteView of(RouteAt route) {
        RoutePeriod p = route.period();
        return new RouteView(p.key().agentId(), p.key().destination(), p.key().method().wireName(), p.number(),
                p.firstSeen(), p.lastSeen(), p.observations(), route.replacedAt(), p.route().stopReason().wireName(),
                p.route().stopIcmpCode(), HopView.list(p.route()));
    }
}
