package net.tracemesh.agent.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import net.tracemesh.message.AgentMessage;
import net.tracemesh.message.MessageJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads whole topics from the beginning with a plain Kafka consumer (no group, nothing committed). */
final class TopicReader {
    private TopicReader() {
    }

    /** A message with its Kafka coordinates. */
    record Received<T>(String key, int partition, long offset, long timestamp, T message) {
    }

    /** Every record of {@code topic} now, decoded as {@code type}. */
    static <T extends AgentMessage> List<Received<T>> readAll(String bootstrap, String topic, Class<T> type) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<Received<T>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!caughtUp(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    T message = r.value() == null ? null : MessageJson.decode(r.value(), type);
                    out.add(new Received<>(r.key(), r.partition(), r.offset(), r.timestamp(), message));
                }
            }
            return out;
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, java.util.Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Reads {@code topic} again and again until {@code done} holds for what it holds, or the wait is over. */
    static <T extends AgentMessage> List<Received<T>> awaitAll(String bootstrap, String topic, Class<T> type,
                                          Predicate<List<Received<T>>> done, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Received<T>> all = readAll(bootstrap, topic, type);
        while (!done.test(all) && System.nanoTime() < deadline) {
            sleep(500);
            all = readAll(bootstrap, topic, type);
        }
        return all;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
