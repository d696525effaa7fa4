package net.tracemesh.collector.query;

import java.util.List;

/**
 * Current routes matching a listing's filter, ordered by agent, destination and method.
 *
 * @param routes    the routes, at most the listing's limit
 * @param truncated whether more routes matched than the limit let through
 */
public record RouteList(List<RouteSummary> routes, boolean truncated) {
    public RouteList {
        if (routes == null) {
            throw new IllegalArgumentException("the routes are required");
        }
        routes = List.copyOf(routes);
    }
}
