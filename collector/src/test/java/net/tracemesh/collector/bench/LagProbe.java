package net.tracemesh.collector.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Measures end-to-end lag on sampled traces: from the broker's timestamp of a trace's completion record (the
 * topics use log-append time, so it is when the broker stored it) to the moment the trace's row is visible in
 * {@code applied_traces} to a reader of the store, which is when the store committed the batch holding it.
 *
 * <p>A sample is registered from the producer's acknowledgement callback with the completion's broker timestamp.
 * A dedicated thread looks every sample still pending up by primary key (agent id, trace id), on one read-only
 * connection of the store's query pool, every poll interval. The lag of a sample is thus overstated by at most one
 * poll interval plus one round of lookups; both are printed with the result.
 */
final class LagProbe implements AutoCloseable {
    private static final String LOOKUP = "SELECT 1 FROM applied_traces WHERE agent_id = ? AND trace_id = ?";

    private record Sample(String agentId, String traceId, long brokerMillis) {
    }

    private final DataSource dataSource;
    private final Duration pollInterval;
    private final ConcurrentLinkedQueue<Sample> incoming = new ConcurrentLinkedQueue<>();
    private final Latencies lags = new Latencies();
    private final Latencies lookupRounds = new Latencies();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int pending;

    LagProbe(DataSource dataSource, Duration pollInterval) {
        this.dataSource = dataSource;
        this.pollInterval = pollInterval;
        this.thread = new Thread(this::run, "collector-bench-lag-probe");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Registers a trace whose completion the broker stored at {@code brokerMillis}; thread-safe. */
    void expect(String agentId, String traceId, long brokerMillis) {
        incoming.add(new Sample(agentId, traceId, brokerMillis));
    }

    /** Samples registered but not seen applied yet (as of the probe's last round). */
    int pending() {
        return pending + incoming.size();
    }

    /** Waits until no sample is pending, or {@code timeout} passed; true when none is left. */
    boolean awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending() > 0 && System.nanoTime() - deadline < 0) {
            checkFailure();
            Thread.sleep(pollInterval.toMillis());
        }
        return pending() == 0;
    }

    /** The lags measured (call after {@link #close()}). */
    Latencies lags() {
        return lags;
    }

    /** Duration of one lookup round over the pending samples. */
    Latencies lookupRounds() {
        return lookupRounds;
    }

    private void run() {
        List<Sample> waiting = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LOOKUP)) {
            while (running) {
                for (Sample s; (s = incoming.poll()) != null; ) {
                    waiting.add(s);
                }
                long roundStart = System.nanoTime();
                Iterator<Sample> it = waiting.iterator();
                while (it.hasNext()) {
                    Sample s = it.next();
                    if (applied(ps, s)) {
                        lags.add(Math.max(0, System.currentTimeMillis() - s.brokerMillis()) * 1_000_000L);
                        it.remove();
                    }
                }
                if (!waiting.isEmpty()) {
                    lookupRounds.add(System.nanoTime() - roundStart);
                }
                pending = waiting.size();
                LockSupport.parkNanos(pollInterval.toNanos());
            }
        } catch (SQLException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static boolean applied(PreparedStatement ps, Sample s) throws SQLException {
        ps.setString(1, s.agentId());
        ps.setString(2, s.traceId());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private void checkFailure() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("the lag probe failed: " + t.getMessage(), t);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        checkFailure();
    }
}
