package net.tracemesh.web.api;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.tracemesh.collector.query.SubgraphFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the topology answers in use ready, on a thread of its own (the readings block on the store): reads one view
 * (the whole map) as soon as it starts, then runs {@link TopologyCache#refresh()} every interval, one turn after
 * the other. A failed turn is logged and the next one runs as planned.
 */
public final class TopologyRefresh implements AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    private static final String THREAD_NAME = "tracemesh-topology-refresh";
    private static final Logger LOG = LoggerFactory.getLogger(TopologyRefresh.class);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        return t;
    });

    public TopologyRefresh(TopologyCache cache, SubgraphFilter first, Duration interval) {
        if (cache == null || first == null) {
            throw new IllegalArgumentException("the cache and the first view are required");
        }
        if (interval == null || interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval: must be at least 1 ms, got " + interval);
        }
        thread.execute(() -> turn(() -> cache.warm(first)));
        thread.scheduleWithFixedDelay(() -> turn(cache::refresh), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void turn(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (thread.isShutdown()) {
                LOG.debug("web: a topology reading ended by the shutdown: {}", e.getMessage());
            } else {
                LOG.warn("web: reading the topology ahead failed (next try in a moment): {}", e.getMessage());
            }
        }
    }

    /**
     * Stops the turns without waiting: a reading under way ends on its own (it is not interrupted: an interrupt
     * would close the embedded store's file).
     */
    @Override
    public void close() {
        thread.shutdown();
    }
}
