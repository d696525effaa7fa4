package net.tracemesh.web.agents;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import net.tracemesh.web.config.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one Kafka topic from the beginning, on a thread of its own, and hands what it reads to
 * one Vert.x context in order. It uses no consumer group and commits nothing: each start reads the whole topic
 * again. {@link #ready()} completes once the end offsets seen at assignment have been read and handed over (at
 * once when the topic does not exist yet; it is looked for again every few seconds and read from the beginning
 * when it appears).
 *
 * <p>Used for the heartbeats (latest status per agent) and the compacted measurement definitions.
 */
public final class TopicFollower {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(3);
    /** Batches handed to the context and not yet handled: the reader waits beyond this many. */
    private static final int MAX_BATCHES_QUEUED = 4;

    /**
     * What one poll read.
     *
     * @param records   the records, in offset order within each partition
     * @param positions every assigned partition's next offset to read after these records
     */
    public record Batch(List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> positions) {
        public Batch {
            records = List.copyOf(records);
            positions = Map.copyOf(positions);
        }
    }

    private final Context context;
    private final String topic;
    private final Map<String, Object> config;
    private final Handler<Batch> onBatch;
    private final Promise<Void> ready = Promise.promise();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Semaphore queued = new Semaphore(MAX_BATCHES_QUEUED);
    private final Vertx vertx;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean caughtUp;
    private Thread thread;

    /**
     * @param context  where {@code onBatch} runs
     * @param topic    full topic name
     * @param clientId Kafka client id
     * @param onBatch  called on {@code context} for every poll that read records or moved a position
     */
    public TopicFollower(Vertx vertx, Context context, KafkaSettings kafka, String topic, String clientId,
                         Handler<Batch> onBatch) {
        this.vertx = vertx;
        this.context = context;
        this.topic = topic;
        this.onBatch = onBatch;
        Map<String, Object> c = new HashMap<>(kafka.properties());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.config = c;
    }

    /** Starts the reading thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, "tracemesh-web-follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes once the topic has been read up to its end offsets at start, on the follower's context. */
    public Future<Void> ready() {
        return ready.future();
    }

    /** Whether {@link #ready()} has completed. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Stops the thread and closes the consumer; completes when the thread has ended. */
    public Future<Void> close() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        stopping.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (t == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            t.join(METADATA_TIMEOUT.toMillis() * 2);
            return null;
        }, false);
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            if (stopped()) {
                return;
            }
            follow(c);
        } catch (RuntimeException e) {
            LOG.error("reading {} stopped: {}", topic, e.toString(), e);
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        Map<TopicPartition, Long> targets = null;
        Map<Integer, Long> delivered = Map.of();
        boolean warned = false;
        while (!stopped()) {
            try {
                if (targets == null) {
                    List<PartitionInfo> infos = c.partitionsFor(topic, METADATA_TIMEOUT);
                    if (infos == null || infos.isEmpty()) {
                        if (!warned) {
                            LOG.warn("topic {} does not exist yet; looking again every {} s", topic,
                                    RETRY.toSeconds());
                            warned = true;
                        }
                        markReady();
                        pause();
                        continue;
                    }
                    List<TopicPartition> partitions = new ArrayList<>();
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                    c.assign(partitions);
                    c.seekToBeginning(partitions);
                    targets = c.endOffsets(partitions, METADATA_TIMEOUT);
                    LOG.info("reading {} ({} partitions) from the beginning", topic, partitions.size());
                }
                ConsumerRecords<String, byte[]> polled = c.poll(POLL_TIMEOUT);
                Map<Integer, Long> positions = new HashMap<>();
                for (TopicPartition tp : c.assignment()) {
                    positions.put(tp.partition(), c.position(tp, METADATA_TIMEOUT));
                }
                if (!polled.isEmpty() || !positions.equals(delivered)) {
                    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(polled.count());
                    polled.forEach(records::add);
                    deliver(new Batch(records, positions));
                    delivered = positions;
                }
                if (!caughtUp && reached(targets, positions)) {
                    markReady();
                }
            } catch (WakeupException e) {
                // close() woke the consumer up; the loop ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("reading {}: {}; retrying in {} s", topic, e.toString(), RETRY.toSeconds());
                try {
                    pause();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static boolean reached(Map<TopicPartition, Long> targets, Map<Integer, Long> positions) {
        for (Map.Entry<TopicPartition, Long> e : targets.entrySet()) {
            Long at = positions.get(e.getKey().partition());
            if (at == null || at < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void pause() throws InterruptedException {
        stopping.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Hands a batch to the context, waiting while too many are queued there. */
    private void deliver(Batch batch) throws InterruptedException {
        while (!queued.tryAcquire(POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            if (stopped()) {
                return;
            }
        }
        context.runOnContext(v -> {
            try {
                onBatch.handle(batch);
            } catch (RuntimeException e) {
                LOG.error("handling records of {} failed", topic, e);
            } finally {
                queued.release();
            }
        });
    }

    /** Completes {@link #ready()} on the context, after every batch handed over before. */
    private void markReady() {
        if (caughtUp) {
            return;
        }
        context.runOnContext(v -> {
            caughtUp = true;
            ready.tryComplete();
        });
    }
}
