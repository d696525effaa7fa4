package net.tracemesh.collector.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes synthetic traces to the platform's {@code hops} and {@code traces} topics with one plain
 * {@link KafkaProducer} tuned for bulk (large batches, lz4, leader acknowledgement): each hop message, then the
 * completion, encoded with {@link MessageJson} and keyed by {@link Topics#pathKey}. Not thread-safe.
 */
final class StreamProducer implements AutoCloseable {
    private static final int BATCH_BYTES = 512 * 1024;
    private static final int LINGER_MS = 10;
    private static final long BUFFER_BYTES = 256L * 1024 * 1024;
    private static final String COMPRESSION = "lz4";

    private final KafkaProducer<byte[], byte[]> producer;
    private final String hopsTopic;
    private final String tracesTopic;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sentRecords;
    private long sentBytes;

    StreamProducer(String bootstrap, String topicPrefix) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_BYTES);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "collector-bench-producer");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(p);
        hopsTopic = topicPrefix + Topics.HOPS;
        tracesTopic = topicPrefix + Topics.TRACES;
    }

    /**
     * Sends one trace's messages. When {@code completionTimestamp} is not null it is called with the broker's
     * timestamp of the completion record once the broker acknowledged it.
     */
    void send(SyntheticTrace trace, LongConsumer completionTimestamp) {
        byte[] key = trace.key().getBytes(StandardCharsets.UTF_8);
        for (HopMessage hop : trace.hops()) {
            send(hopsTopic, key, MessageJson.encode(hop), null);
        }
        send(tracesTopic, key, MessageJson.encode(trace.completion()), completionTimestamp);
    }

    private void send(String topic, byte[] key, byte[] value, LongConsumer timestamp) {
        checkFailure();
        sentRecords++;
        sentBytes += value.length;
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
                return;
            }
            acknowledged.incrementAndGet();
            if (timestamp != null) {
                timestamp.accept(metadata.timestamp());
            }
        });
    }

    /** Waits until the broker acknowledged everything sent. */
    void flush() {
        producer.flush();
        checkFailure();
    }

    long sentRecords() {
        return sentRecords;
    }

    /** Uncompressed JSON bytes sent. */
    long sentBytes() {
        return sentBytes;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    private void checkFailure() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("the broker refused a record: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
