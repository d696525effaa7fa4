package net.tracemesh.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import net.tracemesh.collector.assemble.AssemblerSettings;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TestBroker;
import net.tracemesh.collector.fixture.TestGraph;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.TraceMerger;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CollectorIngest} against a real Kafka broker in this JVM: what it applies equals what the merger gives for
 * the same traces, duplicates change nothing, garbage goes to the dead-letter topic, a restart mid-stream ends with
 * the graph of an uninterrupted run, and traces that never complete are closed by timeout. One broker serves the
 * class; each test uses topics of its own prefix. Time is the records' timestamps only (a fixed idle clock).
 */
class CollectorIngestTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 3;
    /** Never moves the assembler's clock: only record timestamps do. */
    private static final Clock NO_IDLE_TIME = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    private static final TraceMerger MERGER = new TraceMerger();

    @TempDir
    Path dir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void useSharedBroker() {
        kafka = TestBroker.shared();
    }

    @Test
    void appliesEveryTraceAsTheMergerMergesIt() {
        String prefix = topics("apply.");
        List<TraceScript.Trace> traces = traces();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            traces.forEach(t -> send(producer, prefix, t.messages(), TraceScript.T0));
        }
        try (CollectorStore store = CollectorStore.openEmbedded(dir.resolve("store"));
             CollectorIngest ingest = new CollectorIngest(settings(prefix, "g"), store).start()) {
            await(ingest, () -> ingest.stats().tracesApplied() == traces.size());
            assertGraph(store, traces);
            IngestStats s = ingest.stats();
            assertThat(s.recordsRead()).isEqualTo(messageCount(traces));
            assertThat(s.deadLettered()).isZero();
            assertThat(s.tracesTimedOut()).isZero();
            assertThat(s.tracesAlreadyApplied()).isZero();
        }
    }

    @Test
    void recordsProducedTwiceChangeNothing() {
        String prefix = topics("dup.");
        List<TraceScript.Trace> traces = traces();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            traces.forEach(t -> send(producer, prefix, t.messages(), TraceScript.T0));
            traces.forEach(t -> send(producer, prefix, t.messages(), TraceScript.T0));
        }
        int total = 2 * messageCount(traces);
        try (CollectorStore store = CollectorStore.openEmbedded(dir.resolve("store"));
             CollectorIngest ingest = new CollectorIngest(settings(prefix, "g"), store).start()) {
            await(ingest, () -> ingest.stats().recordsRead() == total
                    && ingest.stats().tracesApplied() == traces.size());
            assertGraph(store, traces);
            IngestStats s = ingest.stats();
            assertThat(s.duplicateMessages()).isEqualTo(messageCount(traces));
            assertThat(s.deadLettered()).isZero();
        }
    }

    @Test
    void garbageGoesToTheDeadLetterTopicWithItsReasonAndGoodTracesStillApply() {
        String prefix = topics("garbage.");
        List<TraceScript.Trace> traces = traces();
        HopMessage hop = traces.get(0).hops().get(0);
        String good = new String(MessageJson.encode(hop), StandardCharsets.UTF_8);
        assertThat(good).contains("\"schema\":1").contains("\"ttl\":1,");
        byte[] badJson = "{not json".getBytes(StandardCharsets.UTF_8);
        byte[] schema2 = good.replace("\"schema\":1", "\"schema\":2").getBytes(StandardCharsets.UTF_8);
        byte[] ttl0 = good.replace("\"ttl\":1,", "\"ttl\":0,").getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            String topic = prefix + Topics.HOPS;
            producer.send(new ProducerRecord<>(topic, null, TraceScript.T0.toEpochMilli(), "k", badJson));
            traces.forEach(t -> send(producer, prefix, t.messages(), TraceScript.T0));
            producer.send(new ProducerRecord<>(topic, null, TraceScript.T0.toEpochMilli(), "k", schema2));
            producer.send(new ProducerRecord<>(prefix + Topics.TRACES, null, TraceScript.T0.toEpochMilli(), "k",
                    ttl0));
            producer.send(new ProducerRecord<>(topic, null, TraceScript.T0.toEpochMilli(), "k", ttl0));
        }
        try (CollectorStore store = CollectorStore.openEmbedded(dir.resolve("store"));
             CollectorIngest ingest = new CollectorIngest(settings(prefix, "g"), store).start()) {
            await(ingest, () -> ingest.stats().tracesApplied() == traces.size()
                    && ingest.stats().deadLettered() == 4);
            assertGraph(store, traces);
        }

        Map<String, String> reasonByValue = new HashMap<>();
        Map<String, String> sourceByValue = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(prefix + CollectorTopics.DEAD_LETTER, 4)) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            String source = header(r, CollectorTopics.SOURCE_TOPIC_HEADER);
            reasonByValue.put(source + " " + value, header(r, CollectorTopics.REASON_HEADER));
            sourceByValue.put(source + " " + value, header(r, CollectorTopics.SOURCE_OFFSET_HEADER));
        }
        String hops = prefix + Topics.HOPS + " ";
        String completions = prefix + Topics.TRACES + " ";
        assertThat(reasonByValue).hasSize(4);
        assertThat(reasonByValue.get(hops + "{not json")).startsWith("BAD_JSON: ");
        assertThat(reasonByValue.get(hops + new String(schema2, StandardCharsets.UTF_8)))
                .startsWith("UNSUPPORTED_SCHEMA: ").contains("schema 2");
        assertThat(reasonByValue.get(hops + new String(ttl0, StandardCharsets.UTF_8)))
                .startsWith("INVALID_FIELD: ").contains("ttl");
        // a hop on the completions topic is not a completion
        assertThat(reasonByValue.get(completions + new String(ttl0, StandardCharsets.UTF_8))).isNotBlank();
        assertThat(sourceByValue.values()).allMatch(s -> s.matches("\\d+:\\d+"));
    }

    @Test
    void aRestartMidStreamEndsWithTheGraphOfAnUninterruptedRun() {
        String prefix = topics("restart.");
        List<TraceScript.Trace> traces = traces();
        TraceScript.Trace open = traces.get(0);
        List<TraceScript.Trace> others = traces.subList(1, traces.size());
        int firstPart = open.hops().size() + messageCount(others.subList(0, 2));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // first part: the hops of a trace whose completion is still to come, and two whole traces
            send(producer, prefix, open.hops(), TraceScript.T0);
            others.subList(0, 2).forEach(t -> send(producer, prefix, t.messages(), TraceScript.T0));
        }
        Path storeDir = dir.resolve("store");
        try (CollectorStore store = CollectorStore.openEmbedded(storeDir);
             CollectorIngest ingest = new CollectorIngest(settings(prefix, "g"), store).start()) {
            await(ingest, () -> ingest.stats().recordsRead() == firstPart && ingest.stats().tracesApplied() == 2);
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, prefix, List.of(open.completion()), TraceScript.T0);
            others.subList(2, others.size()).forEach(t -> send(producer, prefix, t.messages(), TraceScript.T0));
        }
        try (CollectorStore store = CollectorStore.openEmbedded(storeDir);
             CollectorIngest ingest = new CollectorIngest(settings(prefix, "g"), store).start()) {
            await(ingest, () -> store.counts().appliedTraces() == traces.size());
            assertGraph(store, traces);
            assertThat(ingest.stats().tracesTimedOut()).isZero();
            // the hops of the trace open at the stop were not committed: they are read again
            assertThat(ingest.stats().recordsRead())
                    .isGreaterThanOrEqualTo(open.hops().size() + 1 + messageCount(others.subList(2, others.size())));
            try (CollectorStore whole = CollectorStore.openEmbedded(dir.resolve("whole"));
                 CollectorIngest uninterrupted = new CollectorIngest(settings(prefix, "whole"), whole).start()) {
                await(uninterrupted, () -> uninterrupted.stats().tracesApplied() == traces.size());
                assertThat(store.nodes()).isEqualTo(whole.nodes());
                assertThat(store.links()).isEqualTo(whole.links());
                assertThat(store.counts()).isEqualTo(whole.counts());
            }
        }
    }

    @Test
    void noOffsetOfATraceIsCommittedBeforeTheTraceIsInTheStore() throws Exception {
        String prefix = topics("pinned.");
        TraceScript.Trace trace = traces().get(0);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, prefix, trace.messages(), TraceScript.T0);
        }
        String group = prefix + "g";
        try (CollectorStore store = CollectorStore.openEmbedded(dir.resolve("store"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            CollectorIngest ingest;
            // the store's writes are synchronized on it: holding it keeps the closed trace waiting to be applied
            synchronized (store) {
                ingest = new CollectorIngest(settings(prefix, "g"), store).start();
                await(ingest, () -> ingest.stats().recordsRead() == trace.messages().size()
                        && applyingThreadWaitsForTheStore());
                // the loop commits after every poll (200 ms apart): give it several while the batch waits
                Thread.sleep(1000);
                assertThat(committed(admin, group).values())
                        .as("offsets committed while the trace (its completion closed it) is not in the store")
                        .allMatch(offset -> offset == 0);
            }
            try (ingest) {
                await(ingest, () -> ingest.stats().tracesApplied() == 1);
                await(ingest, () -> committedTotal(admin, group) == trace.messages().size());
            }
        }
    }

    private static boolean applyingThreadWaitsForTheStore() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(
                t -> t.getName().equals("tracemesh-collector-apply") && t.getState() == Thread.State.BLOCKED);
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) {
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .forEach((tp, o) -> out.put(tp, o == null ? 0 : o.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("reading the committed offsets of " + group + " failed", e.getCause());
        }
    }

    private static long committedTotal(Admin admin, String group) {
        return committed(admin, group).values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aTraceThatNeverCompletesIsClosedByTheTimeoutOfRecordTime() {
        String prefix = topics("timeout.");
        TraceScript.Trace unfinished = traces().get(0);
        // a later trace on the same path: its hops follow in the same partition, the assembler's clock with them
        TraceScript.Trace later = TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("run1-9")
                .hop("198.18.0.1").destination().build();
        Instant afterTimeout = TraceScript.T0.plus(AssemblerSettings.DEFAULT_OPEN_TIMEOUT).plusSeconds(1);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, prefix, unfinished.hops(), TraceScript.T0);
            send(producer, prefix, later.hops(), afterTimeout);
        }
        try (CollectorStore store = CollectorStore.openEmbedded(dir.resolve("store"));
             CollectorIngest ingest = new CollectorIngest(settings(prefix, "g"), store).start()) {
            await(ingest, () -> ingest.stats().tracesApplied() == 1);
            assertThat(ingest.stats().tracesTimedOut()).isEqualTo(1);
            assertThat(store.applied(unfinished.completion().agentId(), unfinished.completion().traceId())).isTrue();
            // the later trace stays open: nothing after it moves the clock on
            assertThat(store.applied(later.completion().agentId(), later.completion().traceId())).isFalse();
        }
    }

    @Test
    void aBacklogIsReadWithTheTopicsInStepSoNoTraceIsClosedBeforeItsHopsArrive() {
        // The traces topic holds one small message per trace, the hops topic several: read freely, a backlog's
        // completions run far ahead of their hops and open more traces than the assembler may hold.
        String prefix = topics("backlog.");
        List<TraceScript.Trace> traces = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            traces.add(TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra" + (i % 3),
                    "198.18.10." + (i % 200 + 1)).id("backlog-" + i).hop("198.18.0.1").hop("198.18.0.2")
                    .hop("198.18.0." + (i % 50 + 10)).hop("198.18.1." + (i % 7 + 1)).destination().build());
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < traces.size(); i++) {
                send(producer, prefix, traces.get(i).messages(), TraceScript.T0.plusMillis(i));
            }
        }
        IngestSettings base = settings(prefix, "g");
        IngestSettings settings = new IngestSettings(base.bootstrapServers(), base.topicPrefix(), base.groupId(),
                base.pollTimeout(), base.assembler().withMaxOpenTraces(100), base.idleClock(),
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10), Duration.ZERO);
        try (CollectorStore store = CollectorStore.openEmbedded(dir.resolve("store"));
             CollectorIngest ingest = new CollectorIngest(settings, store).start()) {
            await(ingest, () -> ingest.stats().tracesApplied() == traces.size());
            IngestStats s = ingest.stats();
            assertThat(s.tracesEvicted()).as("traces closed early, without their hops").isZero();
            assertThat(s.duplicateMessages()).isZero();
            assertThat(s.partitionPauses()).as("partitions read ahead were paused").isPositive();
            assertThat(store.counts().hops()).isEqualTo(traces.stream().mapToLong(t -> t.hops().size()).sum());
            assertGraph(store, traces);
        }
    }

    private static List<TraceScript.Trace> traces() {
        return List.of(
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("run1-1")
                        .hop("198.18.0.1").hop("198.18.0.2").hop("198.18.0.3").destination().build(),
                TraceScript.trace(MeasurementMethod.ICMP_PARIS, "fra1", "198.18.9.10").id("run1-2")
                        .hop("198.18.0.1").silent().hop("198.18.0.4").destination().build(),
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "ams1", "198.18.9.9").id("run2-1")
                        .hop("198.18.1.1").hop("198.18.0.2").hop("198.18.0.3").destination().build(),
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "ams1", "198.18.9.11").id("run2-2")
                        .hop("198.18.1.1").hop("198.18.0.2", "198.18.0.5", "198.18.0.2").destination().build(),
                TraceScript.trace(MeasurementMethod.ICMP_PARIS, "lon1", "198.18.9.10").id("run3-1")
                        .hop("198.18.2.1").hop("198.18.0.4").destination().build());
    }

    private static int messageCount(List<TraceScript.Trace> traces) {
        return traces.stream().mapToInt(t -> t.messages().size()).sum();
    }

    private static void assertGraph(CollectorStore store, List<TraceScript.Trace> traces) {
        TestGraph expected = new TestGraph();
        traces.forEach(t -> expected.apply(MERGER.merge(Feed.assemble(t))));
        assertThat(store.counts().appliedTraces()).isEqualTo(traces.size());
        assertThat(store.nodes()).extracting(NodeSummary::id).containsExactlyElementsOf(expected.nodeCounts.keySet());
        for (NodeSummary n : store.nodes()) {
            assertThat(n.observations()).as("%s", n.id()).isEqualTo((long) expected.nodeCounts.get(n.id()));
            assertThat(n.agents().keySet()).as("%s", n.id()).isEqualTo(expected.nodeAgents.get(n.id()));
        }
        assertThat(store.links()).extracting(LinkSummary::id).containsExactlyElementsOf(expected.linkCounts.keySet());
        for (LinkSummary l : store.links()) {
            assertThat(l.observations()).as("%s", l.id()).isEqualTo((long) expected.linkCounts.get(l.id()));
            assertThat(l.agents().keySet()).as("%s", l.id()).isEqualTo(expected.linkAgents.get(l.id()));
        }
    }

    private static String topics(String prefix) {
        return TestBroker.topics(prefix, PARTITIONS);
    }

    private static IngestSettings settings(String prefix, String group) {
        return IngestSettings.defaults(kafka.bootstrapServers()).withTopicPrefix(prefix).withGroupId(prefix + group)
                .withIdleClock(NO_IDLE_TIME).withPollTimeout(Duration.ofMillis(200));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return TestBroker.producer();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String prefix, List<?> messages, Instant at) {
        TestBroker.send(producer, prefix, messages, at);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(WAIT);
            while (out.size() < expected && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertThat(out).as("records of %s", topic).hasSize(expected);
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        assertThat(r.headers().lastHeader(name)).as("header %s", name).isNotNull();
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Waits until {@code done}, failing when the ingest fails or goes {@link #WAIT} without reading or applying. */
    private static void await(CollectorIngest ingest, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(WAIT);
        IngestStats seen = ingest.stats();
        while (!done.getAsBoolean()) {
            if (ingest.failure().isPresent()) {
                throw new AssertionError("the ingest failed", ingest.failure().get());
            }
            IngestStats now = ingest.stats();
            if (!now.equals(seen)) {
                // still moving (a slow disk makes a long backlog slow, not wrong)
                seen = now;
                deadline = Instant.now().plus(WAIT);
            }
            if (Instant.now().isAfter(deadline)) {
                fail("no progress within " + WAIT + ": " + now);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
