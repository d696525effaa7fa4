package net.tracemesh.web.metrics;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import net.tracemesh.collector.query.TopologyQueries;
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

    private final Vertx vertx;
    private final TopologyQueries queries;
    private final Clock clock;
    private final AtomicReference<Instant> newestClosed = new AtomicReference<>();
    private final long timer;
    private volatile boolean closed;

    public MergeProgress(Vertx vertx, TopologyQueries queries, Clock clock, Duration interval) {
        this.vertx = vertx;
        this.queries = queries;
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
        vertx.executeBlocking(() -> queries.lastMergedAt().orElse(null), false).onComplete(ar -> {
            if (ar.succeeded()) {
                newestClosed.set(ar.result());
            } else {
                LOG.debug("web: reading the newest merged trace failed", ar.cause());
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        vertx.cancelTimer(timer);
    }
}
