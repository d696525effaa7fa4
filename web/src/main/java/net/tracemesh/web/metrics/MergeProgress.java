package net.tracemesh.web.metrics;

import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the merged data is behind: reads, every {@code interval} and off the event loop, when the newest merged
 * trace was closed, and reports the seconds since then as the ingest lag. That grows while the collectors fall
 * behind or nothing reaches them.
 */
public final class MergeProgress implements AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(MergeProgress.class);
    private static final String NEWEST_CLOSED = "SELECT MAX(closed_at) FROM applied_traces";

    private final Vertx vertx;
    private final DataSource readPool;
    private final Clock clock;
    private final AtomicReference<Instant> newestClosed = new AtomicReference<>();
    private final long timer;
    private volatile boolean closed;

    public MergeProgress(Vertx vertx, DataSource readPool, Clock clock, Duration interval) {
        this.vertx = vertx;
        this.readPool = readPool;
        this.clock = clock;
        poll();
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> poll());
    }

    /** Seconds since the newest merged trace closed; null before the first read or while the store is empty. */
    public Double lagSeconds() {
        Instant newest = newestClosed.get();
        if (newest == null) {
            return null;
        }
        return Math.max(0, Duration.between(newest, clock.instant()).toMillis() / 1000.0);
    }

    private void poll() {
        if (closed) {
            return;
        }
        vertx.executeBlocking(this::readNewest, false).onComplete(ar -> {
            if (ar.succeeded()) {
                newestClosed.set(ar.result());
            } else {
                LOG.debug("web: reading the newest merged trace failed", ar.cause());
            }
        });
    }

    private Instant readNewest() throws SQLException {
        try (Connection c = readPool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(NEWEST_CLOSED)) {
            if (!rs.next()) {
                return null;
            }
            OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        }
    }

    @Override
    public void close() {
        closed = true;
        vertx.cancelTimer(timer);
    }
}
