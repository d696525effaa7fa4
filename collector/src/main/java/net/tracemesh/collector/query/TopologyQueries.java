package net.tracemesh.collector.query;

import static net.tracemesh.collector.query.StoredColumns.addressNumber;
import static net.tracemesh.collector.query.StoredColumns.placeholders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteChangeEvent;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.query.VantageComparison.AgentRoute;
import net.tracemesh.collector.store.AddressTraceLists;
import net.tracemesh.collector.store.AddressTracesCodec;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.ColumnCodec;
import net.tracemesh.collector.store.HopsCodec;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.store.RoutePeriod;
import net.tracemesh.collector.store.StoreDialect;
import net.tracemesh.collector.store.StoreException;
import net.tracemesh.collector.store.TraceAtAddress;
import net.tracemesh.collector.store.TracePlaceholders;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.measurement.Ipv4Prefix;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.HopRecord;
import net.tracemesh.wire.Ipv4Address;

/**
 * The collector's read side: routes at a time, route history, vantage-point comparison, traces through an address or
 * prefix, and parts of the merged graph.
 *
 * <p>Every call takes a connection from the data source (the store's {@code readDataSource()}), runs plain SQL that
 * SQLite, H2 in PostgreSQL mode and PostgreSQL accept, changes nothing, and gives the connection back. Calls that run
 * several statements see the data committed when each statement runs; a subgraph read while traces are applied may
 * mix states, but never holds a link without both of its ends. Thread-safe: no state besides the data source.
 *
 * <p>Bad arguments raise {@link IllegalArgumentException}; an agent or destination the store does not know is not
 * an error and gives empty results. Database failures raise {@link StoreException}.
 */
public final class TopologyQueries {
    /** The most traces {@link #tracesThrough} returns at once. */
    public static final int MAX_TRACE_LIMIT = 10_000;
    /** The most routes {@link #currentRoutes} lists at once. */
    public static final int MAX_ROUTE_LIMIT = 10_000;
    /** The most points {@link #rttSeries} returns at once. */
    public static final int MAX_SERIES_LIMIT = 10_000;
    /** How many of an agent's latest traces {@link #compare} checks for one that followed the route. */
    static final int TRACE_CANDIDATES = 16;
    /** Keys per {@code IN (...)} list when reading nodes and links by id. */
    static final int IN_BATCH = 500;
    /**
     * The most nodes on routes toward a prefix for which a prefix-filtered subgraph is read by key from them
     * outward; with more, reading every row costs less.
     */
    static final int MAX_RESTRICTION_READ_BY_KEY = 20_000;

    private static final String PERIODS = "SELECT p.agent_id, p.destination, p.method, p.period_no, p.route, "
            + "p.first_seen, p.last_seen, p.observations, n.first_seen AS replaced_at FROM route_periods p "
            + "LEFT JOIN route_periods n ON n.agent_id = p.agent_id AND n.destination = p.destination "
            + "AND n.method = p.method AND n.period_no = p.period_no + 1 "
            + "WHERE p.agent_id = ? AND p.destination = ? AND p.method = ?";
    /** Periods begun by {@code ?} and not replaced by {@code ?}. */
    private static final String IN_FORCE = " AND p.first_seen <= ? AND (n.first_seen IS NULL OR n.first_seen > ?)";

    private final DataSource dataSource;

    public TopologyQueries(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("the data source is missing");
        }
        this.dataSource = dataSource;
    }

    /**
     * When the newest trace merged into the store was closed (by the collector's clock), or empty while the store
     * holds none: one read of an index end. The graph changes only when a trace is merged, so an unchanged answer
     * says it most likely did not change; a trace merged late with an older closing time (one re-read after a
     * collector restart) does not move it.
     */
    public Optional<Instant> lastMergedAt() {
        return read("reading when the newest trace was merged", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT MAX(closed_at) AS newest FROM applied_traces");
                 ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.ofNullable(instant(r, "newest")) : Optional.empty();
            }
        });
    }

    /** The route {@code key} followed at {@code t}: the period begun at or before {@code t} and not yet replaced. */
    public Optional<RouteAt> routeAt(RouteKey key, Instant t) {
        requireKey(key);
        requireTime("the time", t);
        return read("reading the route of " + key + " at " + t, c -> inForce(c, key, t));
    }

    /** The route {@code key} follows now: its latest period. */
    public Optional<RouteAt> routeNow(RouteKey key) {
        requireKey(key);
        return read("reading the current route of " + key, c -> current(c, key));
    }

    /**
     * The routes {@code key} followed in {@code [from, to]}: every period in force at some time of the window with
     * its share of the window, and the changes that happened in it.
     */
    public RouteHistory history(RouteKey key, Instant from, Instant to) {
        requireKey(key);
        requireWindow(from, to);
        return read("reading the route history of " + key, c -> {
            List<RouteHistory.Period> periods = new ArrayList<>();
            for (RouteAt p : periods(c, key, IN_FORCE + " ORDER BY p.period_no", List.of(to, from))) {
                Instant start = p.period().firstSeen().isAfter(from) ? p.period().firstSeen() : from;
                Instant end = p.current() || p.replacedAt().isAfter(to) ? to : p.replacedAt();
                periods.add(new RouteHistory.Period(p, start, end));
            }
            return new RouteHistory(key, from, to, periods, changes(c, key, from, to));
        });
    }

    /**
     * The routes of several agents toward one destination, side by side: aligned by TTL with each agent's median RTT
     * per TTL, the addresses they share, and where they converge.
     *
     * @param at the time to compare at, or null for the current routes
     */
    public VantageComparison compare(String destination, MeasurementMethod method, List<String> agents, Instant at) {
        Ipv4Address.parse(destination);
        if (method == null || !method.isTrace()) {
            throw new IllegalArgumentException("routes are compared for a trace method, got " + method);
        }
        if (agents == null || agents.isEmpty()) {
            throw new IllegalArgumentException("name at least one agent to compare");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String a : agents) {
            if (a == null || a.isBlank()) {
                throw new IllegalArgumentException("an agent id to compare is empty");
            }
            if (!distinct.add(a)) {
                throw new IllegalArgumentException("agent " + a + " is named twice");
            }
        }
        return read("comparing routes toward " + destination, c -> {
            List<AgentRoute> routes = new ArrayList<>();
            Map<String, Route> byAgent = new LinkedHashMap<>();
            Map<String, List<HopRecord>> replies = new HashMap<>();
            for (String agent : distinct) {
                RouteKey key = new RouteKey(agent, destination, method);
                Optional<RouteAt> route = at == null ? current(c, key) : inForce(c, key, at);
                if (route.isEmpty()) {
                    continue;
                }
                TraceOfRoute trace = latestTraceOf(c, route.get(), at);
                routes.add(new AgentRoute(agent, route.get(), trace == null ? null : trace.traceId(),
                        trace == null ? null : trace.started(), trace != null && trace.hops() != null));
                byAgent.put(agent, route.get().route());
                if (trace != null && trace.hops() != null) {
                    replies.put(agent, trace.hops());
                }
            }
            return new VantageComparison(destination, method, at, List.copyOf(distinct), routes,
                    VantageAlignment.rows(byAgent, replies), VantageAlignment.sharedHops(byAgent, replies),
                    VantageAlignment.convergence(byAgent));
        });
    }

    /**
     * The traces that started in {@code [from, to]} and got a reply from an address in {@code prefix} (a /32 is one
     * address), oldest first (then by agent and trace id), at most {@code limit}. Each trace appears once, with the
     * address of the prefix it reached at the smallest TTL. Traces whose hop records were pruned are not found.
     */
    public List<TraceRef> tracesThrough(Ipv4Prefix prefix, Instant from, Instant to, int limit) {
        if (prefix == null) {
            throw new IllegalArgumentException("the address or prefix is missing");
        }
        requireWindow(from, to);
        if (limit < 1 || limit > MAX_TRACE_LIMIT) {
            throw new IllegalArgumentException("the trace limit must be 1.." + MAX_TRACE_LIMIT + ", got " + limit);
        }
        long first = addressNumber(prefix.first());
        long last = addressNumber(prefix.last());
        return read("finding traces through " + prefix, c -> {
            // the oldest `limit` traces so far, each at its nearest address: a trace's entries in other lists have the
            // same start, so one that is too new to be kept now never will be, and memory stays within the limit
            TreeMap<Through, Through> oldest = new TreeMap<>(Through.OLDEST_FIRST);
            // one address: its lists come in order of first start, and none after the newest kept can add to them
            boolean oneAddress = first == last;
            // a list's traces started less than SPAN after its first: the lists of the window start from SPAN before
            // it.
            // For a prefix the start is tested through COALESCE, which no index serves: the lists are then found by
            // address (the primary key), as every database should; SQLite, without statistics, would otherwise read
            // them by start, every list of the window.
            try (PreparedStatement q = c.prepareStatement("SELECT addr_num, first_started, traces FROM address_traces "
                    + "WHERE addr_num BETWEEN ? AND ? AND "
                    + (oneAddress ? "first_started" : "COALESCE(first_started, first_started)")
                    + " BETWEEN ? AND ? AND last_started >= ?"
                    + (oneAddress ? " ORDER BY addr_num, first_started" : ""))) {
                Instant listsFrom = from.isAfter(TraceAtAddress.EARLIEST.plus(AddressTraceLists.SPAN))
                        ? from.minus(AddressTraceLists.SPAN) : TraceAtAddress.EARLIEST;
                bind(q, List.of(first, last, listsFrom, to, from));
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        if (oneAddress && oldest.size() == limit
                                && instant(r, "first_started").isAfter(oldest.lastKey().trace().started())) {
                            break;
                        }
                        long address = r.getLong(1);
                        for (TraceAtAddress t : addressList(r.getBytes(3), address)) {
                            if (t.started().isBefore(from) || t.started().isAfter(to)) {
                                continue;
                            }
                            Through through = new Through(address, t);
                            if (oldest.size() < limit || Through.OLDEST_FIRST.compare(through, oldest.lastKey()) < 0) {
                                oldest.merge(through, through, Through::nearer);
                                if (oldest.size() > limit) {
                                    oldest.pollLastEntry();
                                }
                            }
                        }
                    }
                }
            }
            List<TraceRef> out = new ArrayList<>(oldest.size());
            try (PreparedStatement q = c.prepareStatement("SELECT measurement_id, method, dst FROM applied_traces "
                    + "WHERE agent_id = ? AND trace_id = ?")) {
                for (Through t : oldest.values()) {
                    TraceAtAddress trace = t.trace();
                    q.setString(1, trace.agentId());
                    q.setString(2, trace.traceId());
                    try (ResultSet r = q.executeQuery()) {
                        if (r.next()) {
                            out.add(new TraceRef(trace.agentId(), trace.traceId(), r.getString(1),
                                    StoredColumns.method(r.getString(2)), r.getString(3), trace.started(),
                                    Ipv4Address.format((int) t.address()), trace.ttl()));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** A trace through an address of the prefix asked for; {@link #OLDEST_FIRST} tells traces apart, not addresses. */
    private record Through(long address, TraceAtAddress trace) {
        static final Comparator<Through> OLDEST_FIRST = Comparator.comparing(Through::trace,
                TraceAtAddress.OLDEST_FIRST);

        /** The one a trace is listed at: the smallest TTL, then the lowest address. */
        static Through nearer(Through a, Through b) {
            int byTtl = Integer.compare(a.trace().ttl(), b.trace().ttl());
            return byTtl < 0 || byTtl == 0 && a.address() <= b.address() ? a : b;
        }
    }

    private static List<TraceAtAddress> addressList(byte[] bytes, long address) {
        try {
            return AddressTracesCodec.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new StoreException("a list of the address index (" + Ipv4Address.format((int) address)
                    + ") is not readable: " + e.getMessage(), e);
        }
    }

    /**
     * The part of the merged graph that {@code filter} selects.
     *
     * <ul>
     *   <li>Candidates: the nodes and links that the filter's agents (all, when none are named) saw within the
     *       window, by their per-agent rows: last seen by one of those agents at or after {@code from} and first seen
     *       by it at or before {@code to}; placeholders and their links by their traces: run by one of those agents,
     *       started within the window.</li>
     *   <li>With a destination prefix, address and agent nodes are further restricted to those on the route periods
     *       of those agents toward destinations in the prefix that were observed within the window (every address of
     *       those routes, the destinations, and the agents that traced them), and placeholders to those of their
     *       traces toward the prefix.</li>
     *   <li>Placeholders of silent TTLs are kept only as whole runs that connect kept nodes; the node limit keeps
     *       the most observed nodes (observations by the chosen agents, ties by node order); links are kept when
     *       both ends are (see {@link SubgraphSelection}).</li>
     * </ul>
     */
    public Subgraph subgraph(SubgraphFilter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("the subgraph filter is missing");
        }
        return read("reading a subgraph", c -> {
            if (filter.wholeGraph()) {
                Optional<Subgraph> named = namedNodesOnly(c, filter);
                if (named.isPresent()) {
                    return named.get();
                }
            }
            if (filter.destinations() != null) {
                Set<NodeId> restriction = onRoutesToward(c, filter);
                if (restriction.size() <= MAX_RESTRICTION_READ_BY_KEY) {
                    return aroundRoutes(c, filter, restriction);
                }
                return everyCandidate(c, filter, restriction);
            }
            return everyCandidate(c, filter, null);
        });
    }

    /**
     * {@link #subgraph} read from every candidate row, whatever the filter: the general reading, which the others
     * must agree with (the contract tests compare them).
     */
    Subgraph subgraphFromEveryCandidate(SubgraphFilter filter) {
        return read("reading a subgraph", c -> everyCandidate(c, filter,
                filter.destinations() == null ? null : onRoutesToward(c, filter)));
    }

    private static Subgraph everyCandidate(Connection c, SubgraphFilter filter, Set<NodeId> restriction)
            throws SQLException {
        Map<NodeId, Long> weights = nodeWeights(c, filter);
        Set<LinkId> links = new HashSet<>();
        addLinks(c, filter, null, links);
        addPlaceholders(c, filter, restriction != null, weights, links);
        return chosen(c, filter, weights, links, restriction);
    }

    /** The subgraph of the nodes {@link SubgraphSelection} keeps among these candidates, with their links. */
    private static Subgraph chosen(Connection c, SubgraphFilter filter, Map<NodeId, Long> weights, Set<LinkId> links,
                                   Set<NodeId> restriction) throws SQLException {
        SubgraphSelection.Result chosen = SubgraphSelection.select(weights, restriction, links, filter.nodeLimit());
        List<NodeSummary> nodes = nodes(c, chosen.kept());
        Set<NodeId> present = new HashSet<>();
        nodes.forEach(n -> present.add(n.id()));
        Set<LinkId> keptLinks = new HashSet<>();
        for (LinkId l : links) {
            if (present.contains(l.from()) && present.contains(l.to())) {
                keptLinks.add(l);
            }
        }
        return new Subgraph(filter, nodes, links(c, keptLinks), chosen.matched());
    }

    /**
     * A prefix-filtered subgraph read by key from what can be kept, instead of from every row: the nodes on the
     * routes toward the prefix, the links from them to addresses and agents, and the placeholders of the traces
     * toward the prefix with their links. That is what the reading of every candidate row gives
     * {@link SubgraphSelection} about the nodes that can be kept.
     */
    private static Subgraph aroundRoutes(Connection c, SubgraphFilter f, Set<NodeId> restriction)
            throws SQLException {
        Map<NodeId, Long> weights = seenNodes(c, f, restriction);
        Set<LinkId> links = seenLinks(c, f, namedLinksFrom(c, weights.keySet()));
        addPlaceholders(c, f, true, weights, links);
        return chosen(c, f, weights, links, restriction);
    }

    /**
     * Adds to {@code weights} and {@code links} the placeholders, and their links, of the traces the filter's agents
     * ran within its window (only those toward its prefix when {@code toward}): each is seen once, by its trace's
     * agent at the trace's start. Their traces' rows keep them ({@link TracePlaceholders}). Toward a prefix, the
     * traces are read by destination alone ({@code applied_traces_destination}) and the rest is tested here: with a
     * window too, a database may read them by start instead, every trace of a long window.
     */
    private static void addPlaceholders(Connection c, SubgraphFilter f, boolean toward, Map<NodeId, Long> weights,
                                        Set<LinkId> links) throws SQLException {
        List<String> where = new ArrayList<>(List.of("placeholder_links IS NOT NULL"));
        List<Object> params = new ArrayList<>();
        if (toward) {
            where.add("dst_num BETWEEN ? AND ?");
            params.add(addressNumber(f.destinations().first()));
            params.add(addressNumber(f.destinations().last()));
        } else {
            where.addAll(windowOf(f, "started_at", "started_at", params));
            if (!f.allAgents()) {
                where.add("agent_id IN (" + placeholders(f.agents().size()) + ")");
                params.addAll(f.agents());
            }
        }
        eachRow(c, "SELECT " + TracePlaceholders.COLUMNS + " FROM applied_traces WHERE " + String.join(" AND ", where),
                params, r -> {
                    TracePlaceholders p = TracePlaceholders.read(r, dialect(r));
                    if (toward && !ranWithin(f, p)) {
                        return;
                    }
                    p.placeholders().forEach(n -> weights.put(n, 1L));
                    p.links().forEach(l -> links.add(l.id()));
                });
    }

    /** Whether one of the filter's agents ran the trace of {@code p}, started within the filter's window. */
    private static boolean ranWithin(SubgraphFilter f, TracePlaceholders p) {
        return (f.allAgents() || f.agents().contains(p.trace().agentId()))
                && (f.from() == null || !p.start().isBefore(f.from()))
                && (f.to() == null || !p.start().isAfter(f.to()));
    }

    /** Which of {@code ids} the filter's agents saw in its window, with how often they saw them. */
    private static Map<NodeId, Long> seenNodes(Connection c, SubgraphFilter f, Set<NodeId> ids) throws SQLException {
        Map<NodeId, Long> out = new HashMap<>();
        for (Map.Entry<NodeKind, List<List<String>>> kind : batchesByKind(ids).entrySet()) {
            for (List<String> keys : kind.getValue()) {
                addWeights(c, f, rowLiterals(kind.getKey(), keys), out);
            }
        }
        return out;
    }

    /** Which of {@code ids} (links between addresses and agents) the filter's agents saw in its window. */
    private static Set<LinkId> seenLinks(Connection c, SubgraphFilter f, Set<LinkId> ids) throws SQLException {
        if (unfiltered(f)) {
            return ids;
        }
        Set<LinkId> out = new HashSet<>();
        List<LinkId> sorted = ids.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i += IN_BATCH) {
            addLinks(c, f, linkLiterals(sorted.subList(i, Math.min(sorted.size(), i + IN_BATCH))), out);
        }
        return out;
    }

    /** A {@link #seenBy} clause with one more condition. */
    private static String and(String seenBy, String condition) {
        return seenBy.isEmpty() ? " WHERE " + condition : seenBy + " AND " + condition;
    }

    /** The links from any of {@code ends} to an address or agent. */
    private static Set<LinkId> namedLinksFrom(Connection c, Set<NodeId> ends) throws SQLException {
        Set<LinkId> out = new HashSet<>();
        eachLinkOf(c, ends, "from", l -> {
            if (l.to().kind() != NodeKind.ANONYMOUS) {
                out.add(l);
            }
        });
        return out;
    }

    /**
     * Hands every link whose {@code side} end ({@code from} or {@code to}) is one of {@code ends} to
     * {@code action}, looked up end by end: an equality on both columns of an end is found through the primary key
     * or {@code links_to} by both databases (with a row-value {@code IN} list H2 may scan every link of a kind).
     */
    private static void eachLinkOf(Connection c, Set<NodeId> ends, String side, Consumer<LinkId> action)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT from_kind, from_key, to_kind, to_key, link_kind "
                + "FROM links WHERE " + side + "_kind = ? AND " + side + "_key = ?")) {
            for (NodeId end : ends) {
                q.setString(1, end.kind().name());
                q.setString(2, end.key());
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        action.accept(ColumnCodec.linkId(r));
                    }
                }
            }
        }
    }

    /**
     * The current route of every key that matches, in agent, destination and method order, at most {@code limit}.
     *
     * @param agentId     only this agent's routes, or null for every agent
     * @param destination only routes toward this destination (dotted), or null for every destination
     * @param method      only routes of this trace method, or null for every method
     */
    public RouteList currentRoutes(String agentId, String destination, MeasurementMethod method, int limit) {
        if (destination != null) {
            Ipv4Address.parse(destination);
        }
        if (method != null && !method.isTrace()) {
            throw new IllegalArgumentException("routes are kept for trace methods, got " + method.wireName());
        }
        if (limit < 1 || limit > MAX_ROUTE_LIMIT) {
            throw new IllegalArgumentException("the route limit must be 1.." + MAX_ROUTE_LIMIT + ", got " + limit);
        }
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (agentId != null) {
            where.add("c.agent_id = ?");
            params.add(agentId);
        }
        if (destination != null) {
            where.add("c.destination = ?");
            params.add(destination);
        }
        if (method != null) {
            where.add("c.method = ?");
            params.add(method.wireName());
        }
        params.add(limit + 1);
        String sql = "SELECT p.agent_id, p.destination, p.method, p.route, p.first_seen, p.last_seen, "
                + "p.observations, p.period_no FROM " + CollectorStore.CURRENT_PERIODS
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY c.agent_id, c.destination, c.method LIMIT ?";
        return read("listing current routes", c -> {
            List<RouteSummary> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql)) {
                bind(q, params);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new RouteSummary(StoredColumns.routeKey(r), r.getInt("period_no"),
                                instant(r, "first_seen"), instant(r, "last_seen"), r.getLong("observations"),
                                Route.parse(r.getString("route")).hops().size()));
                    }
                }
            }
            boolean truncated = out.size() > limit;
            return new RouteList(truncated ? out.subList(0, limit) : out, truncated);
        });
    }

    /**
     * The RTT of {@code address} (the key's destination when null) in each of the key's traces that started in
     * {@code [from, to]}: per trace, the median of the address's in-place replies at the smallest TTL it answered,
     * or no value when it did not answer. Traces whose hop records were pruned are left out. When more than
     * {@code limit} traces started in the window, the latest {@code limit} are taken; points are oldest first.
     */
    public RttSeries rttSeries(RouteKey key, String address, Instant from, Instant to, int limit) {
        requireKey(key);
        String followed = address == null ? key.destination() : address;
        Ipv4Address.parse(followed);
        requireWindow(from, to);
        if (limit < 1 || limit > MAX_SERIES_LIMIT) {
            throw new IllegalArgumentException("the point limit must be 1.." + MAX_SERIES_LIMIT + ", got " + limit);
        }
        List<Object> params = new ArrayList<>(tracesOfRoute(key));
        params.add(from);
        params.add(to);
        params.add(limit + 1);
        return read("reading the RTT series of " + followed + " for " + key, c -> {
            List<RttSeries.Point> latestFirst = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT trace_id, started_at, hops FROM applied_traces "
                    + "WHERE " + TRACES_OF_ROUTE + " AND started_at >= ? AND started_at <= ? "
                    + "AND hops IS NOT NULL ORDER BY started_at DESC, trace_id DESC LIMIT ?")) {
                bind(q, params);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        latestFirst.add(point(instant(r, "started_at"), r.getString("trace_id"),
                                HopsCodec.decode(r.getBytes("hops")), followed));
                    }
                }
            }
            boolean truncated = latestFirst.size() > limit;
            List<RttSeries.Point> points = new ArrayList<>(truncated ? latestFirst.subList(0, limit) : latestFirst);
            java.util.Collections.reverse(points);
            return new RttSeries(key, followed, from, to, points, truncated);
        });
    }

    /** The point of one trace: the address's smallest in-place TTL and its median RTT there, if it answered. */
    private static RttSeries.Point point(Instant started, String traceId, List<HopRecord> hops, String address) {
        Integer ttl = null;
        for (HopRecord h : hops) {
            if (address.equals(h.addr()) && AssembledTrace.isPositional(h) && (ttl == null || h.ttl() < ttl)) {
                ttl = h.ttl();
            }
        }
        Double rtt = ttl == null ? null : VantageAlignment.median(hops, ttl, address);
        return new RttSeries.Point(started, traceId, ttl, rtt);
    }

    // ---- routes

    private Optional<RouteAt> inForce(Connection c, RouteKey key, Instant t) throws SQLException {
        return periods(c, key, IN_FORCE + " ORDER BY p.period_no DESC LIMIT 1", List.of(t, t)).stream().findFirst();
    }

    private Optional<RouteAt> current(Connection c, RouteKey key) throws SQLException {
        return periods(c, key, " AND n.period_no IS NULL ORDER BY p.period_no DESC LIMIT 1", List.of()).stream()
                .findFirst();
    }

    private static List<RouteAt> periods(Connection c, RouteKey key, String rest, List<Object> more)
            throws SQLException {
        List<Object> params = new ArrayList<>(routeKey(key));
        params.addAll(more);
        List<RouteAt> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(PERIODS + rest)) {
            bind(q, params);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    RoutePeriod p = new RoutePeriod(key, r.getInt("period_no"), Route.parse(r.getString("route")),
                            instant(r, "first_seen"), instant(r, "last_seen"), r.getLong("observations"));
                    out.add(new RouteAt(p, instant(r, "replaced_at")));
                }
            }
        }
        return out;
    }

    private static List<RouteChangeEvent> changes(Connection c, RouteKey key, Instant from, Instant to)
            throws SQLException {
        List<Object> params = new ArrayList<>(routeKey(key));
        params.add(from);
        params.add(to);
        List<RouteChangeEvent> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT changed_at, old_route, old_first_seen, old_last_seen, "
                + "new_route, divergence_ttl, last_common_ttl, last_common_hop FROM route_changes "
                + "WHERE agent_id = ? AND destination = ? AND method = ? AND changed_at >= ? AND changed_at <= ? "
                + "ORDER BY period_no")) {
            bind(q, params);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(ColumnCodec.routeChange(r, key, dialect(r)));
                }
            }
        }
        return out;
    }

    /** A trace of a route, with its hop records (null when pruned). */
    private record TraceOfRoute(String traceId, Instant started, List<HopRecord> hops) {
    }

    /**
     * The agent's latest trace of the key that started within the route's period and not after {@code at}, and whose
     * replies fit the route (an out-of-order trace of another route may lie within the period). A trace whose hop
     * records were pruned cannot be checked and is taken as it is. Null when none of the latest
     * {@value #TRACE_CANDIDATES} fits.
     */
    private static TraceOfRoute latestTraceOf(Connection c, RouteAt route, Instant at) throws SQLException {
        RoutePeriod p = route.period();
        Instant upTo = at == null || at.isAfter(p.lastSeen()) ? p.lastSeen() : at;
        List<Object> params = new ArrayList<>(tracesOfRoute(p.key()));
        params.add(p.firstSeen());
        params.add(upTo);
        params.add(TRACE_CANDIDATES);
        try (PreparedStatement q = c.prepareStatement("SELECT trace_id, started_at, hops FROM applied_traces "
                + "WHERE " + TRACES_OF_ROUTE + " AND started_at >= ? AND started_at <= ? "
                + "ORDER BY started_at DESC, trace_id DESC LIMIT ?")) {
            bind(q, params);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    byte[] bytes = r.getBytes("hops");
                    List<HopRecord> hops = bytes == null ? null : HopsCodec.decode(bytes);
                    if (hops == null || fits(route.route(), hops)) {
                        return new TraceOfRoute(r.getString("trace_id"), instant(r, "started_at"), hops);
                    }
                }
            }
        }
        return null;
    }

    /** Whether every positional reply within the route's TTLs came from an address the route has there. */
    private static boolean fits(Route route, List<HopRecord> hops) {
        for (HopRecord h : hops) {
            if (!AssembledTrace.isPositional(h)) {
                continue;
            }
            Optional<RouteHop> there = route.hop(h.ttl());
            if (there.isPresent() && !there.get().isSilent() && !there.get().addresses().contains(h.addr())) {
                return false;
            }
        }
        return true;
    }

    // ---- subgraph

    /** The SQL conditions, on table alias {@code a}, of rows seen by the filter's agents within its window. */
    private static String seenBy(SubgraphFilter f, String a, List<Object> params) {
        List<String> where = windowOf(f, a + ".last_seen", a + ".first_seen", params);
        if (!f.allAgents()) {
            where.add(a + ".agent_id IN (" + placeholders(f.agents().size()) + ")");
            params.addAll(f.agents());
        }
        return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    }

    /**
     * The map's default view (every agent, any time, no prefix) at a node limit of {@code limit}, taken from a
     * reading of it at a larger limit when that reading holds the answer: the view keeps the most observed address
     * and agent nodes first (ties by node order), so a reading that kept at least {@code limit} of them holds the
     * {@code limit} most observed, the links among them, and the same count of matched nodes; a reading that kept
     * every node that matched holds the answer at any larger limit too. Empty otherwise (a filtered reading, a
     * smaller one, or one cut short with fewer address and agent nodes than {@code limit}).
     */
    public static Optional<Subgraph> narrowed(Subgraph read, int limit) {
        SubgraphFilter f = read.filter();
        if (!f.wholeGraph() || limit < 1 || limit > f.nodeLimit()) {
            return Optional.empty();
        }
        if (limit == f.nodeLimit()) {
            return Optional.of(read);
        }
        if (!read.truncated() && limit >= read.nodes().size()) {
            // everything that matched fits
            return Optional.of(new Subgraph(f.limitedTo(limit), read.nodes(), read.links(), read.matchedNodes()));
        }
        List<NodeSummary> named = new ArrayList<>();
        for (NodeSummary n : read.nodes()) {
            if (n.id().kind() != NodeKind.ANONYMOUS) {
                named.add(n);
            }
        }
        if (named.size() < limit) {
            return Optional.empty();
        }
        Map<NodeId, Long> weights = new HashMap<>();
        named.forEach(n -> weights.put(n.id(), n.observations()));
        Set<NodeId> kept = SubgraphSelection.mostObserved(weights.keySet(), weights, limit);
        List<NodeSummary> nodes = read.nodes().stream().filter(n -> kept.contains(n.id())).toList();
        List<LinkSummary> links = read.links().stream()
                .filter(l -> kept.contains(l.id().from()) && kept.contains(l.id().to())).toList();
        return Optional.of(new Subgraph(f.limitedTo(limit), nodes, links, read.matchedNodes()));
    }

    /** Whether the filter takes every agent at any time (the map's default view). */
    private static boolean unfiltered(SubgraphFilter f) {
        return f.allAgents() && f.from() == null && f.to() == null;
    }

    /**
     * The unfiltered subgraph when its address and agent nodes alone fill the node limit, read without touching a
     * placeholder: none could be kept then, and the tally kept as traces are applied says how many placeholders
     * connect nodes (all of them match when every agent at any time does). Empty when placeholders could be kept;
     * the general reading then applies. The store's contract tests check that both readings give the same
     * subgraph.
     */
    private static Optional<Subgraph> namedNodesOnly(Connection c, SubgraphFilter f) throws SQLException {
        // The graph's tables hold addresses and agents only (placeholders are in their traces' rows); no list of
        // keys is sent.
        Map<NodeId, Long> named = new HashMap<>();
        eachRow(c, "SELECT node_kind, node_key, observations FROM nodes",
                r -> named.put(ColumnCodec.nodeId(r, "node_kind", "node_key"), r.getLong("observations")));
        if (named.size() < f.nodeLimit()) {
            return Optional.empty();
        }
        long[] connecting = {0};
        eachRow(c, "SELECT COALESCE(SUM(connecting), 0) AS connecting FROM placeholder_tally",
                r -> connecting[0] = r.getLong("connecting"));
        Set<NodeId> kept = SubgraphSelection.mostObserved(named.keySet(), named, f.nodeLimit());

        Map<NodeId, SortedMap<String, Long>> nodeAgents = new HashMap<>();
        eachRow(c, "SELECT node_kind, node_key, agent_id, observations FROM node_agents", r -> {
            NodeId id = ColumnCodec.nodeId(r, "node_kind", "node_key");
            if (kept.contains(id)) {
                nodeAgents.computeIfAbsent(id, k -> new TreeMap<>()).put(r.getString("agent_id"),
                        r.getLong("observations"));
            }
        });
        List<NodeSummary> nodes = new ArrayList<>();
        eachRow(c, "SELECT node_kind, node_key, first_seen, last_seen, observations, destination, rtt, min_mtu, "
                + "reply_types, mpls FROM nodes", r -> {
            NodeId id = ColumnCodec.nodeId(r, "node_kind", "node_key");
            if (kept.contains(id)) {
                nodes.add(ColumnCodec.nodeSummary(r, nodeAgents.getOrDefault(id, new TreeMap<>()),
                        dialect(r)));
            }
        });
        nodes.sort((a, b) -> a.id().compareTo(b.id()));
        Set<NodeId> present = new HashSet<>();
        nodes.forEach(n -> present.add(n.id()));

        Map<LinkId, SortedMap<String, Long>> linkAgents = new HashMap<>();
        String linkAgentRows = "SELECT from_kind, from_key, to_kind, to_key, link_kind, agent_id, observations "
                + "FROM link_agents";
        eachRow(c, linkAgentRows, r -> {
            LinkId id = ColumnCodec.linkId(r);
            if (present.contains(id.from()) && present.contains(id.to())) {
                linkAgents.computeIfAbsent(id, k -> new TreeMap<>()).put(r.getString("agent_id"),
                        r.getLong("observations"));
            }
        });
        List<LinkSummary> links = new ArrayList<>();
        eachRow(c, "SELECT from_kind, from_key, to_kind, to_key, link_kind, first_seen, last_seen, observations, "
                + "ambiguous_observations, min_gap, max_gap, rtt, mtu FROM links", r -> {
            LinkId id = ColumnCodec.linkId(r);
            if (present.contains(id.from()) && present.contains(id.to())) {
                links.add(ColumnCodec.linkSummary(id, r, linkAgents.getOrDefault(id, new TreeMap<>()),
                        dialect(r)));
            }
        });
        links.sort((a, b) -> a.id().compareTo(b.id()));
        return Optional.of(new Subgraph(f, nodes, links, Math.toIntExact(named.size() + connecting[0])));
    }

    /** What to do with each row of a result. */
    private interface RowAction {
        void accept(ResultSet row) throws SQLException;
    }

    /** Runs {@code sql} (no parameters) and hands every row to {@code action}. */
    private static void eachRow(Connection c, String sql, RowAction action) throws SQLException {
        eachRow(c, sql, List.of(), action);
    }

    /** Runs {@code sql} with {@code params} and hands every row to {@code action}. */
    private static void eachRow(Connection c, String sql, List<Object> params, RowAction action) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, params);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    action.accept(r);
                }
            }
        }
    }

    /**
     * The SQL conditions of rows seen within the filter's window (none without one), by the columns of when they were
     * last and first seen; adds their values to {@code params}.
     */
    private static List<String> windowOf(SubgraphFilter f, String lastSeen, String firstSeen, List<Object> params) {
        List<String> out = new ArrayList<>();
        if (f.from() != null) {
            out.add(lastSeen + " >= ?");
            params.add(f.from());
        }
        if (f.to() != null) {
            out.add(firstSeen + " <= ?");
            params.add(f.to());
        }
        return out;
    }

    /** Every node seen by the filter's agents in its window, with how often they saw it. */
    private static Map<NodeId, Long> nodeWeights(Connection c, SubgraphFilter f) throws SQLException {
        Map<NodeId, Long> out = new HashMap<>();
        addWeights(c, f, null, out);
        return out;
    }

    /**
     * Adds to {@code out} the addresses and agents the filter's agents saw in its window, with how often they saw
     * them: every one ({@code keys} null), or only those of {@code keys}, row values {@code (kind, key)} (see
     * {@link #rowLiterals}).
     */
    private static void addWeights(Connection c, SubgraphFilter f, String keys, Map<NodeId, Long> out)
            throws SQLException {
        List<Object> params = new ArrayList<>();
        if (unfiltered(f)) {
            // every agent at any time: the node rows hold those sums already (the per-agent rows add up to them)
            eachRow(c, "SELECT node_kind, node_key, observations AS seen FROM nodes"
                    + (keys == null ? "" : " WHERE (node_kind, node_key) IN (" + keys + ")"), params,
                    r -> out.put(ColumnCodec.nodeId(r, "node_kind", "node_key"), r.getLong("seen")));
            return;
        }
        eachRow(c, "SELECT na.node_kind, na.node_key, SUM(na.observations) AS seen FROM node_agents na"
                + (keys == null ? seenBy(f, "na", params)
                        : and(seenBy(f, "na", params), "(na.node_kind, na.node_key) IN (" + keys + ")"))
                + " GROUP BY na.node_kind, na.node_key", params,
                r -> out.put(ColumnCodec.nodeId(r, "node_kind", "node_key"), r.getLong("seen")));
    }

    /**
     * Adds to {@code out} the links between addresses and agents that the filter's agents saw in its window: every
     * one, or only those of {@code keys} (row values of whole link keys, see {@link #linkLiterals}; only with agents
     * or a window).
     */
    private static void addLinks(Connection c, SubgraphFilter f, String keys, Set<LinkId> out) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = unfiltered(f) && keys == null ? "SELECT from_kind, from_key, to_kind, to_key, link_kind FROM links"
                : "SELECT DISTINCT la.from_kind, la.from_key, la.to_kind, la.to_key, la.link_kind FROM link_agents la"
                        + (keys == null ? seenBy(f, "la", params) : and(seenBy(f, "la", params),
                                "(la.from_kind, la.from_key, la.to_kind, la.to_key, la.link_kind) IN (" + keys + ")"));
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, params);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(ColumnCodec.linkId(r));
                }
            }
        }
    }

    /**
     * The nodes on the routes of the filter's agents toward destinations in its prefix, in periods observed within
     * its window: every address of those routes, the destinations themselves, and the agents that traced them.
     */
    private static Set<NodeId> onRoutesToward(Connection c, SubgraphFilter f) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(addressNumber(f.destinations().first()));
        params.add(addressNumber(f.destinations().last()));
        StringBuilder sql = new StringBuilder("SELECT agent_id, destination, route FROM route_periods "
                + "WHERE destination_num BETWEEN ? AND ?");
        windowOf(f, "last_seen", "first_seen", params).forEach(w -> sql.append(" AND ").append(w));
        if (!f.allAgents()) {
            sql.append(" AND agent_id IN (").append(placeholders(f.agents().size())).append(')');
            params.addAll(f.agents());
        }
        Set<NodeId> out = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement(sql.toString())) {
            bind(q, params);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(NodeId.agent(r.getString("agent_id")));
                    out.add(NodeId.address(r.getString("destination")));
                    for (RouteHop h : Route.parse(r.getString("route")).hops()) {
                        h.addresses().forEach(a -> out.add(NodeId.address(a)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The stored summaries of {@code ids}, in node order (a node removed meanwhile is left out): addresses and
     * agents from their rows, placeholders from their traces' rows.
     */
    private static List<NodeSummary> nodes(Connection c, Set<NodeId> ids) throws SQLException {
        Map<NodeId, SortedMap<String, Long>> agents = new HashMap<>();
        List<NodeSummary> out = new ArrayList<>();
        Set<NodeId> named = ids.stream().filter(n -> n.kind() != NodeKind.ANONYMOUS).collect(Collectors.toSet());
        Set<TraceKey> traces = ids.stream().filter(n -> n.kind() == NodeKind.ANONYMOUS)
                .map(TracePlaceholders::traceOf).collect(Collectors.toSet());
        for (TracePlaceholders p : tracePlaceholders(c, traces)) {
            p.nodeSummaries().stream().filter(n -> ids.contains(n.id())).forEach(out::add);
        }
        for (Map.Entry<NodeKind, List<List<String>>> kind : batchesByKind(named).entrySet()) {
            for (List<String> keys : kind.getValue()) {
                // row values as constants: H2 then finds them through the primary key
                String where = " WHERE (node_kind, node_key) IN (" + rowLiterals(kind.getKey(), keys) + ")";
                eachRow(c, "SELECT node_kind, node_key, agent_id, observations FROM node_agents" + where,
                        r -> agents.computeIfAbsent(ColumnCodec.nodeId(r, "node_kind", "node_key"),
                                k -> new TreeMap<>()).put(r.getString("agent_id"), r.getLong("observations")));
                try (PreparedStatement q = c.prepareStatement("SELECT node_kind, node_key, first_seen, last_seen, "
                        + "observations, destination, rtt, min_mtu, reply_types, mpls FROM nodes" + where)) {
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            NodeId id = ColumnCodec.nodeId(r, "node_kind", "node_key");
                            out.add(ColumnCodec.nodeSummary(r, agents.getOrDefault(id, new TreeMap<>()),
                                    dialect(r)));
                        }
                    }
                }
            }
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }

    /**
     * The stored summaries of {@code ids}, in link order: links between addresses and agents read by their near
     * ends, placeholders' links from their traces' rows.
     */
    private static List<LinkSummary> links(Connection c, Set<LinkId> ids) throws SQLException {
        Set<LinkId> named = ids.stream().filter(l -> l.kind() != LinkKind.PLACEHOLDER).collect(Collectors.toSet());
        Set<TraceKey> traces = ids.stream().filter(l -> l.kind() == LinkKind.PLACEHOLDER)
                .map(TracePlaceholders::traceOf).collect(Collectors.toSet());
        Set<NodeId> fromNodes = new HashSet<>();
        named.forEach(l -> fromNodes.add(l.from()));
        List<LinkSummary> out = new ArrayList<>();
        for (TracePlaceholders p : tracePlaceholders(c, traces)) {
            p.linkSummaries().stream().filter(l -> ids.contains(l.id())).forEach(out::add);
        }
        Map<LinkId, SortedMap<String, Long>> agents = linkAgents(c, named);
        for (Map.Entry<NodeKind, List<List<String>>> kind : batchesByKind(fromNodes).entrySet()) {
            for (List<String> keys : kind.getValue()) {
                // row values as constants: H2 then finds them through the primary key
                String where = " WHERE (from_kind, from_key) IN (" + rowLiterals(kind.getKey(), keys) + ")";
                try (PreparedStatement q = c.prepareStatement("SELECT from_kind, from_key, to_kind, to_key, "
                        + "link_kind, first_seen, last_seen, observations, ambiguous_observations, min_gap, max_gap, "
                        + "rtt, mtu FROM links" + where)) {
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            LinkId id = ColumnCodec.linkId(r);
                            if (named.contains(id)) {
                                out.add(ColumnCodec.linkSummary(id, r, agents.getOrDefault(id, new TreeMap<>()),
                                        dialect(r)));
                            }
                        }
                    }
                }
            }
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }

    /** The placeholders of {@code traces} (those that have some), each trace read by its key. */
    private static List<TracePlaceholders> tracePlaceholders(Connection c, Set<TraceKey> traces) throws SQLException {
        List<TracePlaceholders> out = new ArrayList<>();
        if (traces.isEmpty()) {
            return out;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT " + TracePlaceholders.COLUMNS + " FROM applied_traces "
                + "WHERE agent_id = ? AND trace_id = ?")) {
            for (TraceKey t : traces) {
                q.setString(1, t.agentId());
                q.setString(2, t.traceId());
                try (ResultSet r = q.executeQuery()) {
                    TracePlaceholders p = r.next() ? TracePlaceholders.read(r, dialect(r)) : null;
                    if (p != null) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Who saw each of these links (between addresses and agents), looked up by the links' whole keys: H2 finds
     * per-agent rows through an index only when every column of the link key is in the row-value list (with the
     * first two, it scans the table).
     */
    private static Map<LinkId, SortedMap<String, Long>> linkAgents(Connection c, Set<LinkId> ids)
            throws SQLException {
        List<LinkId> sorted = ids.stream().sorted().toList();
        Map<LinkId, SortedMap<String, Long>> agents = new HashMap<>();
        for (int i = 0; i < sorted.size(); i += IN_BATCH) {
            List<LinkId> batch = sorted.subList(i, Math.min(sorted.size(), i + IN_BATCH));
            String sql = "SELECT from_kind, from_key, to_kind, to_key, link_kind, agent_id, observations "
                    + "FROM link_agents WHERE (from_kind, from_key, to_kind, to_key, link_kind) IN ("
                    + linkLiterals(batch) + ")";
            try (PreparedStatement q = c.prepareStatement(sql)) {
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        agents.computeIfAbsent(ColumnCodec.linkId(r), k -> new TreeMap<>())
                                .put(r.getString("agent_id"), r.getLong("observations"));
                    }
                }
            }
        }
        return agents;
    }

    /**
     * {@code ('KIND', 'key'), ...} as SQL literals. H2 looks row-value IN lists up through an index only when their
     * values are constants (with bind parameters it tests every row of the table); the keys come from the store
     * itself and are quoted with {@link #literal}.
     */
    private static String rowLiterals(NodeKind kind, List<String> keys) {
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            out.append(out.isEmpty() ? "(" : ", (").append(literal(kind.name())).append(", ").append(literal(key))
                    .append(')');
        }
        return out.toString();
    }

    /** {@code ('FROM_KIND', 'from', 'TO_KIND', 'to', 'LINK_KIND'), ...} as SQL literals (see {@link #rowLiterals}). */
    private static String linkLiterals(List<LinkId> links) {
        StringBuilder rows = new StringBuilder();
        for (LinkId l : links) {
            rows.append(rows.isEmpty() ? "(" : ", (").append(literal(l.from().kind().name())).append(", ")
                    .append(literal(l.from().key())).append(", ").append(literal(l.to().kind().name()))
                    .append(", ").append(literal(l.to().key())).append(", ").append(literal(l.kind().name()))
                    .append(')');
        }
        return rows.toString();
    }

    /** A string as an SQL string literal (single quotes doubled). */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The keys of {@code ids} grouped by kind, in sorted batches of at most {@value #IN_BATCH}. */
    private static Map<NodeKind, List<List<String>>> batchesByKind(Set<NodeId> ids) {
        Map<NodeKind, List<String>> keys = new TreeMap<>();
        ids.stream().sorted().forEach(n -> keys.computeIfAbsent(n.kind(), k -> new ArrayList<>()).add(n.key()));
        Map<NodeKind, List<List<String>>> out = new TreeMap<>();
        keys.forEach((kind, all) -> {
            List<List<String>> batches = new ArrayList<>();
            for (int i = 0; i < all.size(); i += IN_BATCH) {
                batches.add(all.subList(i, Math.min(all.size(), i + IN_BATCH)));
            }
            out.put(kind, batches);
        });
        return out;
    }

    // ---- plumbing

    private static List<Object> routeKey(RouteKey key) {
        return List.of(key.agentId(), key.destination(), key.method().wireName());
    }

    /**
     * The conditions on {@code applied_traces} of the traces of one route, bound by {@link #tracesOfRoute}: their
     * index is {@code applied_traces_destination} (destination number, agent, method, start).
     */
    private static final String TRACES_OF_ROUTE = "dst_num = ? AND agent_id = ? AND dst = ? AND method = ?";

    private static List<Object> tracesOfRoute(RouteKey key) {
        return List.of(addressNumber(Ipv4Address.parse(key.destination())), key.agentId(), key.destination(),
                key.method().wireName());
    }

    /** How the database of a result keeps times. */
    private static StoreDialect dialect(ResultSet r) throws SQLException {
        return StoreDialect.of(r.getStatement().getConnection());
    }

    /** A time column of the current row, or null. */
    private static Instant instant(ResultSet r, String column) throws SQLException {
        return dialect(r).instant(r, column);
    }

    private static void bind(PreparedStatement q, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Instant t) {
                StoreDialect.of(q.getConnection()).setInstant(q, i + 1, t);
            } else if (p instanceof Long n) {
                q.setLong(i + 1, n);
            } else if (p instanceof Integer n) {
                q.setInt(i + 1, n);
            } else if (p instanceof String s) {
                q.setString(i + 1, s);
            } else {
                throw new IllegalStateException("cannot bind " + p);
            }
        }
    }

    private static void requireKey(RouteKey key) {
        if (key == null) {
            throw new IllegalArgumentException("the route key is missing");
        }
    }

    private static void requireTime(String what, Instant t) {
        if (t == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
    }

    private static void requireWindow(Instant from, Instant to) {
        requireTime("the window's start", from);
        requireTime("the window's end", to);
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("the window starts (" + from + ") after it ends (" + to + ")");
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(String what, Read<T> read) {
        try (Connection c = dataSource.getConnection()) {
            return read.run(c);
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }
}
