package net.tracemesh.collector.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.tracemesh.collector.assemble.Acceptance;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.Closure;
import net.tracemesh.collector.assemble.TraceAssembler;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.TraceBatch;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.InvalidMessageException;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Consumes the hops and traces topics in a consumer group, assembles traces, merges the closed traces and applies
 * them to the {@link CollectorStore} in batches ({@link CollectorStore#applyAll}). One thread consumes, decodes,
 * assembles, and merges each closed trace into the next batch's graph sums ({@link TraceBatch}); a second writes the
 * batches, in order, while the first reads on. Batches form as group commits do: the traces closed while one batch
 * is being written make the next one, handed over as soon as the writer is free, so a lightly loaded collector writes
 * each trace within a poll or two and a loaded one writes fewer, larger batches (what a write costs the store
 * follows the pages its rows fall on more than their number, and a larger batch puts more rows on each page). While
 * a batch is written the next one grows to at most {@link #maxBatchTraces(long)} traces (a sixth of the heap's worth,
 * from {@value #MIN_BATCH_TRACES} to {@value #MAX_BATCH_TRACES}); then the consuming thread waits. Offsets of a
 * batch's traces are released only once the batch is in the store.
 *
 * <p><b>Records.</b> Each record is decoded by its topic. A record that cannot be used — not JSON, an unsupported
 * schema, missing or impossible fields, an empty value, or a message the assembler rejects as contradicting its trace —
 * is sent, with its original key and value, to {@code <prefix>dead-letter} with the headers of
 * {@link CollectorTopics}, and counted; the loop goes on.
 *
 * <p><b>Time.</b> The assembler is given each record's Kafka timestamp as {@code now}, or the time traces were last
 * expired at if that is later (so a trace arriving late with old timestamps gets a whole timeout to complete). After every poll it expires
 * traces open longer than its timeout, at a clock that no assigned partition is still behind: the oldest of the
 * latest record timestamps of the partitions that have records left to read (a trace's completion may sit in a
 * partition read behind the others, as in a replay), or the latest record timestamp when every partition is caught
 * up; after an empty poll with every partition caught up, at the settings' idle clock (the wall clock when live), so
 * that traces that never complete are closed once the topics are drained. The assembler's clock never goes backwards.
 *
 * <p><b>Partitions in step.</b> The hops and traces topics are read in step by record time: a partition read more
 * than {@link IngestSettings#partitionSkew()} ahead of the slowest partition with records left is paused until that
 * one catches up. Without it, a backlog (a collector started after an outage) is read much faster on the traces
 * topic, whose messages are few, than on the hops topic: completions would open traces by the hundred thousand
 * whose hops are still far behind, until the assembler's limit of open traces closed them early, without their hops.
 *
 * <p><b>Offsets.</b> Auto commit is off. For each partition the ingest remembers, for every trace not yet in the
 * store (open in the assembler, or closed and waiting for its batch to be applied), the smallest offset of its
 * messages in that partition, the message that closed it included. After every poll it commits, per assigned
 * partition, the smallest such offset, or the consumer's position when no open trace holds a message of the
 * partition; on close it does the same. So every message below a committed offset belongs to a trace already applied
 * (or was useless: a duplicate, or dead-lettered after the dead-letter producer was flushed). After a restart
 * the records from the committed offsets are read again; traces already applied are applied again and the store
 * ignores them ({@link CollectorStore#apply} is idempotent per trace), as it ignores the partial traces that the
 * re-read tail of an applied trace assembles to. Delivery into the store is at least once; the graph is exactly once.
 *
 * <p><b>One collector per group.</b> The store has one writer, so run one ingest per consumer group. On a rebalance
 * the safe offsets of the revoked partitions are committed; traces held open for them are left to the timeout, and
 * the store's idempotence keeps a second application harmless.
 *
 * <p>If applying a trace or writing a dead letter fails, the loop stops without committing further;
 * {@link #failure()} tells why.
 */
public final class CollectorIngest implements AutoCloseable {
    /** Code of the dead-letter reason for a record with no value. */
    public static final String EMPTY_VALUE = "EMPTY_VALUE";
    /** Code of the dead-letter reason for a message the assembler rejected. */
    public static final String REJECTED = "REJECTED";
    private static final String THREAD_NAME = "tracemesh-collector-ingest";
    /** Records per poll: between two polls the ingest hands a batch over if the applying thread is free. */
    private static final int MAX_POLL_RECORDS = 5000;
    private static final String APPLY_THREAD_NAME = "tracemesh-collector-apply";
    /**
     * Heap a trace takes while it waits in a batch: its row with its hop records encoded, its route, its addresses and
     * its share of the batch's graph sums. About 6 KB was measured with the benchmark's traces of 23 hop records when
     * batches also kept the hop records as objects; they no longer do, so this bound is on the safe side.
     */
    static final long BATCH_BYTES_PER_TRACE = 6 * 1024;
    /** The share of the heap one batch may take: two are in memory at once, one written and the next growing. */
    private static final int HEAP_SHARE_PER_BATCH = 6;
    /** The fewest traces a batch may grow to, whatever the heap. */
    static final int MIN_BATCH_TRACES = 1_000;
    /**
     * The most: a commit rewrites every page its rows fall on, and in a large store the route and per-vantage-point
     * rows of a batch fall on most pages of their tables, so what a batch costs grows slower than its traces. At 10M
     * hop records, batches of 60,000 traces took 5% less of the applying thread per record than batches of 30,000.
     */
    static final int MAX_BATCH_TRACES = 60_000;

    private final IngestSettings settings;
    private final CollectorStore store;
    /** The size at which the next batch stops growing until the one being written is in the store. */
    private final int maxBatchTraces = maxBatchTraces(Runtime.getRuntime().maxMemory());
    private final TraceAssembler assembler;
    /**
     * Traces closed since the last batch was handed to the applying thread, as they closed (repeats included): their
     * keys and closures only (the batch keeps what the store writes; hop records as objects were a third of the
     * collector's heap).
     */
    private final List<ClosedTrace> closedTraces = new ArrayList<>();
    /**
     * The same traces as the next batch: each is merged and summed into it as it closes, on the consuming thread,
     * so the applying thread only writes.
     */
    private TraceBatch nextBatch = new TraceBatch();
    /** Batches handed to the applying thread, oldest first; only the consuming thread touches this. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** The thread that writes batches to the store while the consuming thread reads on. */
    private final ExecutorService applier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, APPLY_THREAD_NAME);
        t.setDaemon(true);
        return t;
    });
    private final String hopsTopic;
    private final String tracesTopic;
    private final String deadLetterTopic;

    /** Per partition: the first offsets of messages of open traces in it, with how many traces start there. */
    private final Map<TopicPartition, TreeMap<Long, Integer>> pinned = new HashMap<>();
    /** Per trace not yet in the store: the first offset of its messages in each partition holding some. */
    private final Map<TraceKey, Map<TopicPartition, Long>> openOffsets = new HashMap<>();
    private final Map<TopicPartition, Long> lastCommitted = new HashMap<>();
    private Instant maxRecordTime = Instant.MIN;
    /** The latest time traces were expired at (record time, or the idle clock once caught up). */
    private Instant lastExpiry = Instant.MIN;
    /** Per partition: the latest record timestamp read from it. */
    private final Map<TopicPartition, Instant> partitionTimes = new HashMap<>();

    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong duplicateMessages = new AtomicLong();
    private final AtomicLong overflowMessages = new AtomicLong();
    private final AtomicLong partitionPauses = new AtomicLong();
    private final AtomicLong tracesApplied = new AtomicLong();
    private final AtomicLong tracesAlreadyApplied = new AtomicLong();
    private final AtomicLong tracesTimedOut = new AtomicLong();
    private final AtomicLong tracesEvicted = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The first dead letter the broker refused, if any: offsets are not committed past it. */
    private final AtomicReference<Exception> deadLetterError = new AtomicReference<>();

    private final Object lifecycle = new Object();
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private Thread thread;
    private volatile boolean running;
    private boolean closed;

    /** An ingest into {@code store}, not started; the caller keeps ownership of the store. */
    public CollectorIngest(IngestSettings settings, CollectorStore store) {
        if (settings == null) {
            throw new IllegalArgumentException("ingest settings are missing");
        }
        if (store == null) {
            throw new IllegalArgumentException("the store is missing");
        }
        this.settings = settings;
        this.store = store;
        this.assembler = new TraceAssembler(settings.assembler());
        this.hopsTopic = settings.topicPrefix() + Topics.HOPS;
        this.tracesTopic = settings.topicPrefix() + Topics.TRACES;
        this.deadLetterTopic = settings.topicPrefix() + CollectorTopics.DEAD_LETTER;
    }

    /**
     * The most traces a batch holds with a heap of {@code maxHeapBytes}: two batches are in memory at once (one being
     * written, the next growing), and together they may take a third of the heap: about 29,000 with 1 GB, the most
     * ({@value #MAX_BATCH_TRACES}) from 2.1 GB.
     */
    static int maxBatchTraces(long maxHeapBytes) {
        long fits = maxHeapBytes / HEAP_SHARE_PER_BATCH / BATCH_BYTES_PER_TRACE;
        return (int) Math.max(MIN_BATCH_TRACES, Math.min(MAX_BATCH_TRACES, fits));
    }

    /** Creates the Kafka clients and starts the consuming thread; an ingest starts once. */
    public CollectorIngest start() {
        synchronized (lifecycle) {
            if (thread != null || closed) {
                throw new IllegalStateException("the ingest has already been started");
            }
            consumer = new KafkaConsumer<>(consumerProperties());
            try {
                producer = new KafkaProducer<>(producerProperties());
            } catch (RuntimeException e) {
                consumer.close();
                throw e;
            }
            running = true;
            thread = new Thread(this::run, THREAD_NAME);
            thread.start();
            return this;
        }
    }

    /**
     * Stops the loop, commits the safe offsets (unless applying failed), and closes the consumer and producer.
     * Idempotent; the store stays open.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
            running = false;
            if (consumer != null) {
                consumer.wakeup();
            }
        }
        if (t == null) {
            applier.shutdown();
        } else {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the consuming thread is running. */
    public boolean running() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Why the loop stopped on its own (a failed store write or a Kafka error), if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    public IngestStats stats() {
        return new IngestStats(recordsRead.get(), deadLettered.get(), duplicateMessages.get(), overflowMessages.get(),
                tracesApplied.get(), tracesAlreadyApplied.get(), tracesTimedOut.get(), tracesEvicted.get(),
                partitionPauses.get());
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = new HashMap<>(settings.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-consumer");
        return p;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> p = new HashMap<>();
        settings.clientProperties().forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                p.put(k, v);
            }
        });
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-dead-letter");
        return p;
    }

    private void run() {
        boolean commitOnExit = true;
        try {
            consumer.subscribe(List.of(hopsTopic, tracesTopic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    submitClosed();
                    collectApplied(true);
                    commitSafeOffsets(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(lastCommitted::remove);
                }
            });
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handle(r);
                }
                Instant slowest = slowestWithRecordsLeft();
                keepPartitionsInStep(slowest);
                // expiry: at a clock no partition with records left is behind; with none left, at the latest record
                // time, or at the idle clock after an empty poll
                Instant now = slowest != null ? slowest
                        : records.isEmpty() ? settings.idleClock().instant() : maxRecordTime;
                if (now.isAfter(lastExpiry)) {
                    lastExpiry = now;
                }
                closeAll(assembler.expire(now));
                collectApplied(false);
                if (inFlight.isEmpty() || nextBatch.size() >= maxBatchTraces) {
                    submitClosed();
                }
                commitSafeOffsets(consumer.assignment());
            }
        } catch (WakeupException e) {
            // close() asked the loop to stop
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            commitOnExit = false;
        } finally {
            try {
                if (commitOnExit) {
                    submitClosed();
                    collectApplied(true);
                    commitOnExit();
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                stopApplier();
                producer.close();
                consumer.close();
            }
        }
    }

    /** Lets the batches in flight finish (the store must not be used once the ingest is closed) and stops. */
    private void stopApplier() {
        applier.shutdown();
        boolean interrupted = false;
        while (!applier.isTerminated()) {
            try {
                applier.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits the safe offsets as the loop ends; a wakeup still pending from {@link #close()} is consumed first. */
    private void commitOnExit() {
        try {
            commitSafeOffsets(consumer.assignment());
        } catch (WakeupException e) {
            commitSafeOffsets(consumer.assignment());
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        recordsRead.incrementAndGet();
        Instant now = Instant.ofEpochMilli(r.timestamp());
        partitionTimes.merge(new TopicPartition(r.topic(), r.partition()), now,
                (a, b) -> a.isAfter(b) ? a : b);
        if (now.isAfter(maxRecordTime)) {
            maxRecordTime = now;
        }
        // a trace opens at its record's time, but never before the time traces were last expired at: records that
        // arrive late with old timestamps (an agent's spool after an outage) get a whole timeout for the rest
        Instant opening = now.isAfter(lastExpiry) ? now : lastExpiry;
        if (r.value() == null || r.value().length == 0) {
            deadLetter(r, EMPTY_VALUE + ": the record has no value");
            return;
        }
        Acceptance a;
        TraceKey key;
        try {
            if (r.topic().equals(hopsTopic)) {
                HopMessage m = MessageJson.decode(r.value(), HopMessage.class);
                key = new TraceKey(m.agentId(), m.traceId());
                a = assembler.accept(m, opening);
            } else {
                TraceCompletionMessage m = MessageJson.decode(r.value(), TraceCompletionMessage.class);
                key = new TraceKey(m.agentId(), m.traceId());
                a = assembler.accept(m, opening);
            }
        } catch (InvalidMessageException e) {
            deadLetter(r, e.reason().name() + ": " + e.getMessage());
            return;
        }
        closeAll(a.closed());
        switch (a.disposition()) {
            case REJECTED -> deadLetter(r, REJECTED + ": " + a.reason());
            case DUPLICATE, LATE -> duplicateMessages.incrementAndGet();
            case OVERFLOW -> overflowMessages.incrementAndGet();
            // pinned even when this message closed its trace (a completion usually does): the trace is only in the
            // store once its batch is applied, and the pin is released then
            case ACCEPTED -> pin(key, new TopicPartition(r.topic(), r.partition()), r.offset());
        }
    }

    /**
     * Pauses the assigned partitions read more than the partition skew ahead, in record time, of the slowest
     * partition with records left, and resumes them once it caught up (or nothing is left to read behind them). The
     * slowest partition is never paused, so reading always goes on.
     */
    private void keepPartitionsInStep(Instant slowest) {
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            boolean ahead = slowest != null
                    && partitionTimes.getOrDefault(tp, Instant.MIN).isAfter(slowest.plus(settings.partitionSkew()));
            if (ahead && !paused.contains(tp)) {
                pause.add(tp);
            } else if (!ahead && paused.contains(tp)) {
                resume.add(tp);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
            partitionPauses.addAndGet(pause.size());
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /**
     * The oldest latest-record time of the assigned partitions with records left to read (a partition not read yet,
     * or whose lag is unknown, counts, at {@link Instant#MIN} when nothing was read from it), or null when every
     * partition is caught up.
     */
    private Instant slowestWithRecordsLeft() {
        Instant slowest = null;
        for (TopicPartition tp : consumer.assignment()) {
            java.util.OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent() && lag.getAsLong() == 0) {
                continue;
            }
            Instant t = partitionTimes.getOrDefault(tp, Instant.MIN);
            if (slowest == null || t.isBefore(slowest)) {
                slowest = t;
            }
        }
        return slowest;
    }

    /**
     * Hands the traces closed since the last call to the applying thread as one store batch, so the next records are
     * read and assembled while it is written; first waits for the batch being written, if there is one, and while
     * it is being written prepares the next one for the store.
     */
    private void submitClosed() {
        if (closedTraces.isEmpty()) {
            return;
        }
        if (!inFlight.isEmpty()) {
            nextBatch.prepareForStore();
        }
        collectApplied(true);
        List<ClosedTrace> traces = List.copyOf(closedTraces);
        TraceBatch batch = nextBatch;
        closedTraces.clear();
        nextBatch = new TraceBatch();
        inFlight.add(new InFlight(traces, applier.submit(() -> store.applyAll(batch))));
    }

    private void closeAll(List<AssembledTrace> closed) {
        for (AssembledTrace t : closed) {
            closedTraces.add(new ClosedTrace(t.key(), t.closure()));
            nextBatch.add(t);
        }
    }

    /** Takes the outcome of the applied batches, oldest first (all of them, waiting, when {@code wait}). */
    private void collectApplied(boolean wait) {
        while (!inFlight.isEmpty() && collectOne(wait)) {
            // next
        }
    }

    /**
     * Takes the outcome of the oldest batch in flight: counts it and releases its traces' offsets.
     *
     * @return false if it was still being applied and {@code wait} was false
     */
    private boolean collectOne(boolean wait) {
        InFlight head = inFlight.peek();
        if (!wait && !head.applied().isDone()) {
            return false;
        }
        int applied;
        try {
            applied = head.applied().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("applying traces failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while traces were being applied", e);
        }
        inFlight.poll();
        tracesApplied.addAndGet(applied);
        tracesAlreadyApplied.addAndGet(head.traces().size() - applied);
        for (ClosedTrace t : head.traces()) {
            if (t.closure() == Closure.TIMED_OUT) {
                tracesTimedOut.incrementAndGet();
            } else if (t.closure() == Closure.EVICTED) {
                tracesEvicted.incrementAndGet();
            }
            unpin(t.key());
        }
        return true;
    }

    /** A batch handed to the applying thread, and how many of its traces were new. */
    private record InFlight(List<ClosedTrace> traces, Future<Integer> applied) {
    }

    /** A closed trace as the ingest follows it until its batch is in the store. */
    private record ClosedTrace(TraceKey key, Closure closure) {
    }

    private void pin(TraceKey key, TopicPartition tp, long offset) {
        Map<TopicPartition, Long> offsets = openOffsets.computeIfAbsent(key, k -> new HashMap<>());
        if (offsets.putIfAbsent(tp, offset) == null) {
            pinned.computeIfAbsent(tp, k -> new TreeMap<>()).merge(offset, 1, Integer::sum);
        }
    }

    private void unpin(TraceKey key) {
        Map<TopicPartition, Long> offsets = openOffsets.remove(key);
        if (offsets == null) {
            return;
        }
        offsets.forEach((tp, offset) -> {
            TreeMap<Long, Integer> starts = pinned.get(tp);
            if (starts.merge(offset, -1, Integer::sum) == 0) {
                starts.remove(offset);
            }
            if (starts.isEmpty()) {
                pinned.remove(tp);
            }
        });
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(deadLetterTopic, null, r.key(), r.value());
        out.headers().add(CollectorTopics.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        out.headers().add(CollectorTopics.SOURCE_TOPIC_HEADER, r.topic().getBytes(StandardCharsets.UTF_8));
        out.headers().add(CollectorTopics.SOURCE_OFFSET_HEADER,
                (r.partition() + ":" + r.offset()).getBytes(StandardCharsets.UTF_8));
        producer.send(out, (metadata, e) -> {
            if (e != null) {
                deadLetterError.compareAndSet(null, e);
            }
        });
        deadLettered.incrementAndGet();
    }

    /** Commits, for each of {@code partitions}, the offset below which every message is done with. */
    private void commitSafeOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : partitions) {
            TreeMap<Long, Integer> starts = pinned.get(tp);
            long safe = starts == null ? consumer.position(tp) : starts.firstKey();
            if (!Long.valueOf(safe).equals(lastCommitted.get(tp))) {
                commit.put(tp, new OffsetAndMetadata(safe));
            }
        }
        if (commit.isEmpty()) {
            return;
        }
        producer.flush(); // dead letters below the committed offsets must be written before they are skipped
        Exception refused = deadLetterError.get();
        if (refused != null) {
            throw new IllegalStateException("writing to " + deadLetterTopic + " failed: " + refused.getMessage(),
                    refused);
        }
        consumer.commitSync(commit);
        commit.forEach((tp, o) -> lastCommitted.put(tp, o.offset()));
    }
}
