package net.tracemesh.web.live;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import net.tracemesh.collector.store.StoreDialect;

/**
 * The live feed's queries of the collector store (blocking JDBC; run on a worker): where the store is now, and
 * what was merged and which routes changed after a cursor. Portable between H2 and PostgreSQL; served by the
 * indexes on {@code applied_traces(closed_at)} and {@code route_changes(changed_at)}.
 */
final class StorePoller {
    /** Route changes reported per poll at most; the rest follow at the next poll. */
    static final int MAX_CHANGES_PER_POLL = 200;

    private final DataSource pool;

    StorePoller(DataSource pool) {
        this.pool = pool;
    }

    /**
     * Where the feed starts.
     *
     * @param tracesClosed latest closing time of a merged trace ({@link Instant#EPOCH} for an empty store)
     * @param routeChanged latest route change time
     */
    record Cursor(Instant tracesClosed, Instant routeChanged) {
    }

    /** What is new after a cursor, and the cursor after it. */
    record News(long merged, Instant latestClosed, List<LiveEvent.RouteChange> changes, Cursor next) {
    }

    Cursor now() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return new Cursor(latest(c, "SELECT MAX(closed_at) AS latest FROM applied_traces"),
                    latest(c, "SELECT MAX(changed_at) AS latest FROM route_changes"));
        }
    }

    News since(Cursor cursor) throws SQLException {
        try (Connection c = pool.getConnection()) {
            StoreDialect dialect = StoreDialect.of(c);
            long merged = 0;
            Instant latestClosed = cursor.tracesClosed();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT COUNT(*) AS merged, MAX(closed_at) AS latest FROM applied_traces WHERE closed_at > ?")) {
                dialect.setInstant(q, 1, cursor.tracesClosed());
                try (ResultSet r = q.executeQuery()) {
                    if (r.next()) {
                        merged = r.getLong("merged");
                        Instant max = dialect.instant(r, "latest");
                        if (max != null) {
                            latestClosed = max;
                        }
                    }
                }
            }
            List<LiveEvent.RouteChange> changes = new ArrayList<>();
            Instant routeChanged = cursor.routeChanged();
            try (PreparedStatement q = c.prepareStatement("SELECT agent_id, destination, method, changed_at, "
                    + "divergence_ttl FROM route_changes WHERE changed_at > ? "
                    + "ORDER BY changed_at, agent_id, destination, method")) {
                dialect.setInstant(q, 1, cursor.routeChanged());
                q.setMaxRows(MAX_CHANGES_PER_POLL);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        Instant at = dialect.instant(r, "changed_at");
                        changes.add(new LiveEvent.RouteChange(r.getString(1), r.getString(2), r.getString(3), at,
                                r.getInt(5)));
                        routeChanged = at;
                    }
                }
            }
            return new News(merged, latestClosed, changes, new Cursor(latestClosed, routeChanged));
        }
    }

    /** The time in column {@code latest} of the one row of {@code sql}, or the epoch when it is NULL. */
    private static Instant latest(Connection c, String sql) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet r = q.executeQuery()) {
            Instant t = r.next() ? StoreDialect.of(c).instant(r, "latest") : null;
            return t == null ? Instant.EPOCH : t;
        }
    }
}
