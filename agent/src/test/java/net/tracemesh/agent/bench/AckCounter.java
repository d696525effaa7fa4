package net.tracemesh.agent.bench;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A Kafka producer interceptor that counts acknowledgements as the producer receives them, so the publisher
 * benchmark sees acks at once (the publisher's own counters are refreshed twice a second). Kafka creates it
 * from the {@code interceptor.classes} client property; the counters are JVM-wide, for one producer.
 */
public final class AckCounter implements ProducerInterceptor<byte[], byte[]> {
    private static final AtomicLong ACKED = new AtomicLong();
    private static final AtomicLong FAILED = new AtomicLong();
    private static volatile long lastAckNanos;

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            lastAckNanos = System.nanoTime();
            ACKED.incrementAndGet();
        } else {
            FAILED.incrementAndGet();
        }
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    /** Records the broker acknowledged so far. */
    static long acked() {
        return ACKED.get();
    }

    /** Sends that failed (the publisher retries them from its spool). */
    static long failed() {
        return FAILED.get();
    }

    /** {@link System#nanoTime()} of the latest acknowledgement. */
    static long lastAckNanos() {
        return lastAckNanos;
    }
}
