package net.tracemesh.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import net.tracemesh.record.HopRecord;

/**
 * The address index, "which traces got a reply from address X (or from prefix P) between T1 and T2", kept in
 * {@code address_traces} as lists: one row per address per applied batch (per hour of the traces' starts), holding
 * that batch's traces through the address ({@link AddressTracesCodec}).
 *
 * <p>A row per address per trace made every trace write a dozen rows at random places in a large index, and H2's
 * cost follows the pages a batch's writes fall on, not the bytes; a batch of 30,000 traces touches about a third as
 * many rows as lists, each written once. A list's traces all started within the same hour ({@link #SPAN}), so a
 * window's lists are found by their first start alone.
 *
 * <p>Rows are keyed by address, first start and a random list number: collectors sharing a PostgreSQL database add
 * rows of their own and never update another's, so they do not wait for each other here.
 */
public final class AddressTraceLists {
    /**
     * Every list's traces started within one such period (periods counted from 1970), so a list's first start is less
     * than this before its last.
     */
    public static final Duration SPAN = Duration.ofHours(1);
    /** The most traces a list holds; a busier address in one batch gets several lists. */
    static final int MAX_TRACES = 20_000;
    static final String CREATE_TABLE = "CREATE TABLE address_traces ("
            + "addr_num BIGINT NOT NULL, "
            + "first_started TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "list_no BIGINT NOT NULL, "
            + "last_started TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "trace_count INTEGER NOT NULL, "
            + "traces BYTEA NOT NULL, "
            + "PRIMARY KEY (addr_num, first_started, list_no))";
    static final String CREATE_INDEX = "CREATE INDEX address_traces_started ON address_traces (first_started)";
    private static final long SPAN_MICROS = SPAN.toNanos() / 1_000;

    private AddressTraceLists() {
    }

    /** A row of {@code address_traces}: one address's list, its traces in order of start. */
    record Row(long addrNum, List<TraceAtAddress> traces) {
        Row {
            if (traces.isEmpty()) {
                throw new IllegalArgumentException("an address list holds at least one trace");
            }
        }

        Instant firstStarted() {
            return traces.get(0).started();
        }

        Instant lastStarted() {
            return traces.get(traces.size() - 1).started();
        }
    }

    /**
     * A trace's distinct replying addresses, each at the smallest TTL it answered, packed as
     * {@code address number << 8 | TTL}: what the trace adds to the address index, kept by a batch instead of its hop
     * records.
     */
    static long[] smallestTtls(List<HopRecord> hops) {
        Map<String, Integer> smallestTtl = new HashMap<>();
        for (HopRecord h : hops) {
            smallestTtl.merge(h.addr(), h.ttl(), Math::min);
        }
        long[] out = new long[smallestTtl.size()];
        int i = 0;
        for (Map.Entry<String, Integer> e : smallestTtl.entrySet()) {
            out[i++] = CollectorStore.addressNumber(e.getKey()) << 8 | e.getValue();
        }
        return out;
    }

    /** The rows of these traces: each distinct replying address of a trace, at the smallest TTL it answered. */
    static List<Row> rowsOf(Collection<TraceBatch.Merged> traces) {
        Map<Long, List<TraceAtAddress>> byAddress = new HashMap<>();
        for (TraceBatch.Merged m : traces) {
            StoredTrace t = m.trace();
            Instant started = toMicros(t.start());
            for (long packed : m.smallestTtls()) {
                byAddress.computeIfAbsent(packed >>> 8, a -> new ArrayList<>())
                        .add(new TraceAtAddress(started, t.agentId(), t.traceId(), (int) (packed & 0xFF)));
            }
        }
        List<Row> rows = new ArrayList<>();
        byAddress.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> addRows(e.getKey(), e.getValue(), rows));
        return rows;
    }

    /** Adds the rows of one address's traces to {@code out}: sorted, split by {@link #SPAN} and {@link #MAX_TRACES}. */
    static void addRows(long addrNum, List<TraceAtAddress> traces, List<Row> out) {
        traces.sort(TraceAtAddress.OLDEST_FIRST);
        int from = 0;
        for (int i = 1; i <= traces.size(); i++) {
            if (i == traces.size() || i - from == MAX_TRACES
                    || period(traces.get(i)) != period(traces.get(from))) {
                out.add(new Row(addrNum, List.copyOf(traces.subList(from, i))));
                from = i;
            }
        }
    }

    /** A time as the store keeps it: rounded to the microsecond. */
    static Instant toMicros(Instant t) {
        int nanos = t.getNano();
        int rest = nanos % 1_000;
        return rest == 0 ? t : t.minusNanos(rest).plusNanos(rest >= 500 ? 1_000 : 0);
    }

    private static long period(TraceAtAddress t) {
        return Math.floorDiv(t.startedMicros(), SPAN_MICROS);
    }

    /** Inserts {@code rows} (best in key order: address, then first start), each with a new random list number. */
    static void insert(Connection c, StoreDialect dialect, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO address_traces (addr_num, first_started, list_no, "
                + "last_started, trace_count, traces) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Row r : rows) {
                s.setLong(1, r.addrNum());
                dialect.setInstant(s, 2, r.firstStarted());
                s.setLong(3, ThreadLocalRandom.current().nextLong());
                dialect.setInstant(s, 4, r.lastStarted());
                s.setInt(5, r.traces().size());
                s.setBytes(6, AddressTracesCodec.encode(r.traces()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * Retention: takes the traces that started before {@code cutoff} out of the index. Lists wholly before it are
     * deleted; the few that straddle it are written again with their later traces only.
     *
     * @param forUpdate the locking clause of the read of those lists ({@code " FOR UPDATE"} where collectors share
     *                  the database, so that two pruning at once do not both write them again)
     */
    static void pruneBefore(Connection c, StoreDialect dialect, Instant cutoff, String forUpdate)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM address_traces "
                + "WHERE first_started < ? AND last_started < ?")) {
            dialect.setInstant(s, 1, cutoff);
            dialect.setInstant(s, 2, cutoff);
            s.executeUpdate();
        }
        List<Row> kept = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT addr_num, first_started, list_no, traces "
                + "FROM address_traces WHERE first_started < ?" + forUpdate);
             PreparedStatement delete = c.prepareStatement("DELETE FROM address_traces "
                     + "WHERE addr_num = ? AND first_started = ? AND list_no = ?")) {
            dialect.setInstant(q, 1, cutoff);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    List<TraceAtAddress> later = AddressTracesCodec.decode(r.getBytes(4)).stream()
                            .filter(t -> !t.started().isBefore(cutoff)).toList();
                    if (!later.isEmpty()) {
                        kept.add(new Row(r.getLong(1), later));
                    }
                    delete.setLong(1, r.getLong(1));
                    dialect.setInstant(delete, 2, dialect.instant(r, "first_started"));
                    delete.setLong(3, r.getLong(3));
                    delete.addBatch();
                }
            }
            delete.executeBatch();
        }
        insert(c, dialect, kept);
    }

    /** How many (address, trace) entries the index holds. */
    static long entries(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COALESCE(SUM(trace_count), 0) FROM address_traces")) {
            r.next();
            return r.getLong(1);
        }
    }
}
