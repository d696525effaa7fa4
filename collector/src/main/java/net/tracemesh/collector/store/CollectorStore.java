package net.tracemesh.collector.store;

import static net.tracemesh.collector.store.ColumnCodec.instant;
import static net.tracemesh.collector.store.ColumnCodec.integer;
import static net.tracemesh.collector.store.ColumnCodec.setInstant;
import static net.tracemesh.collector.store.ColumnCodec.setInteger;
import static net.tracemesh.collector.store.ColumnCodec.setRtt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.TraceEnding;
import net.tracemesh.collector.history.CurrentRoute;
import net.tracemesh.collector.history.Divergence;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteChangeEvent;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.history.RouteObservation;
import net.tracemesh.collector.history.RouteTracker;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.LinkObservation;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.NodeObservation;
import net.tracemesh.collector.topology.ReplyType;
import net.tracemesh.collector.topology.TraceObservations;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.HopRecord;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The collector's database: applied traces and their hop records, the merged topology graph (nodes, links and the
 * vantage points that saw them) and the route history of every (agent, destination, method).
 *
 * <p>The schema is created and upgraded by Flyway from {@code db/migration} when the store opens. The SQL is
 * portable between H2 (the embedded default, run with {@code MODE=PostgreSQL}) and PostgreSQL: standard types only,
 * and upserts are done as {@code SELECT ... FOR UPDATE} then {@code UPDATE} or {@code INSERT} in the applying
 * transaction rather than with {@code MERGE} or {@code ON CONFLICT}.
 *
 * <p>{@link #apply} is idempotent per trace: its first statement inserts the applied-trace row, and a trace whose row
 * exists already (a duplicate, a replay, or another collector that got there first) changes nothing. Route history
 * is decided inside the same transaction from the locked {@code current_routes} row, so the database, not a
 * collector's memory, is the truth about the current route. A transaction that loses a race with another writer
 * (unique violation on a graph row, serialization failure, deadlock) is rolled back and retried whole.
 *
 * <p>Thread safety: every method is {@code synchronized} on the store, which holds one connection; one operation
 * runs at a time. Several collector processes can share one PostgreSQL database; an embedded store belongs to one
 * store instance at a time (see {@link #openEmbedded}).
 */
public final class CollectorStore implements AutoCloseable {
    /** The H2 database's base name in the data directory (H2 adds {@code .mv.db}). */
    public static final String DATABASE_NAME = "tracemesh";
    /** The file an embedded store locks in its data directory while it is open. */
    public static final String LOCK_FILE = "store.lock";
    /** Where the migrations are on the class path. */
    public static final String MIGRATIONS = "classpath:db/migration";
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    private static final String H2_USER = "sa";
    private static final String H2_PASSWORD = "";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final Set<String> RETRYABLE = Set.of(UNIQUE_VIOLATION, "40001", "40P01");
    private static final int MAX_ATTEMPTS = 5;

    private final Connection connection;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean closed;

    private CollectorStore(Connection connection, FileChannel lockChannel, FileLock lock) {
        this.connection = connection;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) the embedded H2 database under {@code dataDir} and migrates it. Only one store may
     * have a data directory open at a time, in this process or another: a second open is refused with an
     * {@link IllegalStateException} until the first store is closed.
     */
    public static CollectorStore openEmbedded(Path dataDir) {
        if (dataDir == null) {
            throw new IllegalArgumentException("the data directory is missing");
        }
        Path dir = dataDir.toAbsolutePath();
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot use data directory " + dir + ": " + e.getMessage(), e);
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by this process: refused below
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock " + dir.resolve(LOCK_FILE) + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException("the collector store in " + dir + " is already open (" + LOCK_FILE
                    + " is locked); close it before opening it again");
        }
        try {
            String url = "jdbc:h2:file:" + dir.resolve(DATABASE_NAME) + H2_OPTIONS;
            return new CollectorStore(migrateAndConnect(url, H2_USER, H2_PASSWORD), channel, lock);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Opens the database at any JDBC URL (PostgreSQL, or H2 in PostgreSQL mode) and migrates it. */
    public static CollectorStore open(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("a JDBC URL starts with \"jdbc:\", got " + jdbcUrl);
        }
        return new CollectorStore(migrateAndConnect(jdbcUrl, user, password), null, null);
    }

    private static Connection migrateAndConnect(String url, String user, String password) {
        try {
            Flyway.configure().dataSource(url, user, password).locations(MIGRATIONS).load().migrate();
        } catch (FlywayException e) {
            throw new StoreException("migrating the collector store at " + url + " failed: " + e.getMessage(), e);
        }
        try {
            Connection c = DriverManager.getConnection(url, user, password);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return c;
        } catch (SQLException e) {
            throw new StoreException("connecting to the collector store at " + url + " failed: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Applies one trace in one transaction: its row, its hops, every node and link observation merged into the
     * graph, and its route into the route history (a stale route, older than the current one, is not recorded).
     *
     * @return false, with nothing changed, if the trace had been applied before
     */
    public synchronized boolean apply(AssembledTrace trace, TraceObservations observations) {
        requireOpen();
        if (trace == null || observations == null) {
            throw new IllegalArgumentException("the trace and its observations are required");
        }
        if (!observations.trace().equals(trace.key())) {
            throw new IllegalArgumentException("observations of " + observations.trace() + " given for trace "
                    + trace.key());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                boolean applied = applyOnce(trace, observations);
                connection.commit();
                return applied;
            } catch (SQLException e) {
                rollbackQuietly();
                if (!RETRYABLE.contains(e.getSQLState()) || attempt == MAX_ATTEMPTS) {
                    throw new StoreException("applying trace " + trace.key() + " failed: " + e.getMessage(), e);
                }
            } catch (RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        }
    }

    private boolean applyOnce(AssembledTrace trace, TraceObservations o) throws SQLException {
        if (!insertTrace(trace)) {
            connection.rollback();
            return false;
        }
        insertHops(trace);
        for (NodeObservation n : o.nodes()) {
            upsertNode(n);
            upsertNodeAgent(n);
        }
        for (LinkObservation l : o.links()) {
            upsertLink(l);
            upsertLinkAgent(l);
        }
        Optional<Route> route = Route.of(trace);
        if (route.isPresent()) {
            recordRoute(RouteKey.of(trace), route.get(), trace.start());
        }
        return true;
    }

    private boolean insertTrace(AssembledTrace t) throws SQLException {
        TraceEnding e = t.ending();
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO applied_traces (agent_id, trace_id, "
                + "measurement_id, method, src, dst, sport, dport, round_start, started_at, ended_at, stop_reason, "
                + "stop_icmp_code, stop_ttl, path_mtu, hop_count, complete, closure, closed_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, t.agentId());
            s.setString(2, t.traceId());
            s.setString(3, t.measurementId());
            s.setString(4, t.method().wireName());
            s.setString(5, t.src());
            s.setString(6, t.dst());
            setInteger(s, 7, t.sport());
            setInteger(s, 8, t.dport());
            setInstant(s, 9, t.roundStart());
            setInstant(s, 10, t.start());
            setInstant(s, 11, e == null ? null : e.end());
            s.setString(12, e == null ? null : e.stopReason().wireName());
            setInteger(s, 13, e == null ? null : e.stopIcmpCode());
            setInteger(s, 14, e == null ? null : e.stopTtl());
            setInteger(s, 15, e == null ? null : e.pathMtu());
            s.setInt(16, t.hops().size());
            s.setBoolean(17, t.complete());
            s.setString(18, t.closure().name());
            setInstant(s, 19, t.closedAt());
            s.executeUpdate();
            return true;
        } catch (SQLException ex) {
            if (UNIQUE_VIOLATION.equals(ex.getSQLState())) {
                return false;
            }
            throw ex;
        }
    }

    private void insertHops(AssembledTrace t) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO trace_hops (agent_id, trace_id, seq, ttl, "
                + "probe, addr, rtt_ms, icmp_type, icmp_code, tcp_flags, reply_ttl, mtu, mpls, observed_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (HopRecord h : t.hops()) {
                s.setString(1, t.agentId());
                s.setString(2, t.traceId());
                s.setInt(3, seq++);
                s.setInt(4, h.ttl());
                s.setInt(5, h.probe());
                s.setString(6, h.addr());
                s.setDouble(7, h.rttMs());
                setInteger(s, 8, h.icmpType());
                setInteger(s, 9, h.icmpCode());
                s.setString(10, h.tcpFlags());
                s.setInt(11, h.replyTtl());
                setInteger(s, 12, h.mtu());
                s.setString(13, h.mpls() == null ? null : ColumnCodec.stack(h.mpls()));
                setInstant(s, 14, t.start());
                s.addBatch();
            }
            if (seq > 0) {
                s.executeBatch();
            }
        }
    }

    private void upsertNode(NodeObservation n) throws SQLException {
        RttSummary rtt = ColumnCodec.summaryOf(n.rttsMs(), n.observedAt());
        SortedSet<String> stacks = new TreeSet<>();
        n.mplsStacks().forEach(st -> stacks.add(ColumnCodec.stack(st)));
        try (PreparedStatement q = connection.prepareStatement("SELECT first_seen, last_seen, observations, "
                + "destination, rtt, min_mtu, reply_types, mpls FROM nodes WHERE node_kind = ? AND node_key = ? "
                + "FOR UPDATE")) {
            q.setString(1, n.node().kind().name());
            q.setString(2, n.node().key());
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    try (PreparedStatement s = connection.prepareStatement("INSERT INTO nodes (first_seen, "
                            + "last_seen, observations, destination, rtt, min_mtu, reply_types, mpls, node_kind, "
                            + "node_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        writeNode(s, n, n.observedAt(), n.observedAt(), 1, n.destination(), rtt, n.mtu(),
                                ColumnCodec.replyTypes(n.replyTypes()), ColumnCodec.stacksColumn(stacks));
                    }
                    return;
                }
                RttSummary merged = ColumnCodec.rtt(r, "rtt");
                merged.merge(rtt);
                SortedSet<ReplyType> types = ColumnCodec.replyTypes(r.getString("reply_types"));
                types.addAll(n.replyTypes());
                stacks.addAll(ColumnCodec.stackTexts(r.getString("mpls")));
                try (PreparedStatement s = connection.prepareStatement("UPDATE nodes SET first_seen = ?, "
                        + "last_seen = ?, observations = ?, destination = ?, rtt = ?, min_mtu = ?, reply_types = ?, "
                        + "mpls = ? WHERE node_kind = ? AND node_key = ?")) {
                    writeNode(s, n, min(instant(r, "first_seen"), n.observedAt()),
                            max(instant(r, "last_seen"), n.observedAt()), r.getLong("observations") + 1,
                            r.getBoolean("destination") || n.destination(), merged,
                            minInteger(integer(r, "min_mtu"), n.mtu()), ColumnCodec.replyTypes(types),
                            ColumnCodec.stacksColumn(stacks));
                }
            }
        }
    }

    private static void writeNode(PreparedStatement s, NodeObservation n, Instant first, Instant last,
                                  long observations, boolean destination, RttSummary rtt, Integer mtu,
                                  String replyTypes, String mpls) throws SQLException {
        setInstant(s, 1, first);
        setInstant(s, 2, last);
        s.setLong(3, observations);
        s.setBoolean(4, destination);
        setRtt(s, 5, rtt);
        setInteger(s, 6, mtu);
        s.setString(7, replyTypes);
        s.setString(8, mpls);
        s.setString(9, n.node().kind().name());
        s.setString(10, n.node().key());
        s.executeUpdate();
    }

    private void upsertNodeAgent(NodeObservation n) throws SQLException {
        upsertSeen("node_agents", "node_kind = ? AND node_key = ? AND agent_id = ?",
                List.of(n.node().kind().name(), n.node().key(), n.agentId()),
                "node_kind, node_key, agent_id", n.observedAt());
    }

    private void upsertLinkAgent(LinkObservation l) throws SQLException {
        upsertSeen("link_agents", LINK_KEY + " AND agent_id = ?", linkKey(l.id(), l.agentId()),
                "from_kind, from_key, to_kind, to_key, link_kind, agent_id", l.observedAt());
    }

    /** Upserts a (key, first_seen, last_seen, observations) row of a per-agent table. */
    private void upsertSeen(String table, String where, List<String> key, String keyColumns, Instant at)
            throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT first_seen, last_seen, observations FROM "
                + table + " WHERE " + where + " FOR UPDATE")) {
            for (int i = 0; i < key.size(); i++) {
                q.setString(i + 1, key.get(i));
            }
            try (ResultSet r = q.executeQuery()) {
                boolean found = r.next();
                String sql = found
                        ? "UPDATE " + table + " SET first_seen = ?, last_seen = ?, observations = ? WHERE " + where
                        : "INSERT INTO " + table + " (first_seen, last_seen, observations, " + keyColumns
                                + ") VALUES (?, ?, ?" + ", ?".repeat(key.size()) + ")";
                try (PreparedStatement s = connection.prepareStatement(sql)) {
                    setInstant(s, 1, found ? min(instant(r, "first_seen"), at) : at);
                    setInstant(s, 2, found ? max(instant(r, "last_seen"), at) : at);
                    s.setLong(3, found ? r.getLong("observations") + 1 : 1);
                    for (int i = 0; i < key.size(); i++) {
                        s.setString(4 + i, key.get(i));
                    }
                    s.executeUpdate();
                }
            }
        }
    }

    private static final String LINK_KEY = "from_kind = ? AND from_key = ? AND to_kind = ? AND to_key = ? "
            + "AND link_kind = ?";

    private static List<String> linkKey(LinkId id, String... more) {
        List<String> k = new ArrayList<>(List.of(id.from().kind().name(), id.from().key(), id.to().kind().name(),
                id.to().key(), id.kind().name()));
        k.addAll(List.of(more));
        return k;
    }

    private void upsertLink(LinkObservation l) throws SQLException {
        RttSummary rtt = ColumnCodec.summaryOf(l.rttsMs(), l.observedAt());
        List<String> key = linkKey(l.id());
        try (PreparedStatement q = connection.prepareStatement("SELECT first_seen, last_seen, observations, "
                + "ambiguous_observations, min_gap, max_gap, rtt, mtu FROM links WHERE " + LINK_KEY
                + " FOR UPDATE")) {
            for (int i = 0; i < key.size(); i++) {
                q.setString(i + 1, key.get(i));
            }
            try (ResultSet r = q.executeQuery()) {
                boolean found = r.next();
                String sql = found
                        ? "UPDATE links SET first_seen = ?, last_seen = ?, observations = ?, "
                                + "ambiguous_observations = ?, min_gap = ?, max_gap = ?, rtt = ?, mtu = ? WHERE "
                                + LINK_KEY
                        : "INSERT INTO links (first_seen, last_seen, observations, ambiguous_observations, min_gap, "
                                + "max_gap, rtt, mtu, from_kind, from_key, to_kind, to_key, link_kind) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                long ambiguous = l.ambiguous() ? 1 : 0;
                try (PreparedStatement s = connection.prepareStatement(sql)) {
                    if (found) {
                        RttSummary merged = ColumnCodec.rtt(r, "rtt");
                        merged.merge(rtt);
                        setInstant(s, 1, min(instant(r, "first_seen"), l.observedAt()));
                        setInstant(s, 2, max(instant(r, "last_seen"), l.observedAt()));
                        s.setLong(3, r.getLong("observations") + 1);
                        s.setLong(4, r.getLong("ambiguous_observations") + ambiguous);
                        s.setInt(5, Math.min(r.getInt("min_gap"), l.gap()));
                        s.setInt(6, Math.max(r.getInt("max_gap"), l.gap()));
                        setRtt(s, 7, merged);
                        setInteger(s, 8, minInteger(integer(r, "mtu"), l.mtu()));
                    } else {
                        setInstant(s, 1, l.observedAt());
                        setInstant(s, 2, l.observedAt());
                        s.setLong(3, 1);
                        s.setLong(4, ambiguous);
                        s.setInt(5, l.gap());
                        s.setInt(6, l.gap());
                        setRtt(s, 7, rtt);
                        setInteger(s, 8, l.mtu());
                    }
                    for (int i = 0; i < key.size(); i++) {
                        s.setString(9 + i, key.get(i));
                    }
                    s.executeUpdate();
                }
            }
        }
    }

    private static final String ROUTE_KEY = "agent_id = ? AND destination = ? AND method = ?";

    private static void setRouteKey(PreparedStatement s, int first, RouteKey key) throws SQLException {
        s.setString(first, key.agentId());
        s.setString(first + 1, key.destination());
        s.setString(first + 2, key.method().wireName());
    }

    private void recordRoute(RouteKey key, Route route, Instant time) throws SQLException {
        CurrentRoute held = null;
        int period = 0;
        try (PreparedStatement q = connection.prepareStatement("SELECT route, first_seen, last_seen, observations, "
                + "period_no FROM current_routes WHERE " + ROUTE_KEY + " FOR UPDATE")) {
            setRouteKey(q, 1, key);
            try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                    held = currentRoute(r);
                    period = r.getInt("period_no");
                }
            }
        }
        RouteTracker tracker = new RouteTracker(held == null ? Map.of() : Map.of(key, held));
        RouteObservation o = tracker.observe(key, route, time);
        if (o instanceof RouteObservation.First f) {
            writeCurrent("INSERT INTO current_routes (route, first_seen, last_seen, observations, period_no, "
                    + "agent_id, destination, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", key, f.current(), 1);
            writeCurrent("INSERT INTO route_periods (route, first_seen, last_seen, observations, period_no, "
                    + "agent_id, destination, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", key, f.current(), 1);
        } else if (o instanceof RouteObservation.Unchanged u) {
            writeCurrent("UPDATE current_routes SET route = ?, first_seen = ?, last_seen = ?, observations = ?, "
                    + "period_no = ? WHERE " + ROUTE_KEY, key, u.current(), period);
            writeCurrent("UPDATE route_periods SET route = ?, first_seen = ?, last_seen = ?, observations = ? "
                    + "WHERE period_no = ? AND " + ROUTE_KEY, key, u.current(), period);
        } else if (o instanceof RouteObservation.Changed c) {
            int next = period + 1;
            writeCurrent("UPDATE current_routes SET route = ?, first_seen = ?, last_seen = ?, observations = ?, "
                    + "period_no = ? WHERE " + ROUTE_KEY, key, c.current(), next);
            writeCurrent("INSERT INTO route_periods (route, first_seen, last_seen, observations, period_no, "
                    + "agent_id, destination, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", key, c.current(), next);
            insertChange(c.event(), next);
        }
        // RouteObservation.Stale: older than the current route; the history is not rewritten.
    }

    private void writeCurrent(String sql, RouteKey key, CurrentRoute c, int period) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, c.route().encode());
            setInstant(s, 2, c.firstSeen());
            setInstant(s, 3, c.lastSeen());
            s.setLong(4, c.observations());
            s.setInt(5, period);
            setRouteKey(s, 6, key);
            s.executeUpdate();
        }
    }

    private void insertChange(RouteChangeEvent e, int period) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO route_changes (agent_id, destination, "
                + "method, period_no, changed_at, old_route, old_first_seen, old_last_seen, new_route, "
                + "divergence_ttl, last_common_ttl, last_common_hop) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            setRouteKey(s, 1, e.key());
            s.setInt(4, period);
            setInstant(s, 5, e.time());
            s.setString(6, e.oldRoute().encode());
            setInstant(s, 7, e.oldFirstSeen());
            setInstant(s, 8, e.oldLastSeen());
            s.setString(9, e.newRoute().encode());
            s.setInt(10, e.divergence().ttl());
            s.setInt(11, e.divergence().lastCommonTtl());
            RouteHop common = e.divergence().lastCommonHop();
            s.setString(12, common == null ? null : common.toString());
            s.executeUpdate();
        }
    }

    private static CurrentRoute currentRoute(ResultSet r) throws SQLException {
        return new CurrentRoute(Route.parse(r.getString("route")), instant(r, "first_seen"),
                instant(r, "last_seen"), r.getLong("observations"));
    }

    private static RouteKey routeKey(ResultSet r) throws SQLException {
        String method = r.getString("method");
        return new RouteKey(r.getString("agent_id"), r.getString("destination"),
                MeasurementMethod.fromWireName(method).orElseThrow(
                        () -> new IllegalStateException("unknown method in the store: " + method)));
    }

    /** The current route of every key, to resume a {@link RouteTracker} after a restart. */
    public synchronized Map<RouteKey, CurrentRoute> loadCurrentRoutes() {
        return read("loading current routes", () -> {
            Map<RouteKey, CurrentRoute> out = new HashMap<>();
            try (PreparedStatement q = connection.prepareStatement("SELECT agent_id, destination, method, route, "
                    + "first_seen, last_seen, observations FROM current_routes");
                 ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.put(routeKey(r), currentRoute(r));
                }
            }
            return Map.copyOf(out);
        });
    }

    /** The distinct routes of a key, oldest first. */
    public synchronized List<RoutePeriod> routePeriods(RouteKey key) {
        return read("reading route periods of " + key, () -> {
            List<RoutePeriod> out = new ArrayList<>();
            try (PreparedStatement q = connection.prepareStatement("SELECT period_no, route, first_seen, last_seen, "
                    + "observations FROM route_periods WHERE " + ROUTE_KEY + " ORDER BY period_no")) {
                setRouteKey(q, 1, key);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new RoutePeriod(key, r.getInt("period_no"), Route.parse(r.getString("route")),
                                instant(r, "first_seen"), instant(r, "last_seen"), r.getLong("observations")));
                    }
                }
            }
            return out;
        });
    }

    /** The route changes of a key, oldest first. */
    public synchronized List<RouteChangeEvent> routeChanges(RouteKey key) {
        return read("reading route changes of " + key, () -> {
            List<RouteChangeEvent> out = new ArrayList<>();
            try (PreparedStatement q = connection.prepareStatement("SELECT changed_at, old_route, old_first_seen, "
                    + "old_last_seen, new_route, divergence_ttl, last_common_ttl, last_common_hop FROM route_changes "
                    + "WHERE " + ROUTE_KEY + " ORDER BY period_no")) {
                setRouteKey(q, 1, key);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        String common = r.getString("last_common_hop");
                        Divergence d = new Divergence(r.getInt("divergence_ttl"), r.getInt("last_common_ttl"),
                                common == null ? null : RouteHop.parse(common));
                        out.add(new RouteChangeEvent(key, Route.parse(r.getString("old_route")),
                                instant(r, "old_first_seen"), instant(r, "old_last_seen"),
                                Route.parse(r.getString("new_route")), d, instant(r, "changed_at")));
                    }
                }
            }
            return out;
        });
    }

    /** One node of the graph, if it was ever observed. */
    public synchronized Optional<NodeSummary> node(NodeId id) {
        return read("reading node " + id, () -> nodes("WHERE node_kind = ? AND node_key = ?",
                List.of(id.kind().name(), id.key())).stream().findFirst());
    }

    /** Every node of the graph, in {@link NodeId} order. */
    public synchronized List<NodeSummary> nodes() {
        return read("reading nodes", () -> nodes("", List.of()));
    }

    private List<NodeSummary> nodes(String where, List<String> key) throws SQLException {
        Map<NodeId, SortedMap<String, Long>> agents = new HashMap<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT node_kind, node_key, agent_id, observations "
                + "FROM node_agents " + where)) {
            bind(q, key);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    agents.computeIfAbsent(nodeId(r, "node_kind", "node_key"), k -> new TreeMap<>())
                            .put(r.getString("agent_id"), r.getLong("observations"));
                }
            }
        }
        List<NodeSummary> out = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT * FROM nodes " + where)) {
            bind(q, key);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    NodeId id = nodeId(r, "node_kind", "node_key");
                    out.add(new NodeSummary(id, instant(r, "first_seen"), instant(r, "last_seen"),
                            r.getLong("observations"), r.getBoolean("destination"), ColumnCodec.rtt(r, "rtt"),
                            integer(r, "min_mtu"), ColumnCodec.replyTypes(r.getString("reply_types")),
                            ColumnCodec.stacks(r.getString("mpls")), agents.getOrDefault(id, new TreeMap<>())));
                }
            }
        }
        out.sort(Comparator.comparing(NodeSummary::id));
        return out;
    }

    /** One link of the graph, if it was ever observed. */
    public synchronized Optional<LinkSummary> link(LinkId id) {
        return read("reading link " + id, () -> links("WHERE " + LINK_KEY, linkKey(id)).stream().findFirst());
    }

    /** Every link of the graph, in {@link LinkId} order. */
    public synchronized List<LinkSummary> links() {
        return read("reading links", () -> links("", List.of()));
    }

    private List<LinkSummary> links(String where, List<String> key) throws SQLException {
        Map<LinkId, SortedMap<String, Long>> agents = new HashMap<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT from_kind, from_key, to_kind, to_key, "
                + "link_kind, agent_id, observations FROM link_agents " + where)) {
            bind(q, key);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    agents.computeIfAbsent(linkId(r), k -> new TreeMap<>())
                            .put(r.getString("agent_id"), r.getLong("observations"));
                }
            }
        }
        List<LinkSummary> out = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT * FROM links " + where)) {
            bind(q, key);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    LinkId id = linkId(r);
                    out.add(new LinkSummary(id, instant(r, "first_seen"), instant(r, "last_seen"),
                            r.getLong("observations"), r.getLong("ambiguous_observations"), r.getInt("min_gap"),
                            r.getInt("max_gap"), ColumnCodec.rtt(r, "rtt"), integer(r, "mtu"),
                            agents.getOrDefault(id, new TreeMap<>())));
                }
            }
        }
        out.sort(Comparator.comparing(LinkSummary::id));
        return out;
    }

    private static void bind(PreparedStatement q, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            q.setString(i + 1, values.get(i));
        }
    }

    private static NodeId nodeId(ResultSet r, String kind, String key) throws SQLException {
        return new NodeId(NodeKind.valueOf(r.getString(kind)), r.getString(key));
    }

    private static LinkId linkId(ResultSet r) throws SQLException {
        return new LinkId(nodeId(r, "from_kind", "from_key"), nodeId(r, "to_kind", "to_key"),
                LinkKind.valueOf(r.getString("link_kind")));
    }

    /** Row counts of every table. */
    public synchronized StoreCounts counts() {
        return read("counting rows", () -> new StoreCounts(count("applied_traces"), count("trace_hops"),
                count("nodes"), count("node_agents"), count("links"), count("link_agents"), count("current_routes"),
                count("route_periods"), count("route_changes")));
    }

    private long count(String table) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Whether the trace was applied. */
    public synchronized boolean applied(String agentId, String traceId) {
        return read("looking up trace " + agentId + "/" + traceId, () -> {
            try (PreparedStatement q = connection.prepareStatement("SELECT 1 FROM applied_traces "
                    + "WHERE agent_id = ? AND trace_id = ?")) {
                q.setString(1, agentId);
                q.setString(2, traceId);
                try (ResultSet r = q.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    @FunctionalInterface
    private interface Query<T> {
        T run() throws SQLException;
    }

    /** Runs a read in its own transaction, ended by a rollback (reads change nothing). */
    private <T> T read(String what, Query<T> query) {
        requireOpen();
        try {
            return query.run();
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        } finally {
            rollbackQuietly();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the collector store is closed");
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is broken; the next operation reports it
        }
    }

    /** Closes the connection and, for an embedded store, unlocks its data directory. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("closing the collector store failed: " + e.getMessage(), e);
        } finally {
            if (lockChannel != null) {
                try {
                    lock.release();
                } catch (IOException e) {
                    // closing the channel below releases it too
                }
                closeQuietly(lockChannel);
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Integer minInteger(Integer a, Integer b) {
        return a == null ? b : b == null ? a : Integer.valueOf(Math.min(a, b));
    }
}
