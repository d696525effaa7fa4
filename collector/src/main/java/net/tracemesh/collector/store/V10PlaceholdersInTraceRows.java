package net.tracemesh.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.LinkObservation;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;

/**
 * Schema 10 (a Java migration: it rewrites rows): placeholders and their links move out of {@code nodes} and
 * {@code links} into their trace's row, {@code applied_traces.placeholder_links} ({@link PlaceholderLinksCodec}),
 * and {@code placeholder_tally} counts them, so the store's row counts need not read every trace.
 *
 * <p>A placeholder link row keeps its far end's RTTs as a summary, not as samples. The samples written for it are
 * exact (to the microsecond) when there were at most three, the probes per TTL of a usual trace (smallest, largest,
 * and the sum less both); with more, the ones between the smallest and the largest are given their mean, so count,
 * smallest, largest, mean and last stay exact and the median may move.
 */
final class V10PlaceholdersInTraceRows extends StoreMigration {
    /** The tally row that counts the placeholders and links of the traces applied before schema 10. */
    static final String EARLIER_TRACES = "before-schema-10";
    private static final int FETCH_SIZE = 10_000;
    private static final double MICROS_PER_MS = 1000.0;

    V10PlaceholdersInTraceRows() {
        super("10", "placeholders in trace rows");
    }

    @Override
    void migrate(Connection c) throws SQLException {
        StoreDialect dialect = StoreDialect.of(c);
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE applied_traces ADD COLUMN placeholder_links BYTEA");
            s.execute("ALTER TABLE placeholder_tally ADD COLUMN placeholders BIGINT DEFAULT 0 NOT NULL");
            s.execute("ALTER TABLE placeholder_tally ADD COLUMN placeholder_links BIGINT DEFAULT 0 NOT NULL");
        }
        List<String> agents = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT DISTINCT agent_id FROM applied_traces ORDER BY agent_id")) {
            while (r.next()) {
                agents.add(r.getString(1));
            }
        }
        long placeholders = 0;
        long links = 0;
        // an agent at a time: its placeholders' keys start with its id, and its traces' links fit in memory
        for (String agent : agents) {
            Map<TraceKey, List<LinkObservation>> byTrace = new HashMap<>();
            String anonymous = "'" + NodeKind.ANONYMOUS.name() + "'";
            String placeholder = "link_kind = '" + LinkKind.PLACEHOLDER.name() + "'";
            readLinks(c, dialect, placeholder + " AND from_kind = " + anonymous
                    + " AND from_key LIKE ? ESCAPE '\\'", agent, byTrace);
            readLinks(c, dialect, placeholder + " AND to_kind = " + anonymous + " AND from_kind <> " + anonymous
                    + " AND to_key LIKE ? ESCAPE '\\'", agent, byTrace);
            try (PreparedStatement update = c.prepareStatement("UPDATE applied_traces SET placeholder_links = ? "
                    + "WHERE agent_id = ? AND trace_id = ?")) {
                List<TraceKey> traces = new ArrayList<>(byTrace.keySet());
                for (TraceKey t : traces) {
                    List<LinkObservation> traceLinks = byTrace.get(t);
                    Instant at = traceLinks.get(0).observedAt();
                    try {
                        update.setBytes(1, PlaceholderLinksCodec.encode(t, at, traceLinks));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException("the placeholder links of trace " + t + " cannot be kept "
                                + "in its row: " + e.getMessage(), e);
                    }
                    update.setString(2, t.agentId());
                    update.setString(3, t.traceId());
                    update.addBatch();
                    placeholders += PlaceholderLinksCodec.placeholders(traceLinks).size();
                    links += traceLinks.size();
                }
                int[] updated = update.executeBatch();
                for (int i = 0; i < updated.length; i++) {
                    if (updated[i] == 0) {
                        throw new IllegalStateException("the store is inconsistent: trace " + traces.get(i)
                                + " has placeholders but no row");
                    }
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM links WHERE link_kind = '" + LinkKind.PLACEHOLDER.name() + "'");
            s.execute("DELETE FROM nodes WHERE node_kind = '" + NodeKind.ANONYMOUS.name() + "'");
        }
        if (placeholders > 0) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO placeholder_tally (batch_id, connecting, "
                    + "placeholders, placeholder_links) VALUES (?, 0, ?, ?)")) {
                s.setString(1, EARLIER_TRACES);
                s.setLong(2, placeholders);
                s.setLong(3, links);
                s.executeUpdate();
            }
        }
    }

    /** Adds the placeholder links {@code where} selects of {@code agent}'s placeholders to their traces' lists. */
    private static void readLinks(Connection c, StoreDialect dialect, String where, String agent,
                                  Map<TraceKey, List<LinkObservation>> byTrace) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT from_kind, from_key, to_kind, to_key, link_kind, "
                + "first_seen, ambiguous_observations, rtt, mtu FROM links WHERE " + where)) {
            q.setFetchSize(FETCH_SIZE);
            q.setString(1, keyPattern(agent));
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    LinkId id = ColumnCodec.linkId(r);
                    boolean fromPlaceholder = id.from().kind() == NodeKind.ANONYMOUS;
                    NodeId placeholder = fromPlaceholder ? id.from() : id.to();
                    int ttl = Integer.parseInt(placeholder.key().substring(placeholder.key().lastIndexOf('/') + 1));
                    int fromTtl = fromPlaceholder ? ttl : ttl - 1;
                    Instant at = dialect.instant(r, "first_seen");
                    byTrace.computeIfAbsent(TracePlaceholders.traceOf(id), k -> new ArrayList<>())
                            .add(new LinkObservation(id.from(), id.to(), LinkKind.PLACEHOLDER, fromTtl, fromTtl + 1,
                                    r.getLong("ambiguous_observations") > 0, agent, at,
                                    samples(ColumnCodec.rtt(r.getBytes("rtt"))), ColumnCodec.integer(r, "mtu")));
                }
            }
        }
    }

    /** RTT samples (ms) that give {@code rtt} again: exact for up to three (see the class comment). */
    static List<Double> samples(RttSummary rtt) {
        long n = rtt.count();
        if (n == 0) {
            return List.of();
        }
        long min = micros(rtt.minMs());
        if (n == 1) {
            return List.of(min / MICROS_PER_MS);
        }
        long max = micros(rtt.maxMs());
        long middle = Math.round(rtt.meanMs() * n * MICROS_PER_MS) - min - max;
        List<Double> out = new ArrayList<>();
        out.add(min / MICROS_PER_MS);
        long inner = n - 2;
        for (long i = 0; i < inner; i++) {
            // the middle sum shared out in whole microseconds, the remainder to the first ones
            long share = middle / inner + (i < middle % inner ? 1 : 0);
            out.add(Math.max(min, Math.min(max, share)) / MICROS_PER_MS);
        }
        out.add(max / MICROS_PER_MS);
        return out;
    }

    private static long micros(double ms) {
        return Math.round(ms * MICROS_PER_MS);
    }

    /** The {@code LIKE} pattern of the keys of an agent's placeholders ({@code agent/trace/ttl}). */
    private static String keyPattern(String agentId) {
        StringBuilder p = new StringBuilder();
        for (char ch : agentId.toCharArray()) {
            if (ch == '%' || ch == '_' || ch == '\\') {
                p.append('\\');
            }
            p.append(ch);
        }
        return p.append("/%").toString();
    }
}
