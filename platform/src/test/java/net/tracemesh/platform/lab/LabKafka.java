package net.tracemesh.platform.lab;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.tracemesh.agent.publish.TopicContents;
import net.tracemesh.message.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The tests' own view of the broker, apart from any collector: reads whole topics as raw records, publishes copies
 * of records, and tells how far a consumer group has committed on the hops and traces topics.
 */
final class LabKafka implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Bound of one full read of a topic. */
    private static final Duration READ_WAIT = Duration.ofSeconds(60);

    private final String bootstrap;
    private final String prefix;
    private final Admin admin;

    LabKafka(String bootstrap, String prefix) {
        this.bootstrap = bootstrap;
        this.prefix = prefix;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(p);
    }

    /** The hops and traces topics under the tests' prefix: what collectors consume. */
    List<String> collectorTopics() {
        return List.of(prefix + Topics.HOPS, prefix + Topics.TRACES);
    }

    String topic(String name) {
        return prefix + name;
    }

    /** Every record of {@code topic} now, partition by partition in offset order. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return TopicContents.readAll(bootstrap, topic, READ_WAIT);
    }

    /** Publishes a copy (same topic, partition, key and value) of every record; returns how many. */
    int republish(List<ConsumerRecord<byte[], byte[]>> records) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value()));
            }
            producer.flush();
        }
        return records.size();
    }

    /**
     * Per partition of the collector topics, the end offset minus the offset {@code group} committed (missing
     * commits count as 0); only partitions that lag are listed.
     */
    Map<TopicPartition, Long> lag(String group) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : collectorTopics()) {
                int partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
                for (int i = 0; i < partitions; i++) {
                    latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
                }
            }
            var ends = admin.listOffsets(latest).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> lag = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            ends.forEach((tp, info) -> {
                OffsetAndMetadata c = committed.get(tp);
                long behind = info.offset() - (c == null ? 0 : c.offset());
                if (behind > 0) {
                    lag.put(tp, behind);
                }
            });
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets of " + group, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of group " + group + ": " + e, e);
        }
    }

    /**
     * Waits until {@code group} has committed every partition of the collector topics up to its end: every record is
     * then part of a trace applied to that group's store (or was of no use). Returns the remaining lag (empty when
     * caught up).
     */
    Map<TopicPartition, Long> awaitCaughtUp(String group, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<TopicPartition, Long> lag = lag(group);
        while (!lag.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            lag = lag(group);
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close(CALL_TIMEOUT);
    }
}
