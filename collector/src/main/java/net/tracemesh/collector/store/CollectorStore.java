package net.tracemesh.collector.store;

import static net.tracemesh.collector.store.ColumnCodec.integer;
import static net.tracemesh.collector.store.ColumnCodec.setInteger;
import static net.tracemesh.collector.store.ColumnCodec.setRtt;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;
import java.util.TreeSet;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.assemble.TraceEnding;
import net.tracemesh.collector.config.StoreConfig;
import net.tracemesh.collector.history.CurrentRoute;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteChangeEvent;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.history.RouteObservation;
import net.tracemesh.collector.history.RouteTracker;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.store.TraceBatch.Merged;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.ReplyType;
import net.tracemesh.collector.topology.TraceMerger;
import net.tracemesh.collector.topology.TraceObservations;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.HopRecord;
import net.tracemesh.wire.Ipv4Address;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The collector's database: applied traces with their hop records, an index of which trace saw which address, the
 * merged topology graph (nodes, links and the vantage points that saw them) and the route history of every (agent,
 * destination, method). The placeholders of a trace's silent TTLs and their links are part of the graph but kept in
 * the trace's own row ({@link TracePlaceholders}): each belongs to one trace, and a row per placeholder and per link
 * of one was a third of what applying a trace cost.
 *
 * <p>The schema is created and upgraded by Flyway from {@code db/migration} when the store opens. The SQL is
 * portable between SQLite (the embedded default), H2 (embedded stores made before, run with {@code MODE=PostgreSQL})
 * and PostgreSQL: standard types, row-value {@code IN} lists, and no {@code MERGE} or {@code ON CONFLICT}; times and
 * the smaller or larger of two values go through the database's {@link StoreDialect}.
 *
 * <p>Traces are applied in batches ({@link #applyAll}), one transaction each: the batch's observations are summed
 * per graph row first, as traces are added to the {@link TraceBatch}; the rows that hold state beyond counters
 * (nodes, links, current routes) are read in key order and written back merged, per-agent rows are updated in place
 * with the batch's sums, and the rows no update found are inserted. Where several collectors share a database those
 * reads lock their rows ({@code FOR UPDATE}); an embedded store has one writer and does not lock. A transaction
 * that loses a race with another writer (unique violation, serialization failure, deadlock) is rolled back and
 * retried whole.
 *
 * <p>Applying is idempotent per trace: a batch first looks up which of its traces were applied already (a
 * duplicate, a replay, or another collector that got there first) and leaves them out. Route history is decided
 * inside the same transaction from the stored current routes, so the database, not a collector's memory, is the
 * truth about the current route.
 *
 * <p>Thread safety: every method but {@link #readDataSource} (which hands out a pool of read-only connections for
 * queries) is {@code synchronized} on the store, which writes through one connection. Several collector processes
 * can share one PostgreSQL database; an embedded store belongs to one store instance at a time (see
 * {@link #openEmbedded}).
 */
public final class CollectorStore implements AutoCloseable {
    /**
     * The embedded database's base name in the data directory (with {@link #SQLITE_FILE_SUFFIX}, or
     * {@link #H2_FILE_SUFFIX} for a store made before SQLite was the embedded database).
     */
    public static final String DATABASE_NAME = "tracemesh";
    /** The file an embedded store locks in its data directory while it is open. */
    public static final String LOCK_FILE = "store.lock";
    /** Where the migrations are on the class path. */
    public static final String MIGRATIONS = "classpath:db/migration";
    /**
     * The {@code FROM} clause of every key's current route: the route period ({@code p}) that its row of
     * {@code current_routes} ({@code c}) names.
     */
    public static final String CURRENT_PERIODS = "current_routes c JOIN route_periods p ON p.agent_id = c.agent_id "
            + "AND p.destination = c.destination AND p.method = c.method AND p.period_no = c.period_no";
    /**
     * PostgreSQL compatibility; pages written out by H2's own threads while a batch is written, and every commit
     * written to the file before it returns ({@link EmbeddedCommits}); closed by {@link #close()} only, never by H2's
     * own shutdown hook (which would run before the collector has stopped writing on SIGTERM). The page cache is
     * added by {@link #openEmbedded(Path, int)}.
     */
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";WRITE_DELAY=" + EmbeddedCommits.WRITE_DELAY_MS + ";DB_CLOSE_ON_EXIT=FALSE";
    /** The suffix H2 gives an embedded store's file. */
    public static final String H2_FILE_SUFFIX = ".mv.db";
    /** The suffix of an embedded SQLite store's file (SQLite adds {@code -wal} and {@code -shm} beside it). */
    public static final String SQLITE_FILE_SUFFIX = ".db";
    /**
     * An embedded SQLite store: its write-ahead log, a commit in the file when it returns ({@code synchronous=FULL}),
     * and readers that wait for a checkpoint rather than fail. The page cache is added by
     * {@link #openEmbedded(Path, int)}.
     */
    private static final String SQLITE_OPTIONS = "?journal_mode=WAL&synchronous=FULL&busy_timeout=30000";
    /**
     * The page cache of a SQLite connection (in KiB when negative), added to its URL: {@code store.cache-mb} for the
     * writing connection; each connection has a cache of its own, and those of the query pool get a quarter of it
     * each (they read through the system's file cache beyond it).
     */
    private static final String SQLITE_CACHE = "&cache_size=";
    /** The share of the writer's page cache each reading connection of a SQLite store gets. */
    private static final int SQLITE_READER_CACHE_SHARE = 4;
    private static final String H2_USER = "sa";
    private static final String H2_PASSWORD = "";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final Set<String> RETRYABLE = Set.of(UNIQUE_VIOLATION, "40001", "40P01");
    private static final int MAX_ATTEMPTS = 5;
    /** Keys per {@code IN} list when reading rows for update. */
    private static final int IN_LIST_SIZE = 100;
    /** Connections of the query pool. */
    private static final int READ_POOL_SIZE = 8;

    private final Connection connection;
    /** How this store's database keeps times (and names two functions). */
    private final StoreDialect dialect;
    /** Where the query pool connects: the store's URL, or a SQLite store's with the readers' page cache. */
    private final String readUrl;
    private final String user;
    private final String password;
    /** The embedded store's directory lock, or null for a store at a JDBC URL. */
    private final DirectoryLock lock;
    private HikariDataSource readPool;
    private boolean closed;

    private CollectorStore(String url, String readUrl, String user, String password, DirectoryLock lock) {
        this.connection = migrateAndConnect(url, user, password);
        this.dialect = StoreDialect.ofUrl(url);
        this.readUrl = readUrl;
        this.user = user;
        this.password = password;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) the embedded database under {@code dataDir} and migrates it: a SQLite database,
     * or the H2 database the directory holds if it was made before SQLite was the embedded one. Only one store may
     * have a data directory open at a time, in this process or another: a second open is refused with an
     * {@link IllegalStateException} until the first store is closed.
     */
    public static CollectorStore openEmbedded(Path dataDir) {
        return openEmbedded(dataDir, StoreConfig.DEFAULT_CACHE_MB);
    }

    /** {@link #openEmbedded(Path)} with a page cache of {@code cacheMb} MiB (in this JVM's heap). */
    public static CollectorStore openEmbedded(Path dataDir, int cacheMb) {
        if (cacheMb < 1 || cacheMb > StoreConfig.MAX_CACHE_MB) {
            throw new IllegalArgumentException("the page cache must be 1.." + StoreConfig.MAX_CACHE_MB
                    + " MiB, got " + cacheMb);
        }
        DirectoryLock lock;
        try {
            lock = DirectoryLock.acquire(dataDir, LOCK_FILE, "the collector store");
        } catch (UncheckedIOException e) {
            throw new StoreException(e.getMessage(), e.getCause());
        }
        Path dir = lock.directory();
        try {
            // a store made before SQLite was the embedded database stays an H2 store: never an empty one over it
            if (Files.isRegularFile(dir.resolve(DATABASE_NAME + H2_FILE_SUFFIX))) {
                String url = "jdbc:h2:file:" + dir.resolve(DATABASE_NAME) + H2_OPTIONS + ";CACHE_SIZE="
                        + cacheMb * 1024;
                return new CollectorStore(url, url, H2_USER, H2_PASSWORD, lock);
            }
            String url = "jdbc:sqlite:" + dir.resolve(DATABASE_NAME + SQLITE_FILE_SUFFIX) + SQLITE_OPTIONS
                    + SQLITE_CACHE;
            long cacheKib = cacheMb * 1024L;
            return new CollectorStore(url + "-" + cacheKib, url + "-" + cacheKib / SQLITE_READER_CACHE_SHARE, null, null,
                    lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Opens the database at any JDBC URL (PostgreSQL, or H2 in PostgreSQL mode) and migrates it. */
    public static CollectorStore open(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("a JDBC URL starts with \"jdbc:\", got " + jdbcUrl);
        }
        return new CollectorStore(jdbcUrl, jdbcUrl, user, password, null);
    }

    private static Connection migrateAndConnect(String url, String user, String password) {
        try {
            // Several collectors may migrate one new database at once: Flyway's lock lets one apply the migrations.
            // (A database shared with the web gets the collector's schema first: the web opens this store before its
            // account store.)
            Flyway.configure().dataSource(url, user, password).locations(MIGRATIONS)
                    .javaMigrations(new V3PlaceholderTally(), new V5AddressTraceLists(),
                            new V10PlaceholdersInTraceRows()).load().migrate();
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
     * A pool of read-only connections to the same database, for queries: they run beside the writer (readers see
     * committed batches) instead of waiting for it. Created on first use, closed with the store.
     */
    public synchronized DataSource readDataSource() {
        requireOpen();
        if (readPool == null) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(readUrl);
            c.setUsername(user);
            c.setPassword(password);
            c.setReadOnly(true);
            if (dialect == StoreDialect.SQLITE) {
                // SQLite opens a connection read-only or not, and refuses to change it later, as the pool would
                c.addDataSourceProperty("open_mode", "1");
            }
            c.setAutoCommit(true);
            c.setMaximumPoolSize(READ_POOL_SIZE);
            c.setMinimumIdle(1);
            c.setPoolName("tracemesh-store-readers");
            c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            readPool = new HikariDataSource(c);
        }
        return readPool;
    }

    /**
     * Applies one trace in one transaction: its row and hop records, every node and link observation merged into
     * the graph, and its route into the route history (a stale route, older than the current one, is not recorded).
     *
     * @return false, with nothing changed, if the trace had been applied before
     */
    public synchronized boolean apply(AssembledTrace trace, TraceObservations observations) {
        requireOpen();
        if (trace == null || observations == null) {
            throw new IllegalArgumentException("the trace and its observations are required");
        }
        TraceBatch batch = new TraceBatch();
        batch.add(trace, observations);
        return applyBatch(batch) == 1;
    }

    /**
     * Applies many traces in one transaction, merging each with a {@link TraceMerger}: the same outcome as applying
     * them one by one in order, at a fraction of the cost, since every graph row the batch touches is read and
     * written once. Traces applied before (and repeats within the list) are skipped.
     *
     * @return how many of the traces were new
     */
    public int applyAll(List<AssembledTrace> traces) {
        if (traces == null) {
            throw new IllegalArgumentException("the traces are required");
        }
        TraceBatch batch = new TraceBatch();
        traces.forEach(batch::add);
        return applyAll(batch);
    }

    /**
     * Applies a batch of traces, merged and summed as they were added to it, in one transaction. Traces applied
     * before are skipped.
     *
     * @return how many of the traces were new
     */
    public synchronized int applyAll(TraceBatch batch) {
        requireOpen();
        if (batch == null) {
            throw new IllegalArgumentException("the batch is required");
        }
        return batch.isEmpty() ? 0 : applyBatch(batch);
    }

    private int applyBatch(TraceBatch batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                int applied = applyOnce(batch);
                commit();
                return applied;
            } catch (SQLException e) {
                rollbackQuietly();
                if (!RETRYABLE.contains(sqlState(e)) || attempt == MAX_ATTEMPTS) {
                    throw new StoreException("applying " + describe(batch) + " failed: " + e.getMessage(), e);
                }
            } catch (RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        }
    }

    /** Commits the writing connection's transaction; an embedded store's commit is in its file when this returns. */
    private void commit() throws SQLException {
        connection.commit();
        if (lock != null && dialect == StoreDialect.STANDARD) {
            EmbeddedCommits.writeOut(connection);
        }
    }

    /**
     * The locking clause of reads made to update: rows are locked where other collectors may write the same database
     * at once; an embedded store has one writer (its lock file), and locking would only cost it a write per row read.
     */
    private String forUpdate() {
        return lock == null ? " FOR UPDATE" : "";
    }

    private static String describe(TraceBatch batch) {
        return batch.size() == 1 ? "trace " + batch.merged().get(0).trace().key() : batch.size() + " traces";
    }

    /** The SQL state of the exception or, for a batch failure without one, of the first chained exception with one. */
    private static String sqlState(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x.getSQLState() != null) {
                return x.getSQLState();
            }
        }
        return e.getCause() instanceof SQLException c ? c.getSQLState() : null;
    }

    private int applyOnce(TraceBatch batch) throws SQLException {
        Set<TraceKey> known = appliedAmong(batch.merged().stream().map(m -> m.trace().key()).toList());
        // the whole batch, as gathered (and maybe prepared), unless some of its traces were applied before (a
        // replay): then the others, summed again
        TraceBatch toWrite = known.isEmpty() ? batch : batch.without(known);
        if (toWrite.isEmpty()) {
            connection.rollback();
            return 0;
        }
        List<Merged> fresh = toWrite.merged();
        insertTraces(fresh);
        AddressTraceLists.insert(connection, dialect, toWrite.addressRows());
        tallyPlaceholders(fresh);
        GraphBatch.Rows rows = toWrite.graph().inKeyOrder();
        writeNodes(rows.nodes());
        writeSeen(NODE_AGENTS, rows.nodeAgents());
        writeLinks(rows.links());
        writeSeen(LINK_AGENTS, rows.linkAgents());
        recordRoutes(fresh);
        return fresh.size();
    }

    /** The keys among {@code keys} whose traces were applied already (their rows are locked until commit). */
    private Set<TraceKey> appliedAmong(List<TraceKey> keys) throws SQLException {
        Set<TraceKey> out = new HashSet<>();
        for (List<TraceKey> chunk : chunks(keys)) {
            try (PreparedStatement q = connection.prepareStatement("SELECT agent_id, trace_id FROM applied_traces "
                    + "WHERE (agent_id, trace_id) IN (" + rows(chunk.size(), 2) + ")")) {
                int i = 1;
                for (TraceKey k : chunk) {
                    q.setString(i++, k.agentId());
                    q.setString(i++, k.traceId());
                }
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new TraceKey(r.getString(1), r.getString(2)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Adds the batch's placeholders, their links, and how many of the placeholders connect nodes, to the tally (a row
     * of its own, when there are some): their traces' rows hold them, and the tally counts them without reading those.
     */
    private void tallyPlaceholders(List<Merged> fresh) throws SQLException {
        long connecting = 0;
        long placeholders = 0;
        long links = 0;
        for (Merged m : fresh) {
            connecting += m.placeholders().connecting();
            placeholders += m.placeholders().placeholderCount();
            links += m.placeholders().linkCount();
        }
        if (placeholders == 0) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO placeholder_tally (batch_id, connecting, "
                + "placeholders, placeholder_links) VALUES (?, ?, ?, ?)")) {
            s.setString(1, UUID.randomUUID().toString());
            s.setLong(2, connecting);
            s.setLong(3, placeholders);
            s.setLong(4, links);
            s.executeUpdate();
        }
    }

    private void insertTraces(List<Merged> fresh) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO applied_traces (agent_id, trace_id, "
                + "measurement_id, method, src, dst, dst_num, sport, dport, round_start, started_at, ended_at, "
                + "stop_reason, stop_icmp_code, stop_ttl, path_mtu, hop_count, complete, closure, closed_at, "
                + "hop_records, hops, placeholder_links) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Merged m : fresh) {
                StoredTrace t = m.trace();
                TraceEnding e = t.ending();
                s.setString(1, t.agentId());
                s.setString(2, t.traceId());
                s.setString(3, t.measurementId());
                s.setString(4, t.method().wireName());
                s.setString(5, t.src());
                s.setString(6, t.dst());
                s.setLong(7, addressNumber(t.dst()));
                setInteger(s, 8, t.sport());
                setInteger(s, 9, t.dport());
                dialect.setInstant(s, 10, t.roundStart());
                dialect.setInstant(s, 11, t.start());
                dialect.setInstant(s, 12, e == null ? null : e.end());
                s.setString(13, e == null ? null : e.stopReason().wireName());
                setInteger(s, 14, e == null ? null : e.stopIcmpCode());
                setInteger(s, 15, e == null ? null : e.stopTtl());
                setInteger(s, 16, e == null ? null : e.pathMtu());
                s.setInt(17, e == null ? t.hopRecords() : e.hopCount());
                s.setBoolean(18, t.complete());
                s.setString(19, t.closure().name());
                dialect.setInstant(s, 20, t.closedAt());
                s.setInt(21, t.hopRecords());
                s.setBytes(22, t.hops());
                s.setBytes(23, m.placeholders().links());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** An IPv4 address as the unsigned number the {@code *_num} columns hold. */
    public static long addressNumber(String dotted) {
        return Integer.toUnsignedLong(Ipv4Address.parse(dotted));
    }

    private static final String NODE_KEY = "node_kind, node_key";
    private static final String NODE_COLUMNS = "first_seen, last_seen, observations, destination, rtt, min_mtu, "
            + "reply_types, mpls";

    private void writeNodes(List<Map.Entry<NodeId, GraphBatch.NodeDelta>> nodes) throws SQLException {
        List<NodeId> shared = nodes.stream().map(Map.Entry::getKey).toList();
        Map<NodeId, StoredNode> stored = new HashMap<>();
        for (List<NodeId> chunk : chunks(shared)) {
            try (PreparedStatement q = connection.prepareStatement("SELECT " + NODE_KEY + ", " + NODE_COLUMNS
                    + " FROM nodes WHERE (" + NODE_KEY + ") IN (" + rows(chunk.size(), 2) + ") ORDER BY " + NODE_KEY
                    + forUpdate())) {
                int i = 1;
                for (NodeId n : chunk) {
                    q.setString(i++, n.kind().name());
                    q.setString(i++, n.key());
                }
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        stored.put(ColumnCodec.nodeId(r, "node_kind", "node_key"), new StoredNode(
                                dialect.instant(r, "first_seen"),
                                dialect.instant(r, "last_seen"), r.getLong("observations"), r.getBoolean("destination"),
                                r.getBytes("rtt"), integer(r, "min_mtu"), r.getString("reply_types"),
                                r.getString("mpls")));
                    }
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE nodes SET first_seen = ?, last_seen = ?, "
                + "observations = ?, destination = ?, rtt = ?, min_mtu = ?, reply_types = ?, mpls = ? "
                + "WHERE node_kind = ? AND node_key = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO nodes (" + NODE_COLUMNS + ", "
                     + NODE_KEY + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            boolean updates = false;
            boolean inserts = false;
            for (Map.Entry<NodeId, GraphBatch.NodeDelta> e : nodes) {
                GraphBatch.NodeDelta d = e.getValue();
                StoredNode old = stored.get(e.getKey());
                PreparedStatement s = old == null ? insert : update;
                RttSummary rtt = d.rtt;
                SortedSet<ReplyType> types = new TreeSet<>(d.replyTypes);
                SortedSet<String> stacks = new TreeSet<>(d.mplsStacks);
                if (old != null) {
                    rtt = old.rtt == null ? d.rtt : RttSummary.fromBytes(old.rtt);
                    if (old.rtt != null) {
                        rtt.merge(d.rtt);
                    }
                    types.addAll(ColumnCodec.replyTypes(old.replyTypes));
                    stacks.addAll(ColumnCodec.stackTexts(old.mpls));
                }
                dialect.setInstant(s, 1, old == null ? d.firstSeen : min(old.firstSeen, d.firstSeen));
                dialect.setInstant(s, 2, old == null ? d.lastSeen : max(old.lastSeen, d.lastSeen));
                s.setLong(3, (old == null ? 0 : old.observations) + d.observations);
                s.setBoolean(4, d.destination || old != null && old.destination);
                setRtt(s, 5, rtt);
                setInteger(s, 6, old == null ? d.mtu : minInteger(old.minMtu, d.mtu));
                s.setString(7, ColumnCodec.replyTypes(types));
                s.setString(8, ColumnCodec.stacksColumn(stacks));
                s.setString(9, e.getKey().kind().name());
                s.setString(10, e.getKey().key());
                s.addBatch();
                updates |= old != null;
                inserts |= old == null;
            }
            executeBatches(update, updates, insert, inserts);
        }
    }

    /** Runs the update batch, then the insert batch, each if it holds rows. */
    private static void executeBatches(PreparedStatement update, boolean updates, PreparedStatement insert,
                                       boolean inserts) throws SQLException {
        if (updates) {
            update.executeBatch();
        }
        if (inserts) {
            insert.executeBatch();
        }
    }

    /** A node row as read for update. */
    private record StoredNode(Instant firstSeen, Instant lastSeen, long observations, boolean destination,
                              byte[] rtt, Integer minMtu, String replyTypes, String mpls) {
    }

    private static final String LINK_KEY_COLUMNS = "from_kind, from_key, to_kind, to_key, link_kind";
    private static final String LINK_COLUMNS = "first_seen, last_seen, observations, ambiguous_observations, "
            + "min_gap, max_gap, rtt, mtu";

    private void writeLinks(List<Map.Entry<LinkId, GraphBatch.LinkDelta>> links) throws SQLException {
        List<LinkId> shared = links.stream().map(Map.Entry::getKey).toList();
        Map<LinkId, StoredLink> stored = new HashMap<>();
        for (List<LinkId> chunk : chunks(shared)) {
            try (PreparedStatement q = connection.prepareStatement("SELECT " + LINK_KEY_COLUMNS + ", " + LINK_COLUMNS
                    + " FROM links WHERE (" + LINK_KEY_COLUMNS + ") IN (" + rows(chunk.size(), 5) + ") ORDER BY "
                    + LINK_KEY_COLUMNS + forUpdate())) {
                int i = 1;
                for (LinkId l : chunk) {
                    for (String v : linkKey(l)) {
                        q.setString(i++, v);
                    }
                }
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        stored.put(ColumnCodec.linkId(r), new StoredLink(dialect.instant(r, "first_seen"),
                                dialect.instant(r, "last_seen"),
                                r.getLong("observations"), r.getLong("ambiguous_observations"), r.getInt("min_gap"),
                                r.getInt("max_gap"), r.getBytes("rtt"), integer(r, "mtu")));
                    }
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE links SET first_seen = ?, last_seen = ?, "
                + "observations = ?, ambiguous_observations = ?, min_gap = ?, max_gap = ?, rtt = ?, mtu = ? WHERE "
                + LINK_KEY);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO links (" + LINK_COLUMNS + ", "
                     + LINK_KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            boolean updates = false;
            boolean inserts = false;
            for (Map.Entry<LinkId, GraphBatch.LinkDelta> e : links) {
                GraphBatch.LinkDelta d = e.getValue();
                StoredLink old = stored.get(e.getKey());
                PreparedStatement s = old == null ? insert : update;
                RttSummary rtt = d.rtt;
                if (old != null && old.rtt != null) {
                    rtt = RttSummary.fromBytes(old.rtt);
                    rtt.merge(d.rtt);
                }
                dialect.setInstant(s, 1, old == null ? d.firstSeen : min(old.firstSeen, d.firstSeen));
                dialect.setInstant(s, 2, old == null ? d.lastSeen : max(old.lastSeen, d.lastSeen));
                s.setLong(3, (old == null ? 0 : old.observations) + d.observations);
                s.setLong(4, (old == null ? 0 : old.ambiguousObservations) + d.ambiguousObservations);
                s.setInt(5, old == null ? d.minGap : Math.min(old.minGap, d.minGap));
                s.setInt(6, old == null ? d.maxGap : Math.max(old.maxGap, d.maxGap));
                setRtt(s, 7, rtt);
                setInteger(s, 8, old == null ? d.mtu : minInteger(old.mtu, d.mtu));
                int i = 9;
                for (String v : linkKey(e.getKey())) {
                    s.setString(i++, v);
                }
                s.addBatch();
                updates |= old != null;
                inserts |= old == null;
            }
            executeBatches(update, updates, insert, inserts);
        }
    }

    /** A link row as read for update. */
    private record StoredLink(Instant firstSeen, Instant lastSeen, long observations, long ambiguousObservations,
                              int minGap, int maxGap, byte[] rtt, Integer mtu) {
    }

    /** A per-agent table: name, key columns, and how to spell an item's key values. */
    private record SeenTable<K>(String name, String keyColumns, int keyWidth,
                                java.util.function.Function<K, List<String>> key) {
    }

    private static final SeenTable<NodeId> NODE_AGENTS = new SeenTable<>("node_agents",
            "node_kind, node_key, agent_id", 3, n -> List.of(n.kind().name(), n.key()));
    private static final SeenTable<LinkId> LINK_AGENTS = new SeenTable<>("link_agents",
            "from_kind, from_key, to_kind, to_key, link_kind, agent_id", 6, CollectorStore::linkKey);

    /**
     * Upserts the (key, agent, first_seen, last_seen, observations) rows of a per-agent table without reading them:
     * each row is updated in place with the batch's sums ({@code LEAST}, {@code GREATEST}, addition), and the rows
     * no update found are inserted. A row another writer inserts meanwhile makes the insert fail with a unique
     * violation, and the whole batch is retried.
     */
    private <K> void writeSeen(SeenTable<K> table, List<Map.Entry<GraphBatch.Seen<K>, GraphBatch.SeenDelta>> rows)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<Map.Entry<GraphBatch.Seen<K>, GraphBatch.SeenDelta>> missing = new ArrayList<>();
        String where = String.join(" = ? AND ", table.keyColumns().split(", ")) + " = ?";
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table.name() + " SET "
                + "first_seen = " + dialect.least() + "(first_seen, ?), last_seen = " + dialect.greatest()
                + "(last_seen, ?), "
                + "observations = observations + ? WHERE " + where)) {
            for (Map.Entry<GraphBatch.Seen<K>, GraphBatch.SeenDelta> e : rows) {
                bindSeen(update, table, e.getKey(), e.getValue());
                update.addBatch();
            }
            int[] counts = update.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    missing.add(rows.get(i));
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table.name() + " (first_seen, "
                + "last_seen, observations, " + table.keyColumns() + ") VALUES (?, ?, ?"
                + ", ?".repeat(table.keyWidth()) + ")")) {
            for (Map.Entry<GraphBatch.Seen<K>, GraphBatch.SeenDelta> e : missing) {
                bindSeen(insert, table, e.getKey(), e.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private <K> void bindSeen(PreparedStatement s, SeenTable<K> table, GraphBatch.Seen<K> key,
                                     GraphBatch.SeenDelta d) throws SQLException {
        dialect.setInstant(s, 1, d.firstSeen);
        dialect.setInstant(s, 2, d.lastSeen);
        s.setLong(3, d.observations);
        int i = 4;
        for (String v : table.key().apply(key.item())) {
            s.setString(i++, v);
        }
        s.setString(i, key.agentId());
    }

    private static final String LINK_KEY = "from_kind = ? AND from_key = ? AND to_kind = ? AND to_key = ? "
            + "AND link_kind = ?";

    private static List<String> linkKey(LinkId id) {
        return List.of(id.from().kind().name(), id.from().key(), id.to().kind().name(), id.to().key(),
                id.kind().name());
    }

    /** {@code count} row values of {@code width} parameters each: {@code (?, ?), (?, ?)}. */
    private static String rows(int count, int width) {
        String row = "(" + String.join(", ", java.util.Collections.nCopies(width, "?")) + ")";
        return String.join(", ", java.util.Collections.nCopies(count, row));
    }

    private static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += IN_LIST_SIZE) {
            out.add(items.subList(i, Math.min(items.size(), i + IN_LIST_SIZE)));
        }
        return out;
    }

    private static final String ROUTE_KEY = "agent_id = ? AND destination = ? AND method = ?";

    private static void setRouteKey(PreparedStatement s, int first, RouteKey key) throws SQLException {
        s.setString(first, key.agentId());
        s.setString(first + 1, key.destination());
        s.setString(first + 2, key.method().wireName());
    }

    /**
     * Records the routes of the batch's traces into the route history, key by key in order of time, from the locked
     * current routes: the database, not a collector's memory, is the truth about the current route.
     */
    private void recordRoutes(List<Merged> fresh) throws SQLException {
        Map<RouteKey, List<Merged>> byKey = new TreeMap<>(CollectorStore::compareRouteKeys);
        for (Merged m : fresh) {
            if (m.route().isPresent()) {
                byKey.computeIfAbsent(m.trace().routeKey(), k -> new ArrayList<>()).add(m);
            }
        }
        if (byKey.isEmpty()) {
            return;
        }
        // the current period of each key, locked (where collectors share the database, the lock of a key's row in
        // current_routes is what orders their writes to its history), then that period's row
        Map<RouteKey, Integer> heldPeriod = new HashMap<>();
        for (List<RouteKey> chunk : chunks(List.copyOf(byKey.keySet()))) {
            try (PreparedStatement q = connection.prepareStatement("SELECT agent_id, destination, method, period_no "
                    + "FROM current_routes WHERE (agent_id, destination, method) IN (" + rows(chunk.size(), 3)
                    + ") ORDER BY agent_id, destination, method" + forUpdate())) {
                int i = 1;
                for (RouteKey k : chunk) {
                    setRouteKey(q, i, k);
                    i += 3;
                }
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        heldPeriod.put(routeKey(r), r.getInt("period_no"));
                    }
                }
            }
        }
        Map<RouteKey, CurrentRoute> held = currentPeriods(heldPeriod);
        RouteTracker tracker = new RouteTracker(held);
        RouteWrites writes = new RouteWrites();
        for (Map.Entry<RouteKey, List<Merged>> e : byKey.entrySet()) {
            RouteKey key = e.getKey();
            List<Merged> traces = new ArrayList<>(e.getValue());
            traces.sort(Comparator.comparing(m -> m.trace().start()));
            int period = heldPeriod.getOrDefault(key, 0);
            boolean currentExists = held.containsKey(key);
            boolean periodExists = currentExists;
            CurrentRoute last = null;
            for (Merged m : traces) {
                RouteObservation o = tracker.observe(key, m.route().orElseThrow(), m.trace().start());
                if (o instanceof RouteObservation.First f) {
                    period = 1;
                    periodExists = false;
                    last = f.current();
                } else if (o instanceof RouteObservation.Unchanged u) {
                    last = u.current();
                } else if (o instanceof RouteObservation.Changed c) {
                    writes.period(key, period, last == null ? held.get(key) : last, periodExists);
                    period++;
                    periodExists = false;
                    writes.changes.add(new PeriodChange(c.event(), period));
                    last = c.current();
                }
                // RouteObservation.Stale: older than the current route; the history is not rewritten.
            }
            if (last != null) {
                writes.period(key, period, last, periodExists);
                if (!currentExists || period != heldPeriod.get(key)) {
                    writes.current(key, period, currentExists);
                }
            }
        }
        writes.flush();
    }

    /** The route periods of {@code periods} (a key's period number each), read by their whole keys. */
    private Map<RouteKey, CurrentRoute> currentPeriods(Map<RouteKey, Integer> periods) throws SQLException {
        Map<RouteKey, CurrentRoute> out = new HashMap<>();
        List<RouteKey> keys = new ArrayList<>(periods.keySet());
        keys.sort(CollectorStore::compareRouteKeys);
        for (List<RouteKey> chunk : chunks(keys)) {
            try (PreparedStatement q = connection.prepareStatement("SELECT agent_id, destination, method, route, "
                    + "first_seen, last_seen, observations FROM route_periods WHERE (agent_id, destination, method, "
                    + "period_no) IN (" + rows(chunk.size(), 4) + ")")) {
                int i = 1;
                for (RouteKey k : chunk) {
                    setRouteKey(q, i, k);
                    q.setInt(i + 3, periods.get(k));
                    i += 4;
                }
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.put(routeKey(r), currentRoute(r));
                    }
                }
            }
        }
        if (out.size() != periods.size()) {
            throw new IllegalStateException("the store is inconsistent: " + (periods.size() - out.size())
                    + " current routes name a route period that is not stored");
        }
        return out;
    }

    /** The order of the route tables' keys: agent, destination, method (by its wire name, as stored). */
    private static int compareRouteKeys(RouteKey a, RouteKey b) {
        int c = a.agentId().compareTo(b.agentId());
        if (c == 0) {
            c = a.destination().compareTo(b.destination());
        }
        return c != 0 ? c : a.method().wireName().compareTo(b.method().wireName());
    }

    /** A route change and the number of the period it starts. */
    private record PeriodChange(RouteChangeEvent event, int period) {
    }

    /** A row of route_periods to write. */
    private record RouteRow(RouteKey key, int period, CurrentRoute route) {
    }

    /** A row of current_routes to write: which period of a key is its current route. */
    private record CurrentRow(RouteKey key, int period) {
    }

    /** The route history rows a batch writes, collected so each kind is written in one JDBC batch. */
    private final class RouteWrites {
        final List<RouteRow> periodInserts = new ArrayList<>();
        final List<RouteRow> periodUpdates = new ArrayList<>();
        final List<CurrentRow> currentInserts = new ArrayList<>();
        final List<CurrentRow> currentUpdates = new ArrayList<>();
        final List<PeriodChange> changes = new ArrayList<>();
        /** Each route's text, made once: a route changed by a batch is written as a period and in its change. */
        private final Map<Route, String> texts = new IdentityHashMap<>();

        String text(Route route) {
            return texts.computeIfAbsent(route, Route::encode);
        }

        void period(RouteKey key, int period, CurrentRoute route, boolean exists) {
            (exists ? periodUpdates : periodInserts).add(new RouteRow(key, period, route));
        }

        void current(RouteKey key, int period, boolean exists) {
            (exists ? currentUpdates : currentInserts).add(new CurrentRow(key, period));
        }

        void flush() throws SQLException {
            write("UPDATE route_periods SET route = ?, first_seen = ?, last_seen = ?, observations = ? "
                    + "WHERE period_no = ? AND " + ROUTE_KEY, periodUpdates, false);
            write("INSERT INTO route_periods (route, first_seen, last_seen, observations, period_no, agent_id, "
                    + "destination, method, destination_num) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", periodInserts, true);
            writeCurrent("UPDATE current_routes SET period_no = ? WHERE " + ROUTE_KEY, currentUpdates);
            writeCurrent("INSERT INTO current_routes (period_no, agent_id, destination, method) VALUES (?, ?, ?, ?)",
                    currentInserts);
            insertChanges();
        }

        private void writeCurrent(String sql, List<CurrentRow> rows) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                for (CurrentRow row : rows) {
                    s.setInt(1, row.period());
                    setRouteKey(s, 2, row.key());
                    s.addBatch();
                }
                s.executeBatch();
            }
        }

        private void write(String sql, List<RouteRow> rows, boolean withDestinationNumber) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                for (RouteRow row : rows) {
                    CurrentRoute c = row.route();
                    s.setString(1, text(c.route()));
                    dialect.setInstant(s, 2, c.firstSeen());
                    dialect.setInstant(s, 3, c.lastSeen());
                    s.setLong(4, c.observations());
                    s.setInt(5, row.period());
                    setRouteKey(s, 6, row.key());
                    if (withDestinationNumber) {
                        s.setLong(9, addressNumber(row.key().destination()));
                    }
                    s.addBatch();
                }
                s.executeBatch();
            }
        }

        private void insertChanges() throws SQLException {
            if (changes.isEmpty()) {
                return;
            }
            String sql = "INSERT INTO route_changes (agent_id, destination, method, period_no, changed_at, "
                    + "old_route, old_first_seen, old_last_seen, new_route, divergence_ttl, last_common_ttl, "
                    + "last_common_hop) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                for (PeriodChange pc : changes) {
                    RouteChangeEvent e = pc.event();
                    setRouteKey(s, 1, e.key());
                    s.setInt(4, pc.period());
                    dialect.setInstant(s, 5, e.time());
                    s.setString(6, text(e.oldRoute()));
                    dialect.setInstant(s, 7, e.oldFirstSeen());
                    dialect.setInstant(s, 8, e.oldLastSeen());
                    s.setString(9, text(e.newRoute()));
                    s.setInt(10, e.divergence().ttl());
                    s.setInt(11, e.divergence().lastCommonTtl());
                    RouteHop common = e.divergence().lastCommonHop();
                    s.setString(12, common == null ? null : common.toString());
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    /**
     * Retention: drops the hop records of traces that started before {@code cutoff} (their bytes and their rows in
     * the address index). The traces' rows stay, so a replay of old records is still recognised and ignored, and the
     * graph and route history keep their summaries.
     *
     * @return how many traces lost their hop records
     */
    public synchronized int pruneHopsBefore(Instant cutoff) {
        requireOpen();
        if (cutoff == null) {
            throw new IllegalArgumentException("the cutoff time is missing");
        }
        try {
            int pruned;
            try (PreparedStatement s = connection.prepareStatement("UPDATE applied_traces SET hops = NULL "
                    + "WHERE started_at < ? AND hops IS NOT NULL")) {
                dialect.setInstant(s, 1, cutoff);
                pruned = s.executeUpdate();
            }
            AddressTraceLists.pruneBefore(connection, dialect, cutoff, forUpdate());
            commit();
            return pruned;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StoreException("pruning hop records before " + cutoff + " failed: " + e.getMessage(), e);
        }
    }

    /** The hop records of an applied trace, in the order they were applied; empty if pruned or never applied. */
    public synchronized List<HopRecord> hops(String agentId, String traceId) {
        return read("reading the hops of " + agentId + "/" + traceId, () -> {
            try (PreparedStatement q = connection.prepareStatement("SELECT hops FROM applied_traces "
                    + "WHERE agent_id = ? AND trace_id = ?")) {
                q.setString(1, agentId);
                q.setString(2, traceId);
                try (ResultSet r = q.executeQuery()) {
                    byte[] b = r.next() ? r.getBytes(1) : null;
                    return b == null ? List.<HopRecord>of() : HopsCodec.decode(b);
                }
            }
        });
    }

    private CurrentRoute currentRoute(ResultSet r) throws SQLException {
        return new CurrentRoute(Route.parse(r.getString("route")), dialect.instant(r, "first_seen"),
                dialect.instant(r, "last_seen"), r.getLong("observations"));
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
            try (PreparedStatement q = connection.prepareStatement("SELECT p.agent_id, p.destination, p.method, "
                    + "p.route, p.first_seen, p.last_seen, p.observations FROM " + CURRENT_PERIODS);
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
                                dialect.instant(r, "first_seen"), dialect.instant(r, "last_seen"),
                                r.getLong("observations")));
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
                        out.add(ColumnCodec.routeChange(r, key, dialect));
                    }
                }
            }
            return out;
        });
    }

    /** One node of the graph, if it was ever observed. */
    public synchronized Optional<NodeSummary> node(NodeId id) {
        return read("reading node " + id, () -> {
            if (id.kind() == NodeKind.ANONYMOUS) {
                TracePlaceholders p = placeholdersOf(TracePlaceholders.traceOf(id));
                return p == null ? Optional.empty()
                        : p.nodeSummaries().stream().filter(n -> n.id().equals(id)).findFirst();
            }
            return nodes("WHERE node_kind = ? AND node_key = ?", List.of(id.kind().name(), id.key())).stream()
                    .findFirst();
        });
    }

    /** Every node of the graph, in {@link NodeId} order. */
    public synchronized List<NodeSummary> nodes() {
        return read("reading nodes", () -> {
            List<NodeSummary> out = nodes("", List.of());
            eachTracePlaceholders(p -> out.addAll(p.nodeSummaries()));
            out.sort(Comparator.comparing(NodeSummary::id));
            return out;
        });
    }

    /** The placeholders of one trace, or null when it has none or was never applied. */
    private TracePlaceholders placeholdersOf(TraceKey trace) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT " + TracePlaceholders.COLUMNS
                + " FROM applied_traces WHERE agent_id = ? AND trace_id = ?")) {
            q.setString(1, trace.agentId());
            q.setString(2, trace.traceId());
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? TracePlaceholders.read(r, dialect) : null;
            }
        }
    }

    /** Hands the placeholders of every trace that has some to {@code action}. */
    private void eachTracePlaceholders(java.util.function.Consumer<TracePlaceholders> action) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT " + TracePlaceholders.COLUMNS
                + " FROM applied_traces WHERE placeholder_links IS NOT NULL")) {
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    action.accept(TracePlaceholders.read(r, dialect));
                }
            }
        }
    }

    private List<NodeSummary> nodes(String where, List<String> key) throws SQLException {
        Map<NodeId, SortedMap<String, Long>> agents = new HashMap<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT node_kind, node_key, agent_id, observations "
                + "FROM node_agents " + where)) {
            bind(q, key);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    agents.computeIfAbsent(ColumnCodec.nodeId(r, "node_kind", "node_key"), k -> new TreeMap<>())
                            .put(r.getString("agent_id"), r.getLong("observations"));
                }
            }
        }
        List<NodeSummary> out = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT * FROM nodes " + where)) {
            bind(q, key);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    NodeId id = ColumnCodec.nodeId(r, "node_kind", "node_key");
                    out.add(ColumnCodec.nodeSummary(r, agents.getOrDefault(id, new TreeMap<>()), dialect));
                }
            }
        }
        out.sort(Comparator.comparing(NodeSummary::id));
        return out;
    }

    /** One link of the graph, if it was ever observed. */
    public synchronized Optional<LinkSummary> link(LinkId id) {
        return read("reading link " + id, () -> {
            if (id.kind() == LinkKind.PLACEHOLDER) {
                TracePlaceholders p = placeholdersOf(TracePlaceholders.traceOf(id));
                return p == null ? Optional.empty()
                        : p.linkSummaries().stream().filter(l -> l.id().equals(id)).findFirst();
            }
            return links("WHERE " + LINK_KEY, linkKey(id)).stream().findFirst();
        });
    }

    /** Every link of the graph, in {@link LinkId} order. */
    public synchronized List<LinkSummary> links() {
        return read("reading links", () -> {
            List<LinkSummary> out = links("", List.of());
            eachTracePlaceholders(p -> out.addAll(p.linkSummaries()));
            out.sort(Comparator.comparing(LinkSummary::id));
            return out;
        });
    }

    private List<LinkSummary> links(String where, List<String> key) throws SQLException {
        Map<LinkId, SortedMap<String, Long>> agents = new HashMap<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT from_kind, from_key, to_kind, to_key, "
                + "link_kind, agent_id, observations FROM link_agents " + where)) {
            bind(q, key);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    agents.computeIfAbsent(ColumnCodec.linkId(r), k -> new TreeMap<>())
                            .put(r.getString("agent_id"), r.getLong("observations"));
                }
            }
        }
        List<LinkSummary> out = new ArrayList<>();
        try (PreparedStatement q = connection.prepareStatement("SELECT * FROM links " + where)) {
            bind(q, key);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    LinkId id = ColumnCodec.linkId(r);
                    out.add(ColumnCodec.linkSummary(id, r, agents.getOrDefault(id, new TreeMap<>()), dialect));
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

    /** Row counts of every table. */
    public synchronized StoreCounts counts() {
        return read("counting rows", () -> {
            // placeholders and their links are kept in their traces' rows, and counted by the tally
            long placeholders = sum("placeholders", "placeholder_tally");
            long placeholderLinks = sum("placeholder_links", "placeholder_tally");
            return new StoreCounts(count("applied_traces"), hopRecords(), AddressTraceLists.entries(connection),
                    count("nodes") + placeholders, count("node_agents") + placeholders,
                    count("links") + placeholderLinks, count("link_agents") + placeholderLinks,
                    count("current_routes"), count("route_periods"), count("route_changes"));
        });
    }

    /** The sum of a column of a table, 0 without rows. */
    private long sum(String column, String table) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT COALESCE(SUM(" + column + "), 0) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    private long hopRecords() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT COALESCE(SUM(hop_records), 0) FROM applied_traces "
                     + "WHERE hops IS NOT NULL")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The rows of {@code table}, which may be followed by a WHERE clause. */
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
        if (readPool != null) {
            readPool.close();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("closing the collector store failed: " + e.getMessage(), e);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }


    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static Integer minInteger(Integer a, Integer b) {
        return a == null ? b : b == null ? a : Integer.valueOf(Math.min(a, b));
    }
}
