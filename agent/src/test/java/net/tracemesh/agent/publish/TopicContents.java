package net.tracemesh.agent.publish;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.tracemesh.message.AgentErrorMessage;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.InvalidMessageException;
import net.tracemesh.message.MessageJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a topic holds, read from the beginning with a plain consumer (partitions assigned, no group, nothing
 * committed), in partition order then offset order.
 */
public final class TopicContents {
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private TopicContents() {
    }

    /** One record: its key, partition and value as sent. */
    record Received(String key, int partition, long offset, byte[] value) {
        /** The record id of the hop or error message in the value. */
        String recordId() {
            Object m = message();
            return m instanceof HopMessage h ? h.recordId() : ((AgentErrorMessage) m).recordId();
        }

        /** The value decoded as the message type its JSON names. */
        Object message() {
            try {
                return MessageJson.decode(value, HopMessage.class);
            } catch (InvalidMessageException notAHop) {
                return MessageJson.decode(value, AgentErrorMessage.class);
            }
        }
    }

    /**
     * Polls {@code topic} until at least {@code expected} records were read and every partition is read up to its
     * end offset, or fails after {@code wait}.
     */
    static List<Received> read(String bootstrap, String topic, int expected, Duration wait) {
        List<Received> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : poll(bootstrap, topic, new StringDeserializer(), expected, wait)) {
            out.add(new Received(r.key(), r.partition(), r.offset(), r.value()));
        }
        return out;
    }

    /**
     * Every record {@code topic} holds now (up to the end offsets it has when the read starts), keys and values as
     * raw bytes; fails if that takes longer than {@code wait}.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, Duration wait) {
        return poll(bootstrap, topic, new ByteArrayDeserializer(), 0, wait);
    }

    private static <K> List<ConsumerRecord<K, byte[]>> poll(String bootstrap, String topic, Deserializer<K> keys,
                                                           int expected, Duration wait) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<K, byte[]> consumer = new KafkaConsumer<>(p, keys, new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, METADATA_WAIT)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<K, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + wait.toNanos();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_WAIT);
            while (out.size() < expected || !caughtUp(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    fail("read " + out.size() + " records of " + topic + ", expected at least " + expected
                            + " (end offsets " + end + ") within " + wait);
                }
                consumer.poll(POLL).forEach(out::add);
                if (out.size() < expected && caughtUp(consumer, end)) {
                    end = consumer.endOffsets(partitions, METADATA_WAIT);
                }
            }
            return out;
        }
    }

    /** Record ids per key, in the order the topic holds them (a key lives in one partition). */
    static Map<String, List<String>> idsByKey(List<Received> records) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (Received r : records) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.recordId());
        }
        return byKey;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
