package net.tracemesh.agent.publish;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import net.tracemesh.agent.spool.Spool;
import net.tracemesh.agent.spool.SpoolEntry;
import net.tracemesh.message.MessageJson;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the agent's messages to Kafka without losing them. Runs as a worker verticle: its handlers run
 * one at a time on a worker thread, so spool I/O never blocks an event loop.
 *
 * <p>Every message gets a sequence number in the order it was handed over. While the broker answers,
 * messages go straight to an idempotent producer ({@code acks=all}) with at most {@code memoryRecords}
 * unacknowledged. When a message stays unacknowledged longer than {@code spoolAfter}, the window is full, or
 * a send fails, the publisher starts spooling: new messages are appended to the on-disk spool and the
 * producer is fed from the spool, oldest first, as acknowledgements free the window. Once everything spooled
 * has been acknowledged, messages go straight to the producer again. Since spooled messages are always newer
 * than those sent before spooling began, Kafka sees them in the order they were made.
 *
 * <p>The producer never gives up on a message while it runs (its delivery timeout is unbounded), so a broker
 * outage only delays delivery. A failed send (a fatal producer error) is retried from the spool after the
 * in-flight sends settle; Kafka may then hold a message twice, which its record id makes detectable.
 * Stopping waits {@code shutdownGrace} for acknowledgements, then spools what is left and closes the producer
 * at once (a send waiting for topic metadata of an unreachable broker would otherwise hold it up to
 * {@code max.block.ms} per message).
 */
public final class PublisherVerticle extends VerticleBase implements MessageSink {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherVerticle.class);
    private static final int SPOOL_READ_BATCH = 1_000;
    private static final long CHECK_MILLIS = 500;
    private static final long RETRY_BACKOFF_MILLIS = 2_000;

    private final PublisherSettings settings;
    private final ConcurrentLinkedQueue<Outgoing> intake = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Map<String, String> topicNames = new HashMap<>();
    private volatile Context workerContext;
    private volatile PublisherStats stats = PublisherStats.EMPTY;

    // Owned by the worker context.
    private KafkaWriteStream<byte[], byte[]> producer;
    private Spool spool;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean outcomesScheduled = new AtomicBoolean();
    /** Messages handed to the producer whose outcome has not been handled yet. */
    private int pending;
    private final List<InFlight> failedFromMemory = new ArrayList<>();
    /** Topics whose last send failed before it was queued (no metadata): their sends fail at once until recovery. */
    private final Set<String> unavailableTopics = new HashSet<>();
    private long nextSequence;
    private boolean spooling;
    private boolean recovering;
    private boolean spoolAcksBlocked;
    private boolean closing;
    private volatile boolean stopped; // also read by the producer's exception handler
    private long retryAfterNanos;
    private long published;
    private long rejected;
    private long timer = -1;

    public PublisherVerticle(PublisherSettings settings) {
        this.settings = settings;
    }

    @Override
    public Future<?> start() {
        try {
            spool = Spool.open(settings.spoolDir(), settings.spoolMaxBytes());
        } catch (IOException | RuntimeException e) {
            return Future.failedFuture(new IllegalStateException("cannot open the spool in " + settings.spoolDir()
                    + ": " + e.getMessage(), e));
        }
        // Sequences continue above anything left in the spool by an earlier run.
        nextSequence = Math.max(System.currentTimeMillis() * 1_000L, spool.lastSequence() + 1);
        if (!spool.isEmpty()) {
            LOG.info("{} messages left in the spool by an earlier run will be sent first", spool.pendingEntries());
            spooling = true;
        }
        try {
            producer = KafkaWriteStream.create(vertx, producerConfig(settings.clientProperties()), new ByteArraySerializer(),
                    new ByteArraySerializer());
        } catch (RuntimeException e) {
            try {
                spool.close(); // release the directory: a later start may use it
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            return Future.failedFuture(new IllegalStateException("cannot create the Kafka producer: "
                    + e.getMessage(), e));
        }
        producer.exceptionHandler(e -> {
            if (!stopped) {
                LOG.warn("Kafka producer: {}", e.toString());
            }
        });
        timer = vertx.setPeriodic(CHECK_MILLIS, id -> check());
        retryAfterNanos = System.nanoTime();
        // From now on publish() schedules the drain; what was handed over before is drained here.
        workerContext = context;
        drainIntake();
        updateStats();
        return Future.succeededFuture();
    }

    /** The producer settings of the publisher: the given client properties plus its delivery guarantees. */
    public static Map<String, Object> producerConfig(Map<String, Object> clientProperties) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        config.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tracemesh-agent");
        // Keep the brokers and topics it knows while they are away (Kafka 4's default forgets them and then
        // blocks every send until a broker answers): sends queue at once and the spool takes over.
        config.putIfAbsent(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        // Should a send still have to wait for metadata or buffer space, it fails soon and is retried from the
        // spool.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return config;
    }

    /** Thread-safe hand-over; the message is encoded and sent on the publisher's worker thread. */
    @Override
    public void publish(Outgoing message) {
        intake.add(message);
        Context ctx = workerContext;
        if (ctx != null && drainScheduled.compareAndSet(false, true)) {
            ctx.runOnContext(v -> drainIntake());
        }
    }

    public PublisherStats stats() {
        return stats;
    }

    private void drainIntake() {
        drainScheduled.set(false);
        if (stopped) {
            int late = 0;
            while (intake.poll() != null) {
                late++;
            }
            if (late > 0) {
                LOG.error("{} messages arrived after the publisher stopped and are lost", late);
            }
            return;
        }
        Outgoing o;
        while ((o = intake.poll()) != null) {
            accept(o);
        }
        feedFromSpool();
    }

    private void accept(Outgoing o) {
        byte[] value = MessageJson.encode(o.message());
        byte[] key = o.key().getBytes(StandardCharsets.UTF_8);
        long sequence = nextSequence++;
        if (!spooling && !recovering && !closing && windowOpen()) {
            send(new InFlight(sequence, o.round(), o.topic(), key, value, false));
            return;
        }
        if (!spooling) {
            spooling = true;
            LOG.info("Kafka is not keeping up or unreachable: spooling to {}", settings.spoolDir());
        }
        try {
            spool.append(new SpoolEntry(sequence, o.round(), o.topic(), key, value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spool", e);
        }
    }

    private void send(InFlight f) {
        inFlight.add(f);
        pending++;
        f.sentAtNanos = System.nanoTime();
        String topic = topicNames.computeIfAbsent(f.topic, t -> settings.topicPrefix() + t);
        // The Kafka producer itself, on this worker thread: its send only queues the record (it may block, at
        // most max.block.ms, when its buffer is full or a topic's metadata is unknown, which a worker may do).
        // Its callback, on the producer's I/O thread, only queues the outcome; outcomes are handled in batches.
        if (unavailableTopics.contains(topic)) {
            // A send to this topic already failed without being queued: fail the others at once instead of
            // letting each wait max.block.ms too; they are retried from the spool with it.
            outcome(f, new TimeoutException("no metadata for " + topic + " yet"));
            return;
        }
        try {
            java.util.concurrent.Future<RecordMetadata> queued = producer.unwrap().send(
                    new ProducerRecord<>(topic, null, f.key, f.value), (metadata, error) -> outcome(f, error));
            if (queued.isDone() && failed(queued)) {
                unavailableTopics.add(topic);
            }
        } catch (RuntimeException e) {
            unavailableTopics.add(topic);
            outcome(f, e);
        }
    }

    private static boolean failed(java.util.concurrent.Future<?> done) {
        try {
            done.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Any thread: a send's outcome, handled on the publisher's context with the others that came meanwhile. */
    private void outcome(InFlight f, Exception error) {
        outcomes.add(new Outcome(f, error));
        Context ctx = workerContext;
        if (ctx != null && outcomesScheduled.compareAndSet(false, true)) {
            ctx.runOnContext(v -> handleOutcomes());
        }
    }

    private void handleOutcomes() {
        outcomesScheduled.set(false);
        if (stopped) {
            outcomes.clear();
            return; // closing the producer fails what it still held: already back in the spool
        }
        Outcome o;
        while ((o = outcomes.poll()) != null) {
            InFlight f = o.message();
            if (f.state != InFlight.PENDING) {
                continue;
            }
            pending--;
            Exception error = o.error();
            if (error == null) {
                f.state = InFlight.ACKED;
                published++;
            } else if (isPermanent(error)) {
                f.state = InFlight.ACKED;
                rejected++;
                LOG.warn("Kafka refused a message for good, dropped: {}", error.toString());
            } else {
                f.state = InFlight.FAILED;
                if (!recovering) {
                    LOG.warn("sending to Kafka failed, retrying from the spool: {}", error.toString());
                }
                recovering = true;
                spooling = true;
            }
        }
        settle();
    }

    /** Whether another message may be handed to the producer now. */
    private boolean windowOpen() {
        return pending < settings.memoryRecords() && inFlight.size() < 2 * settings.memoryRecords();
    }

    private static boolean isPermanent(Throwable e) {
        return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof SerializationException || e instanceof InvalidTopicException;
    }

    /** Pops settled messages off the head of the window, acknowledging spooled ones in order. */
    private void settle() {
        long spoolAck = -1;
        while (!inFlight.isEmpty() && inFlight.peek().state != InFlight.PENDING) {
            InFlight head = inFlight.poll();
            if (head.state == InFlight.FAILED) {
                // It is sent again, and everything after it with it: nothing after it may be acknowledged in
                // the spool, or the failed one could no longer be put back in front of the spool's entries.
                spoolAcksBlocked = true;
                if (!head.fromSpool) {
                    failedFromMemory.add(head);
                }
            } else if (head.fromSpool && !spoolAcksBlocked) {
                spoolAck = head.sequence;
            }
        }
        try {
            if (spoolAck >= 0) {
                spool.acknowledge(spoolAck);
            }
            if (recovering && inFlight.isEmpty()) {
                recover();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the spool", e);
        }
        if (!closing) {
            feedFromSpool();
        }
    }

    /** Every send has settled after a failure: put the failed ones back at the head of the spool. */
    private void recover() throws IOException {
        unavailableTopics.clear();
        if (!failedFromMemory.isEmpty()) {
            List<SpoolEntry> entries = new ArrayList<>(failedFromMemory.size());
            for (InFlight f : failedFromMemory) {
                entries.add(f.toSpoolEntry());
            }
            spool.prepend(entries);
            failedFromMemory.clear();
        }
        // Also when prepend had to drop the failed ones (full spool): the read cursor must go back to the first
        // unacknowledged entry, or failed spooled entries would be skipped and acknowledged with later ones.
        spool.rewind();
        spoolAcksBlocked = false;
        recovering = false;
        retryAfterNanos = System.nanoTime() + RETRY_BACKOFF_MILLIS * 1_000_000L;
    }

    /** The oldest unacknowledged message has waited longer than spool-after: the broker is unreachable. */
    private boolean stalled() {
        InFlight oldest = inFlight.peek();
        return oldest != null && System.nanoTime() - oldest.sentAtNanos > settings.spoolAfter().toNanos();
    }

    private void feedFromSpool() {
        if (!spooling || recovering || closing || stalled() || System.nanoTime() - retryAfterNanos < 0) {
            return;
        }
        try {
            // Reads in batches once a batch's worth of the window is free, not one entry per acknowledgement.
            int minimum = Math.min(SPOOL_READ_BATCH, Math.max(1, settings.memoryRecords() / 2));
            while (windowOpen() && settings.memoryRecords() - pending >= minimum) {
                List<SpoolEntry> batch = spool.read(Math.min(SPOOL_READ_BATCH, settings.memoryRecords() - pending));
                if (batch.isEmpty()) {
                    break;
                }
                for (SpoolEntry e : batch) {
                    send(new InFlight(e.sequence(), e.round(), e.topic(), e.key(), e.value(), true));
                }
            }
            if (spool.isEmpty()) {
                spooling = false;
                LOG.info("spool drained: publishing directly again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spool", e);
        }
    }

    private void check() {
        if (spooling || !spool.isEmpty()) {
            try {
                // Appends are buffered; forcing them (and the acknowledged position) once per check bounds
                // what a crash of the host can take.
                spool.flush();
            } catch (IOException e) {
                LOG.error("cannot flush the spool: {}", e.toString());
            }
        }
        if (!spooling && stalled()) {
            spooling = true;
            LOG.warn("no acknowledgement from Kafka for {} s: spooling to {}", settings.spoolAfter().toSeconds(),
                    settings.spoolDir());
        }
        feedFromSpool();
        updateStats();
    }

    private void updateStats() {
        stats = new PublisherStats(published, pending, spool.pendingEntries(), spool.sizeBytes(),
                spool.droppedEntries(), spool.droppedRounds(), rejected, spooling);
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        drainIntake();
        closing = true;
        Promise<Void> done = Promise.promise();
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        awaitSettled(deadline, done);
        return done.future().eventually(() -> finishStop());
    }

    private void awaitSettled(long deadline, Promise<Void> done) {
        if (inFlight.isEmpty() || System.nanoTime() - deadline >= 0) {
            done.complete();
            return;
        }
        vertx.setTimer(50, id -> awaitSettled(deadline, done));
    }

    private Future<Void> finishStop() {
        List<SpoolEntry> unsent = new ArrayList<>();
        for (InFlight f : failedFromMemory) {
            unsent.add(f.toSpoolEntry());
        }
        for (InFlight f : inFlight) {
            if (!f.fromSpool && f.state != InFlight.ACKED) {
                unsent.add(f.toSpoolEntry());
            }
        }
        unsent.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        stopped = true;
        try {
            if (!unsent.isEmpty()) {
                LOG.warn("{} messages not acknowledged at shutdown: spooled for the next start", unsent.size());
                spool.prepend(unsent);
            }
            updateStats();
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot save {} unsent messages to the spool: {}", unsent.size(), e.toString());
        } finally {
            try {
                spool.close();
            } catch (IOException e) {
                LOG.error("cannot close the spool: {}", e.toString());
            }
        }
        inFlight.clear();
        failedFromMemory.clear();
        // Closing the Kafka producer itself, from this thread, wakes sends blocked waiting for metadata; the
        // write stream's own close runs behind those sends on its executor.
        try {
            producer.unwrap().close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing the Kafka producer", e);
        }
        return producer.close(0).recover(e -> Future.succeededFuture());
    }

    /** What became of one send. */
    private record Outcome(InFlight message, Exception error) {
    }

    /** A message handed to the producer. */
    private static final class InFlight {
        static final int PENDING = 0;
        static final int ACKED = 1;
        static final int FAILED = 2;

        final long sequence;
        final long round;
        final String topic;
        final byte[] key;
        final byte[] value;
        final boolean fromSpool;
        int state = PENDING;
        long sentAtNanos;

        InFlight(long sequence, long round, String topic, byte[] key, byte[] value, boolean fromSpool) {
            this.sequence = sequence;
            this.round = round;
            this.topic = topic;
            this.key = key;
            this.value = value;
            this.fromSpool = fromSpool;
        }

        SpoolEntry toSpoolEntry() {
            return new SpoolEntry(sequence, round, topic, key, value);
        }
    }
}
