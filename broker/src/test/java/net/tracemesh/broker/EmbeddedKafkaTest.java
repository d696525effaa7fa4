package net.tracemesh.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One real broker shared by all tests of this class (startup is the slow part). */
class EmbeddedKafkaTest {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    /** The compaction test polls for the cleaner; this bounds the wait, it asserts no duration. */
    private static final Duration COMPACTION_TIMEOUT = Duration.ofSeconds(45);

    @TempDir
    static Path tmp;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder()
                .dataDir(tmp.resolve("broker"))
                // the cleaner looks for work every 15 s by default; the compaction test should not wait that long
                .property("log.cleaner.backoff.ms", "200")
                .build()
                .start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void startedBrokerReportsItsAddress() {
        assertThat(kafka.running()).isTrue();
        assertThat(kafka.port()).isPositive();
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
        assertThat(kafka.dataDir()).isEqualTo(tmp.resolve("broker").toAbsolutePath());
        assertThat(kafka.dataDir().resolve(EmbeddedKafka.LOG_DIR_NAME).resolve("meta.properties")).isRegularFile();
        assertThat(kafka.start()).as("start() on a running broker is a no-op").isSameAs(kafka);
    }

    @Test
    void keyedRecordsArriveInOrderPerPartition() throws Exception {
        String topic = "test.keyed";
        kafka.ensureTopic(topic, 3, Map.of());
        int keys = 6;
        int perKey = 10;
        Map<String, Integer> partitionOfKey = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers(), Map.of())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int seq = 0; seq < perKey; seq++) {
                for (int k = 0; k < keys; k++) {
                    sent.add(producer.send(new ProducerRecord<>(topic, "key-" + k, "key-" + k + "#" + seq)));
                }
            }
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata md = sent.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                partitionOfKey.put("key-" + (i % keys), md.partition());
            }
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = TestClients.consumer(kafka.bootstrapServers(), "test-keyed")) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TestClients.READ_TIMEOUT.toNanos();
            while (received.size() < keys * perKey && System.nanoTime() - deadline < 0) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(received).hasSize(keys * perKey);
        Map<String, List<ConsumerRecord<String, String>>> byKey = received.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, LinkedHashMap::new, Collectors.toList()));
        assertThat(byKey).hasSize(keys);
        byKey.forEach((key, records) -> {
            assertThat(records).extracting(ConsumerRecord::partition).as("partitions of " + key)
                    .containsOnly(partitionOfKey.get(key));
            List<String> expected = new ArrayList<>();
            for (int seq = 0; seq < perKey; seq++) {
                expected.add(key + "#" + seq);
            }
            assertThat(records).extracting(ConsumerRecord::value).as("values of " + key)
                    .containsExactlyElementsOf(expected);
            assertThat(records).extracting(ConsumerRecord::offset).isSorted();
        });
    }

    @Test
    void ensureTopicIsIdempotentAndLeavesAnExistingTopicAlone() throws Exception {
        String topic = "test.idempotent";
        kafka.ensureTopic(topic, 2, Map.of("retention.ms", "3600000"));
        kafka.ensureTopic(topic, 2, Map.of("retention.ms", "3600000"));
        kafka.ensureTopic(topic, 5, Map.of("retention.ms", "60000"));

        try (Admin admin = TestClients.admin(kafka.bootstrapServers())) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            assertThat(description.partitions()).hasSize(2);
            assertThat(topicConfig(admin, topic).get("retention.ms").value()).isEqualTo("3600000");
        }
    }

    @Test
    void ensureTopicRefusesBadArguments() {
        assertThatThrownBy(() -> kafka.ensureTopic("bad topic name", 1, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad topic name");
        assertThatThrownBy(() -> kafka.ensureTopic("test.zero", 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 partition");
        assertThatThrownBy(() -> kafka.ensureTopic("test.badconfig", 1, Map.of("cleanup.policy", "sometimes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test.badconfig");
    }

    /**
     * Writes a1, b1, a2, a tombstone for b and c1, then keeps appending filler records so that old
     * segments roll (segment.ms=100) and become cleanable, until the cleaner has compacted them.
     */
    @Test
    void compactedTopicKeepsTheLatestValuePerKeyAndTombstonesDelete() throws Exception {
        String topic = "test.compacted";
        kafka.ensureTopic(topic, 1, Map.of(
                "cleanup.policy", "compact",
                "segment.ms", "100",
                "min.cleanable.dirty.ratio", "0.01",
                "delete.retention.ms", "100"));
        try (Admin admin = TestClients.admin(kafka.bootstrapServers())) {
            assertThat(topicConfig(admin, topic).get("cleanup.policy").value()).isEqualTo("compact");
        }

        List<ConsumerRecord<String, String>> log;
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers(), Map.of())) {
            send(producer, topic, "a", "a1");
            send(producer, topic, "b", "b1");
            send(producer, topic, "a", "a2");
            send(producer, topic, "b", null);
            send(producer, topic, "c", "c1");
            long deadline = System.nanoTime() + COMPACTION_TIMEOUT.toNanos();
            int filler = 0;
            do {
                Thread.sleep(150);
                send(producer, topic, "filler", Integer.toString(filler++));
                log = TestClients.readAll(kafka.bootstrapServers(), topic);
            } while (!compacted(log) && System.nanoTime() - deadline < 0);
        }

        assertThat(compacted(log)).as("a1 and b1 were compacted away; log is %s", log).isTrue();
        Map<String, String> latest = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : log) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        }
        latest.remove("filler");
        assertThat(latest).containsExactly(Map.entry("a", "a2"), Map.entry("c", "c1"));
        assertThat(log).filteredOn(r -> r.key().equals("b")).extracting(ConsumerRecord::value)
                .as("b keeps at most its tombstone (which the cleaner may also have removed)")
                .allSatisfy(v -> assertThat(v).isNull());
    }

    /**
     * Two producers, both created before the stop, send while the broker is down. With the client
     * default {@code metadata.recovery.strategy=rebootstrap} a producer forgets the topic once the
     * broker is unreachable, so its send() blocks (up to max.block.ms) until the broker is back; with
     * {@code none} it keeps its metadata and send() queues at once. Both must deliver exactly once.
     */
    @Test
    void restartKeepsPortAndRecordsAndRetryingProducersDeliverWithoutDuplicates() throws Exception {
        String topic = "test.restart";
        kafka.ensureTopic(topic, 1, Map.of());
        int port = kafka.port();
        String bootstrap = kafka.bootstrapServers();
        String clusterId = TestClients.clusterId(bootstrap);
        Map<String, Object> patient = Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 150_000);
        Map<String, Object> keepsMetadata = new HashMap<>(patient);
        keepsMetadata.put(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");

        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (KafkaProducer<String, String> blocking = TestClients.producer(bootstrap, patient);
             KafkaProducer<String, String> queueing = TestClients.producer(bootstrap, keepsMetadata)) {
            for (int i = 0; i < 10; i++) {
                send(i % 2 == 0 ? blocking : queueing, topic, "k", "before-" + i);
            }

            kafka.stop();
            assertThat(kafka.running()).isFalse();
            kafka.stop();
            assertThatThrownBy(() -> kafka.ensureTopic("test.while-stopped", 1, Map.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");

            List<Future<RecordMetadata>> queued = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                queued.add(queueing.send(new ProducerRecord<>(topic, "k", "queued-" + i)));
            }
            Future<List<Future<RecordMetadata>>> blocked = sender.submit(() -> {
                List<Future<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    futures.add(blocking.send(new ProducerRecord<>(topic, "k", "blocked-" + i)));
                }
                return futures;
            });

            kafka.start();
            assertThat(kafka.running()).isTrue();
            assertThat(kafka.port()).isEqualTo(port);
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            List<Future<RecordMetadata>> during = new ArrayList<>(queued);
            during.addAll(blocked.get(160, TimeUnit.SECONDS));
            for (Future<RecordMetadata> f : during) {
                assertThat(f.get(160, TimeUnit.SECONDS).topic()).isEqualTo(topic);
            }
        } finally {
            sender.shutdownNow();
        }

        assertThat(TestClients.clusterId(bootstrap)).as("same cluster, not reformatted").isEqualTo(clusterId);
        List<String> values = TestClients.readAll(bootstrap, topic).stream().map(ConsumerRecord::value).toList();
        assertThat(values).hasSize(30).doesNotHaveDuplicates();
        assertThat(values.subList(0, 10)).containsExactlyElementsOf(numbered("before-"));
        assertThat(values).filteredOn(v -> v.startsWith("queued-")).containsExactlyElementsOf(numbered("queued-"));
        assertThat(values).filteredOn(v -> v.startsWith("blocked-")).containsExactlyElementsOf(numbered("blocked-"));
    }

    private static List<String> numbered(String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            values.add(prefix + i);
        }
        return values;
    }

    private static boolean compacted(List<ConsumerRecord<String, String>> log) {
        return log.stream().noneMatch(r -> "a1".equals(r.value()) || "b1".equals(r.value()));
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String key, String value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Config topicConfig(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    }
}
