package net.tracemesh.collector.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.tracemesh.collector.config.CollectorConfig;
import net.tracemesh.collector.config.DurationText;
import net.tracemesh.collector.config.StoreConfig;
import net.tracemesh.collector.config.StoreType;
import net.tracemesh.collector.ingest.CollectorIngest;
import net.tracemesh.collector.store.CollectorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector as a running service: it owns the store, the {@link CollectorIngest} that fills it from Kafka, and
 * one scheduler thread that drops raw hop records past their retention age and watches the ingest.
 *
 * <p>If the ingest stops on its own (a failed store write, a Kafka error), the failure is logged once, the service
 * reports itself unhealthy, and {@link #awaitEnd()} returns the failure; the store stays open until {@link #close()}.
 * A failed retention run is logged and tried again at the next interval.
 */
public final class CollectorService implements AutoCloseable {
    /** How often the scheduler looks at the ingest to notice that it stopped. */
    static final Duration HEALTH_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration SCHEDULER_STOP_WAIT = Duration.ofMinutes(1);
    private static final String SCHEDULER_THREAD = "tracemesh-collector-retention";
    private static final Logger LOG = LoggerFactory.getLogger(CollectorService.class);

    private final CollectorConfig config;
    private final Clock clock;
    private final CollectorStore store;
    private final CollectorIngest ingest;
    private final ScheduledExecutorService scheduler;

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong prunes = new AtomicLong();
    private final AtomicLong tracesPruned = new AtomicLong();
    private final AtomicLong pruneFailures = new AtomicLong();
    private final AtomicReference<Instant> lastPrune = new AtomicReference<>();
    /** Counted down when the ingest failed or the service was closed. */
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private volatile boolean closed;

    private CollectorService(CollectorConfig config, Clock clock, CollectorStore store, CollectorIngest ingest) {
        this.config = config;
        this.clock = clock;
        this.store = store;
        this.ingest = ingest;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, SCHEDULER_THREAD);
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens the store, starts consuming and schedules retention, on the system clock. */
    public static CollectorService start(CollectorConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Opens the store, starts consuming and schedules retention.
     *
     * @param clock the time retention counts hop ages from, also the ingest's idle clock (which closes traces left
     *              open once the topics are drained)
     * @throws net.tracemesh.collector.store.StoreException if the database cannot be opened or migrated
     * @throws IllegalStateException if the embedded store is open elsewhere
     * @throws org.apache.kafka.common.KafkaException if the Kafka clients cannot be created from the settings
     */
    public static CollectorService start(CollectorConfig config, Clock clock) {
        if (config == null || clock == null) {
            throw new IllegalArgumentException("the configuration and the clock are needed");
        }
        CollectorStore store = openStore(config.store());
        CollectorService service;
        try {
            CollectorIngest ingest = new CollectorIngest(config.ingestSettings(clock), store).start();
            service = new CollectorService(config, clock, store, ingest);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        service.schedule();
        LOG.info("collector started: {}; reading {}hops and {}traces from {} as group {}; hop records kept {}",
                config.store().describe(), config.kafka().topicPrefix(), config.kafka().topicPrefix(),
                config.kafka().bootstrapServers(), config.kafka().groupId(),
                DurationText.format(config.retention().hopMaxAge()));
        return service;
    }

    /** Opens (and migrates) the store the config names: embedded under its directory, or at its JDBC URL. */
    public static CollectorStore openStore(StoreConfig s) {
        return s.type() == StoreType.EMBEDDED ? CollectorStore.openEmbedded(s.dataDir(), s.cacheMb())
                : CollectorStore.open(s.url(), s.user(), s.password());
    }

    private void schedule() {
        long pruneMillis = config.retention().pruneInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::prune, 0, pruneMillis, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::checkIngest, HEALTH_CHECK_INTERVAL.toMillis(),
                HEALTH_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One retention run: a failure is logged and counted, never thrown, so the next run still happens. */
    private void prune() {
        Instant cutoff = clock.instant().minus(config.retention().hopMaxAge());
        try {
            int n = store.pruneHopsBefore(cutoff);
            prunes.incrementAndGet();
            tracesPruned.addAndGet(n);
            lastPrune.set(clock.instant());
            if (n > 0) {
                LOG.info("retention: dropped the hop records of {} traces started before {}", n, cutoff);
            }
        } catch (RuntimeException e) {
            pruneFailures.incrementAndGet();
            if (!closed) {
                LOG.warn("retention: dropping hop records older than {} failed (next try in {}): {}", cutoff,
                        DurationText.format(config.retention().pruneInterval()), e.getMessage());
            }
        }
    }

    private void checkIngest() {
        if (closed || ingest.running()) {
            return;
        }
        Throwable why = ingest.failure().orElseGet(() -> new IllegalStateException("the ingest stopped"));
        if (failure.compareAndSet(null, why)) {
            LOG.error("collector ingest stopped, nothing more is stored: {}", why.toString(), why);
            ended.countDown();
        }
    }

    /** Whether the ingest is consuming: false once it failed, and after {@link #close()}. */
    public boolean healthy() {
        return !closed && failure().isEmpty() && ingest.running();
    }

    /** Why the ingest stopped on its own, if it did. */
    public Optional<Throwable> failure() {
        Throwable known = failure.get();
        return known != null ? Optional.of(known) : ingest.failure();
    }

    /**
     * Blocks until the ingest fails or the service is closed.
     *
     * @return the ingest's failure, or empty if the service was closed (the close has finished by then)
     */
    public Optional<Throwable> awaitEnd() throws InterruptedException {
        ended.await();
        return Optional.ofNullable(failure.get());
    }

    public CollectorStats stats() {
        return new CollectorStats(healthy(), ingest.stats(), prunes.get(), tracesPruned.get(), pruneFailures.get(),
                lastPrune.get());
    }

    /** The store the service writes; readers use {@link CollectorStore#readDataSource()}. */
    public CollectorStore store() {
        return store;
    }

    public CollectorConfig config() {
        return config;
    }

    /** Stops retention, then the ingest (committing what is safe), then closes the store. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            scheduler.shutdownNow();
            try {
                if (!scheduler.awaitTermination(SCHEDULER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("retention did not stop within {}; closing the store anyway",
                            DurationText.format(SCHEDULER_STOP_WAIT));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                ingest.close();
            } finally {
                store.close();
                LOG.info("collector stopped: {}", stats());
                ended.countDown();
            }
        }
    }
}
