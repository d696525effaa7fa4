package net.tracemesh.web.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import net.tracemesh.collector.export.GraphFormat;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.query.RouteAt;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.collector.query.TraceRef;
import net.tracemesh.measurement.AgentSelector;
import net.tracemesh.measurement.Ipv4Prefix;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.http.ApiException;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.http.ApiModule;
import net.tracemesh.web.http.ApiParams;
import net.tracemesh.web.http.ApiRouter;

/**
 * The read-only API over the collector's store (fragment {@code openapi/queries.yaml}): current routes, a route now
 * or at a time, route history, vantage-point comparison, traces through an address or prefix, the topology map and
 * its exports, and RTT series. Every operation needs the reader role; every query runs on the API's worker pool.
 * Parameters are parsed here into typed values (bad ones are 400s naming the parameter); the answers are the view
 * records of this package.
 */
public final class QueryRoutes implements ApiModule {
    public static final String ROUTES = "/api/v1/routes";
    public static final String ROUTE_NOW = "/api/v1/routes/now";
    public static final String ROUTE_AT = "/api/v1/routes/at";
    public static final String ROUTE_HISTORY = "/api/v1/routes/history";
    public static final String COMPARE = "/api/v1/compare";
    public static final String TRACES = "/api/v1/traces";
    public static final String TOPOLOGY = "/api/v1/topology";
    public static final String TOPOLOGY_EXPORT = "/api/v1/topology/export";
    public static final String RTT = "/api/v1/rtt";

    /** The method of route keys when none is given. */
    public static final MeasurementMethod DEFAULT_METHOD = MeasurementMethod.UDP_PARIS;
    public static final int DEFAULT_ROUTE_LIMIT = 1000;
    public static final int DEFAULT_TRACE_LIMIT = 1000;
    public static final int DEFAULT_NODE_LIMIT = 2000;
    public static final int DEFAULT_POINT_LIMIT = 1000;
    public static final int MIN_COMPARED_AGENTS = 2;
    public static final int MAX_COMPARED_AGENTS = 20;
    /** The most agents a topology filter names. */
    public static final int MAX_FILTER_AGENTS = 100;
    /** The window of history and trace searches when {@code from} is not given: this long before {@code to}. */
    public static final Duration DEFAULT_HISTORY_WINDOW = Duration.ofDays(7);
    /** The window of RTT series when {@code from} is not given. */
    public static final Duration DEFAULT_RTT_WINDOW = Duration.ofDays(1);
    /** The base name of exported files ({@code tracemesh-topology.graphml}). */
    public static final String EXPORT_FILE = "tracemesh-topology";

    private final TopologyQueries queries;
    private final TopologyCache topology;
    private ApiRouter api;

    /**
     * @param topology the answers of the topology and export operations, kept while the graph is unchanged (over
     *                 the same queries)
     */
    public QueryRoutes(TopologyQueries queries, TopologyCache topology) {
        if (queries == null || topology == null) {
            throw new IllegalArgumentException("the topology queries and their cache are required");
        }
        this.queries = queries;
        this.topology = topology;
    }

    @Override
    public void register(ApiRouter router) {
        this.api = router;
        router.route(HttpMethod.GET, ROUTES, Role.READER, this::routes);
        router.route(HttpMethod.GET, ROUTE_NOW, Role.READER, this::routeNow);
        router.route(HttpMethod.GET, ROUTE_AT, Role.READER, this::routeAt);
        router.route(HttpMethod.GET, ROUTE_HISTORY, Role.READER, this::history);
        router.route(HttpMethod.GET, COMPARE, Role.READER, this::compare);
        router.route(HttpMethod.GET, TRACES, Role.READER, this::traces);
        router.route(HttpMethod.GET, TOPOLOGY, Role.READER, this::topology);
        router.route(HttpMethod.GET, TOPOLOGY_EXPORT, Role.READER, this::export);
        router.route(HttpMethod.GET, RTT, Role.READER, this::rtt);
    }

    private void routes(RoutingContext ctx) {
        String agent = ApiParams.optional(ctx, "agent").map(a -> agentId("agent", a)).orElse(null);
        String destination = ApiParams.optional(ctx, "destination").map(d -> ApiParams.parseIpv4("destination", d))
                .orElse(null);
        MeasurementMethod method = ApiParams.optional(ctx, "method").isEmpty() ? null : traceMethod(ctx);
        int limit = ApiParams.integer(ctx, "limit", DEFAULT_ROUTE_LIMIT, 1, TopologyQueries.MAX_ROUTE_LIMIT);
        ApiJson.respond(ctx, query(() -> RouteListView.of(queries.currentRoutes(agent, destination, method, limit))));
    }

    private void routeNow(RoutingContext ctx) {
        RouteKey key = routeKey(ctx);
        ApiJson.respond(ctx, query(() -> RouteView.of(found(queries.routeNow(key), key, "now"))));
    }

    private void routeAt(RoutingContext ctx) {
        RouteKey key = routeKey(ctx);
        Instant time = ApiParams.instant(ctx, "time");
        ApiJson.respond(ctx, query(() -> RouteView.of(found(queries.routeAt(key, time), key, "at " + time))));
    }

    private void history(RoutingContext ctx) {
        RouteKey key = routeKey(ctx);
        Window w = window(ctx, DEFAULT_HISTORY_WINDOW);
        ApiJson.respond(ctx, query(() -> HistoryView.of(queries.history(key, w.from(), w.to()))));
    }

    private void compare(RoutingContext ctx) {
        String destination = ApiParams.ipv4(ctx, "destination");
        MeasurementMethod method = traceMethod(ctx);
        List<String> agents = agentIds(ctx);
        if (agents.size() < MIN_COMPARED_AGENTS || agents.size() > MAX_COMPARED_AGENTS) {
            throw ApiException.badRequest("agent", "compare " + MIN_COMPARED_AGENTS + " to " + MAX_COMPARED_AGENTS
                    + " agents (agent=a&agent=b), got " + agents.size());
        }
        if (new LinkedHashSet<>(agents).size() != agents.size()) {
            throw ApiException.badRequest("agent", "an agent is named twice in " + agents);
        }
        Instant at = ApiParams.optionalInstant(ctx, "time").orElse(null);
        ApiJson.respond(ctx, query(() -> ComparisonView.of(queries.compare(destination, method, agents, at))));
    }

    private void traces(RoutingContext ctx) {
        Optional<String> address = ApiParams.optional(ctx, "address");
        Optional<String> prefix = ApiParams.optional(ctx, "prefix");
        if (address.isPresent() == prefix.isPresent()) {
            throw ApiException.badRequest(address.isPresent() ? "prefix" : "address",
                    "give exactly one of address and prefix");
        }
        Ipv4Prefix through = address.isPresent()
                ? Ipv4Prefix.parse(ApiParams.parseIpv4("address", address.get()))
                : ApiParams.parsePrefix("prefix", prefix.get());
        Window w = window(ctx, DEFAULT_HISTORY_WINDOW);
        int limit = ApiParams.integer(ctx, "limit", DEFAULT_TRACE_LIMIT, 1, TopologyQueries.MAX_TRACE_LIMIT);
        // one more than asked tells whether there were more; at the query's maximum, a full answer may be cut
        int asked = Math.min(limit + 1, TopologyQueries.MAX_TRACE_LIMIT);
        ApiJson.respond(ctx, query(() -> {
            List<TraceRef> found = queries.tracesThrough(through, w.from(), w.to(), asked);
            boolean truncated = found.size() > limit || found.size() == TopologyQueries.MAX_TRACE_LIMIT;
            return TraceListView.of(found.size() > limit ? found.subList(0, limit) : found, truncated);
        }));
    }

    private void topology(RoutingContext ctx) {
        SubgraphFilter filter = subgraphFilter(ctx);
        query(() -> topology.get(filter).json()).onComplete(ar -> {
            if (ar.succeeded()) {
                ApiJson.okJson(ctx, ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private void export(RoutingContext ctx) {
        SubgraphFilter filter = subgraphFilter(ctx);
        String formatName = ApiParams.optional(ctx, "format").orElse(GraphFormat.JSON.fileExtension());
        GraphFormat format;
        try {
            format = GraphFormat.fromName(formatName);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("format", "'" + formatName + "' is not one of " + GraphFormat.names());
        }
        query(() -> {
            StringWriter out = new StringWriter();
            format.writer().write(topology.get(filter).subgraph(), out);
            return out.toString();
        }).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ctx.response().putHeader("Content-Type", format.mediaType() + "; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + EXPORT_FILE + "."
                            + format.fileExtension() + "\"")
                    .end(ar.result());
        });
    }

    private void rtt(RoutingContext ctx) {
        RouteKey key = routeKey(ctx);
        Window w = window(ctx, DEFAULT_RTT_WINDOW);
        String address = ApiParams.optional(ctx, "address").map(a -> ApiParams.parseIpv4("address", a)).orElse(null);
        int limit = ApiParams.integer(ctx, "limit", DEFAULT_POINT_LIMIT, 1, TopologyQueries.MAX_SERIES_LIMIT);
        ApiJson.respond(ctx, query(() -> RttSeriesView.of(queries.rttSeries(key, address, w.from(), w.to(),
                limit))));
    }

    // ---- parameters

    /** A time window: {@code to} defaults to now, {@code from} to {@code fallback} before {@code to}. */
    private record Window(Instant from, Instant to) {
    }

    private static Window window(RoutingContext ctx, Duration fallback) {
        Instant to = ApiParams.optionalInstant(ctx, "to").orElseGet(Instant::now);
        Instant from = ApiParams.optionalInstant(ctx, "from").orElse(to.minus(fallback));
        ApiParams.requireOrder("from", from, "to", to);
        return new Window(from, to);
    }

    private static RouteKey routeKey(RoutingContext ctx) {
        String agent = agentId("agent", ApiParams.required(ctx, "agent"));
        String destination = ApiParams.ipv4(ctx, "destination");
        return new RouteKey(agent, destination, traceMethod(ctx));
    }

    private static MeasurementMethod traceMethod(RoutingContext ctx) {
        MeasurementMethod m = ApiParams.method(ctx, "method", DEFAULT_METHOD);
        if (!m.isTrace()) {
            throw ApiException.badRequest("method", "'" + m.wireName() + "' is not a trace method");
        }
        return m;
    }

    private static String agentId(String name, String id) {
        if (!AgentSelector.AGENT_ID.matcher(id).matches()) {
            throw ApiException.badRequest(name, "'" + id + "' is not an agent id (letters, digits, '.', '_', '-',"
                    + " at most 64)");
        }
        return id;
    }

    private static List<String> agentIds(RoutingContext ctx) {
        return ApiParams.all(ctx, "agent").stream().map(a -> agentId("agent", a)).toList();
    }

    private static SubgraphFilter subgraphFilter(RoutingContext ctx) {
        Set<String> agents = new LinkedHashSet<>(agentIds(ctx));
        if (agents.size() > MAX_FILTER_AGENTS) {
            throw ApiException.badRequest("agent", "name at most " + MAX_FILTER_AGENTS + " agents, got "
                    + agents.size());
        }
        Ipv4Prefix prefix = ApiParams.optional(ctx, "prefix").map(p -> ApiParams.parsePrefix("prefix", p))
                .orElse(null);
        Instant from = ApiParams.optionalInstant(ctx, "from").orElse(null);
        Instant to = ApiParams.optionalInstant(ctx, "to").orElse(null);
        if (from != null && to != null) {
            ApiParams.requireOrder("from", from, "to", to);
        }
        int limit = ApiParams.integer(ctx, "limit", DEFAULT_NODE_LIMIT, 1, SubgraphFilter.MAX_NODE_LIMIT);
        return new SubgraphFilter(agents, prefix, from, to, limit);
    }

    // ---- running queries

    private static RouteAt found(Optional<RouteAt> route, RouteKey key, String when) {
        return route.orElseThrow(() -> ApiException.notFound("no route of " + key.agentId() + " toward "
                + key.destination() + " by " + key.method().wireName() + " " + when));
    }

    /** Runs a query on the worker pool; an argument the query refuses is a 400. */
    private <T> Future<T> query(Callable<T> work) {
        return api.<T>blocking(work).recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
                ? ApiException.badRequest(null, e.getMessage()) : e));
    }
}
