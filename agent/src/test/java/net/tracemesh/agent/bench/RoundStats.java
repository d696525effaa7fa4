package net.tracemesh.agent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import net.tracemesh.message.AgentErrorMessage;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Waits for one round of a measurement to be published, then reads what the agent published for it and
 * prints {@code key=value} lines for the daemon-pipeline benchmark:
 *
 * <pre>
 * java -cp agent.jar:test-classes net.tracemesh.agent.bench.RoundStats --bootstrap 127.0.0.1:9092
 *     --measurement bench-bulk --targets 32766 --traces-out traces.jsonl [--prefix tracemesh.]
 *     [--timeout-s 900] [--idle-s 20] [--warmup-measurement ID --expect-traces N]
 * </pre>
 *
 * <p>Waiting only watches the topics' end offsets (cheap, so the agent being measured keeps the CPU): it ends
 * once the traces topic holds {@code --targets} completions and the hops topic has stopped growing, or once
 * nothing new arrived for {@code --idle-s} after the round began, or at {@code --timeout-s}. The topics are
 * expected to be fresh (this round's messages only, plus those of an earlier warm-up round of
 * {@code --warmup-measurement}, counted in {@code --expect-traces}); other measurements are ignored.
 *
 * <p>Every trace is written to {@code --traces-out} in the shape of the one-shot CLI's JSON output (type,
 * dst, stop_reason, probes_sent, hops with ttl/addr/icmp_type), rebuilt from its hop messages, so the lab's
 * scoring script can check the paths.
 */
public final class RoundStats {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RoundStats() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse("round-stats", args, Set.of("--bootstrap", "--prefix", "--measurement",
                "--targets", "--traces-out", "--timeout-s", "--idle-s", "--warmup-measurement", "--expect-traces"));
        String bootstrap = a.required("--bootstrap");
        String prefix = a.text("--prefix", Topics.DEFAULT_PREFIX);
        String measurement = a.required("--measurement");
        long targets = a.number("--targets", 0, 1, Integer.MAX_VALUE);
        Path tracesOut = Path.of(a.required("--traces-out"));
        Duration timeout = Duration.ofSeconds(a.number("--timeout-s", 900, 1, 86_400));
        Duration idle = Duration.ofSeconds(a.number("--idle-s", 20, 1, 3_600));
        long expectTraces = a.number("--expect-traces", targets, targets, Integer.MAX_VALUE);
        String warmupMeasurement = a.text("--warmup-measurement", null);

        String hopsTopic = prefix + Topics.HOPS;
        String tracesTopic = prefix + Topics.TRACES;
        String errorsTopic = prefix + Topics.ERRORS;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> hops = partitions(consumer, hopsTopic);
            List<TopicPartition> traces = partitions(consumer, tracesTopic);
            String waited = awaitRound(consumer, hops, traces, expectTraces, timeout, idle);
            System.err.println("round-stats: stopped waiting: " + waited);
            System.out.println("wait_result=" + waited.replace(' ', '_'));

            Map<String, Trace> byId = new LinkedHashMap<>();
            HopTotals hopTotals = new HopTotals();
            readAll(consumer, hops, r -> {
                HopMessage m = MessageJson.decode(r.value(), HopMessage.class);
                if (m.measurementId().equals(measurement)) {
                    hopTotals.add(r, m);
                    byId.computeIfAbsent(m.traceId(), id -> new Trace()).hops.add(m);
                }
            });
            TraceTotals traceTotals = new TraceTotals();
            TraceTotals warmupTotals = new TraceTotals();
            readAll(consumer, traces, r -> {
                TraceCompletionMessage m = MessageJson.decode(r.value(), TraceCompletionMessage.class);
                if (m.measurementId().equals(warmupMeasurement)) {
                    warmupTotals.add(r, m);
                }
                if (m.measurementId().equals(measurement)) {
                    traceTotals.add(r, m);
                    Trace t = byId.computeIfAbsent(m.traceId(), id -> new Trace());
                    if (t.end != null) {
                        traceTotals.duplicates++;
                    }
                    t.end = m;
                }
            });
            long[] failed = new long[1];
            List<TopicPartition> errors = partitions(consumer, errorsTopic);
            readAll(consumer, errors, r -> {
                AgentErrorMessage m = MessageJson.decode(r.value(), AgentErrorMessage.class);
                if (measurement.equals(m.measurementId())) {
                    failed[0]++;
                }
            });
            long orphanHopTraces = byId.values().stream().filter(t -> t.end == null).count();
            writeTraces(tracesOut, byId.values());

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("hop_messages", hopTotals.count);
            out.put("hop_duplicates", hopTotals.count - hopTotals.recordIds.size());
            out.put("hop_timestamp_type", hopTotals.timestampType);
            out.put("hop_first_ms", hopTotals.firstMs);
            out.put("hop_last_ms", hopTotals.lastMs);
            out.put("traces", traceTotals.count);
            out.put("trace_duplicates", traceTotals.duplicates);
            out.put("traces_failed", failed[0]);
            out.put("traces_without_completion", orphanHopTraces);
            out.put("probes_sent", traceTotals.probes);
            out.put("hop_count_declared", traceTotals.hopCount);
            out.put("round_start_ms", traceTotals.roundStart == null ? "" : traceTotals.roundStart.toEpochMilli());
            out.put("last_trace_end_ms", traceTotals.lastEnd == null ? "" : traceTotals.lastEnd.toEpochMilli());
            out.put("trace_last_ms", traceTotals.lastMs);
            out.put("published_last_ms", Math.max(hopTotals.lastMs, traceTotals.lastMs));
            if (warmupMeasurement != null) {
                out.put("warmup_traces", warmupTotals.count);
                out.put("warmup_probes_sent", warmupTotals.probes);
                out.put("warmup_round_start_ms", warmupTotals.roundStart == null ? ""
                        : warmupTotals.roundStart.toEpochMilli());
                out.put("warmup_last_ms", warmupTotals.lastMs);
            }
            out.forEach((k, v) -> System.out.println(k + "=" + v));
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tracemesh-bench-round-stats");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, CALL_TIMEOUT)) {
            out.add(new TopicPartition(topic, info.partition()));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return out;
    }

    private static long total(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        return consumer.endOffsets(partitions, CALL_TIMEOUT).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Watches end offsets until the round looks published; says why it stopped waiting. */
    private static String awaitRound(KafkaConsumer<?, ?> consumer, List<TopicPartition> hops,
                                     List<TopicPartition> traces, long targets, Duration timeout, Duration idle)
            throws InterruptedException {
        long start = System.nanoTime();
        long lastChange = start;
        long lastHops = -1;
        long lastTraces = -1;
        while (true) {
            long h = total(consumer, hops);
            long t = total(consumer, traces);
            long now = System.nanoTime();
            if (h != lastHops || t != lastTraces) {
                lastChange = now;
                lastHops = h;
                lastTraces = t;
            }
            boolean begun = h + t > 0;
            if (t >= targets && now - lastChange >= SETTLE.toNanos()) {
                return "complete";
            }
            if (begun && now - lastChange >= idle.toNanos()) {
                return "idle " + idle.toSeconds() + " s with " + t + " of " + targets + " completions";
            }
            if (now - start >= timeout.toNanos()) {
                return "timeout after " + timeout.toSeconds() + " s with " + t + " of " + targets + " completions";
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Feeds every record of the partitions, from the beginning up to their end offsets now. */
    private static void readAll(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CALL_TIMEOUT);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!caughtUp(consumer, end)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("reading " + partitions + " took more than 5 minutes");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) && r.value() != null) {
                    each.accept(r);
                }
            }
        }
        consumer.unsubscribe();
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** One trace per line, in the CLI's JSON shape (the fields the lab's scoring reads). */
    private static void writeTraces(Path file, Iterable<Trace> traces) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Trace t : traces) {
                if (t.end == null) {
                    continue;
                }
                Map<String, Object> obj = new LinkedHashMap<>();
                obj.put("type", "trace");
                obj.put("dst", t.end.dst());
                obj.put("stop_reason", t.end.stopReason().wireName());
                obj.put("probes_sent", t.end.probesSent());
                obj.put("hop_count", t.end.hopCount());
                List<Map<String, Object>> hops = new ArrayList<>();
                t.hops.sort(Comparator.comparingInt((HopMessage m) -> m.hop().ttl())
                        .thenComparingInt(m -> m.hop().probe()));
                for (HopMessage m : t.hops) {
                    Map<String, Object> hop = new LinkedHashMap<>();
                    hop.put("ttl", m.hop().ttl());
                    hop.put("addr", m.hop().addr());
                    hop.put("icmp_type", m.hop().icmpType());
                    hops.add(hop);
                }
                obj.put("hops", hops);
                w.write(JSON.writeValueAsString(obj));
                w.newLine();
            }
        }
    }

    /** A trace's hop messages and its completion (null until seen). */
    private static final class Trace {
        final List<HopMessage> hops = new ArrayList<>(4);
        TraceCompletionMessage end;
    }

    private static final class HopTotals {
        final Set<String> recordIds = new HashSet<>();
        long count;
        long firstMs = Long.MAX_VALUE;
        long lastMs = Long.MIN_VALUE;
        String timestampType = "";

        void add(ConsumerRecord<?, ?> r, HopMessage m) {
            count++;
            recordIds.add(m.recordId());
            firstMs = Math.min(firstMs, r.timestamp());
            lastMs = Math.max(lastMs, r.timestamp());
            timestampType = r.timestampType().name;
        }
    }

    private static final class TraceTotals {
        long count;
        long duplicates;
        long probes;
        long hopCount;
        long lastMs = Long.MIN_VALUE;
        Instant roundStart;
        Instant lastEnd;

        void add(ConsumerRecord<?, ?> r, TraceCompletionMessage m) {
            count++;
            probes += m.probesSent();
            hopCount += m.hopCount();
            lastMs = Math.max(lastMs, r.timestamp());
            if (roundStart == null || m.roundStart().isBefore(roundStart)) {
                roundStart = m.roundStart();
            }
            if (lastEnd == null || m.end().isAfter(lastEnd)) {
                lastEnd = m.end();
            }
        }
    }
}
