package net.tracemesh.agent.bench;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import net.tracemesh.agent.publish.Outgoing;
import net.tracemesh.agent.publish.PublisherSettings;
import net.tracemesh.agent.publish.PublisherStats;
import net.tracemesh.agent.publish.PublisherVerticle;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.record.HopRecord;
import net.tracemesh.wire.Ipv4Address;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Measures how many hop messages per second the agent's real {@link PublisherVerticle} gets acknowledged by
 * a broker, without the probing engine in front of it:
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx128m -cp agent.jar:test-classes net.tracemesh.agent.bench.PublisherThroughput
 *     [--bootstrap 127.0.0.1:9092] [--records 1000000] [--warmup 200000] [--memory-records 20000]
 *     [--window 2000] [--destinations 32766] [--prefix tmbench-capacity.] [--work-dir DIR]
 *     [--mode publisher|raw-producer|encode]
 * </pre>
 *
 * <p>The publisher is deployed as a worker verticle, as in the agent, with the agent's Vert.x pool sizes. The
 * tool makes realistic hop messages (three hops per trace, unique record ids, keys over {@code --destinations}
 * destinations) on its own thread and hands them to {@link PublisherVerticle#publish} as fast as the publisher
 * takes them: it waits whenever {@code --window} messages are unacknowledged by Kafka (counted by
 * {@link AckCounter}, a producer interceptor), so the publisher's intake queue stays bounded. The publisher's
 * own window ({@code --memory-records}) also counts messages Kafka acknowledged whose acknowledgement its
 * worker has not handled yet: with a deep tool window and a busy worker it fills, and the publisher spools;
 * the tool reports whether it did. A warm-up phase runs first.
 *
 * <p>Without {@code --bootstrap} it starts an {@link EmbeddedKafka} in this JVM (the RSS figure then includes
 * the broker). Prints {@code key=value} lines: acknowledged records per second (first hand-over to last
 * acknowledgement of the measured phase), CPU of this JVM and of the generating thread, peak RSS, and the
 * publisher's final counters.
 *
 * <p>For finding where the time goes, two other modes take the same messages: {@code raw-producer} encodes
 * them on the calling thread and hands them to a plain {@link KafkaProducer} with the publisher's producer
 * settings (no Vert.x, no spool: the ceiling of this design), and {@code encode} only encodes them (JSON
 * cost alone; no broker needed).
 */
public final class PublisherThroughput {
    private static final String AGENT_ID = "bench-agent";
    private static final String MEASUREMENT_ID = "bench-capacity";
    private static final String SRC = "198.18.1.1";
    private static final String[] ROUTERS = {"198.18.1.2", "198.18.2.2"};
    private static final int DESTINATION_BASE = Ipv4Address.parse("198.19.0.0");
    private static final long SAMPLE_MILLIS = 100;
    private static final long DEFAULT_WINDOW = 2_000;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REPORT = Duration.ofSeconds(1);

    private final String nonce = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final Instant roundStart = Instant.now();
    private final String[] destinations;
    private final String[] keys;
    private final Consumer<Outgoing> sink;
    private final boolean acked;
    private final long window;
    private long sent;

    private PublisherThroughput(int destinationCount, Consumer<Outgoing> sink, boolean acked, long window) {
        this.destinations = new String[destinationCount];
        this.keys = new String[destinationCount];
        for (int i = 0; i < destinationCount; i++) {
            destinations[i] = Ipv4Address.format(DESTINATION_BASE + 1 + i);
            keys[i] = Topics.pathKey(AGENT_ID, destinations[i]);
        }
        this.sink = sink;
        this.acked = acked;
        this.window = window;
    }

    public static void main(String[] args) throws Exception {
        // the publisher's own log lines (spooling), as "agent run" shows them
        System.setProperty("org.slf4j.simpleLogger.log.net.tracemesh", "info");
        BenchArgs a = BenchArgs.parse("publisher-throughput", args, Set.of("--bootstrap", "--records", "--warmup",
                "--memory-records", "--window", "--destinations", "--prefix", "--work-dir", "--mode"));
        Mode mode = Mode.parse(a, a.text("--mode", "publisher"));
        long records = a.number("--records", 1_000_000, 1, Long.MAX_VALUE / 4);
        long warmup = a.number("--warmup", 200_000, 0, Long.MAX_VALUE / 4);
        int memoryRecords = (int) a.number("--memory-records", 20_000, 2, 10_000_000);
        long window = a.number("--window", Math.min(DEFAULT_WINDOW, memoryRecords), 1, memoryRecords);
        int destinationCount = (int) a.number("--destinations", 32_766, 1, 8_000_000);
        String prefix = a.text("--prefix", "tmbench-capacity.");
        Path workDir = a.has("--work-dir") ? Path.of(a.required("--work-dir"))
                : Files.createTempDirectory("tmbench-publisher-");
        Files.createDirectories(workDir);

        EmbeddedKafka embedded = null;
        String bootstrap = null;
        if (a.has("--bootstrap")) {
            bootstrap = a.required("--bootstrap");
        } else if (mode != Mode.ENCODE) {
            embedded = EmbeddedKafka.builder().dataDir(workDir.resolve("broker")).port(0).build().start();
            bootstrap = embedded.bootstrapServers();
            System.err.println("publisher-throughput: embedded broker at " + bootstrap
                    + " (in this JVM: the RSS figure includes it)");
        }
        Sampler sampler = new Sampler();
        Vertx vertx = null;
        KafkaProducer<byte[], byte[]> raw = null;
        try {
            PublisherVerticle publisher = null;
            Consumer<Outgoing> sink;
            Map<String, Object> clientProperties = bootstrap == null ? Map.of() : Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, AckCounter.class.getName());
            if (mode != Mode.ENCODE) {
                Topics.Spec hops = Topics.ALL.stream().filter(s -> s.name().equals(Topics.HOPS)).findFirst()
                        .orElseThrow();
                BenchTopics.create(bootstrap, List.of(BenchTopics.newTopic(hops.fullName(prefix),
                        hops.partitions(), false)));
            }
            switch (mode) {
                case PUBLISHER -> {
                    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4)
                            .setInternalBlockingPoolSize(4));
                    publisher = new PublisherVerticle(new PublisherSettings(prefix, clientProperties, memoryRecords,
                            Duration.ofSeconds(10), workDir.resolve("spool"), 256L << 20, Duration.ofSeconds(10)));
                    vertx.deployVerticle(publisher, new DeploymentOptions()
                            .setThreadingModel(ThreadingModel.WORKER)).await(60, TimeUnit.SECONDS);
                    sink = publisher::publish;
                }
                case RAW_PRODUCER -> {
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(rawProducerConfig(clientProperties),
                            new ByteArraySerializer(), new ByteArraySerializer());
                    raw = producer;
                    String topic = prefix + Topics.HOPS;
                    sink = o -> producer.send(new ProducerRecord<>(topic, null,
                            o.key().getBytes(StandardCharsets.UTF_8), MessageJson.encode(o.message())));
                }
                case ENCODE -> {
                    long[] bytes = new long[1];
                    sink = o -> bytes[0] += MessageJson.encode(o.message()).length
                            + o.key().getBytes(StandardCharsets.UTF_8).length;
                }
                default -> throw new IllegalStateException("mode " + mode);
            }
            PublisherThroughput bench = new PublisherThroughput(destinationCount, sink, mode != Mode.ENCODE, window);
            System.err.printf("publisher-throughput: mode %s, %d warm-up + %d measured hop messages, memory-records"
                    + " %d, window %d, %d destinations, broker %s%n", mode.name, warmup, records, memoryRecords,
                    window, destinationCount, bootstrap);
            if (warmup > 0) {
                bench.run("warm-up", warmup, null);
            }
            sampler.start(publisher);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("mode", mode.name);
            bench.run("measured", records, out);
            sampler.stop();
            out.put("rss_peak_kb", sampler.peakKb());
            out.put("rss_end_kb", Sampler.statusKb("VmRSS"));
            out.put("hwm_kb", Sampler.statusKb("VmHWM"));
            if (publisher != null) {
                out.put("spooling_samples", sampler.spoolingSamples());
                out.put("spool_pending_max", sampler.spoolPendingMax());
                out.put("publisher_in_flight_max", sampler.inFlightMax());
                PublisherStats stats = awaitStats(publisher, warmup + records);
                out.put("stats_published", stats.published());
                out.put("stats_spooling", stats.spooling());
                out.put("stats_spool_pending", stats.spoolPending());
                out.put("stats_rejected", stats.rejected());
            }
            out.put("ack_failed", AckCounter.failed());
            out.put("sample_bytes", MessageJson.encode(bench.message(0).message()).length);
            out.forEach((k, v) -> System.out.println(k + "=" + v));
        } finally {
            sampler.stop();
            if (raw != null) {
                raw.close(Duration.ofSeconds(10));
            }
            if (vertx != null) {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** What the measured hop messages go through. */
    private enum Mode {
        /** The agent's PublisherVerticle (the figure the benchmark reports). */
        PUBLISHER("publisher"),
        /** A plain KafkaProducer fed from this thread with the publisher's producer settings: the ceiling. */
        RAW_PRODUCER("raw-producer"),
        /** JSON encoding only (MessageJson.encode), no Kafka. */
        ENCODE("encode");

        final String name;

        Mode(String name) {
            this.name = name;
        }

        static Mode parse(BenchArgs a, String name) {
            for (Mode m : values()) {
                if (m.name.equals(name)) {
                    return m;
                }
            }
            a.fail("--mode must be publisher, raw-producer or encode, got '" + name + "'");
            return PUBLISHER;
        }
    }

    /** The producer settings PublisherVerticle uses, for the raw mode. */
    private static Map<String, Object> rawProducerConfig(Map<String, Object> clientProperties) {
        Map<String, Object> config = PublisherVerticle.producerConfig(clientProperties);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "tracemesh-bench-raw");
        return config;
    }

    /** Publishes {@code count} messages, waits for their acknowledgements, and records the figures. */
    private void run(String phase, long count, Map<String, Object> out) {
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long target = sent + count;
        long cpu0 = os.getProcessCpuTime();
        long thread0 = threads.getCurrentThreadCpuTime();
        long gc0 = gcMillis();
        long t0 = System.nanoTime();
        long nextReport = t0 + REPORT.toNanos();
        long lastReportAcked = AckCounter.acked();
        long waits = 0;
        while (sent < target) {
            if (acked && sent - AckCounter.acked() >= window) {
                waits++;
                while (sent - AckCounter.acked() >= window) {
                    LockSupport.parkNanos(20_000);
                }
            }
            sink.accept(message(sent));
            sent++;
            if (acked && (sent & 1023) == 0 && System.nanoTime() - nextReport > 0) {
                long ackedNow = AckCounter.acked();
                System.err.printf("publisher-throughput: %s: %,d acked (%,d/s)%n", phase, ackedNow,
                        (ackedNow - lastReportAcked) * 1_000_000_000L / (System.nanoTime() - nextReport
                                + REPORT.toNanos()));
                lastReportAcked = ackedNow;
                nextReport = System.nanoTime() + REPORT.toNanos();
            }
        }
        long handedOver = System.nanoTime();
        long threadCpu = threads.getCurrentThreadCpuTime() - thread0;
        long end = handedOver;
        if (acked) {
            long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
            while (AckCounter.acked() < target) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(phase + ": only " + AckCounter.acked() + " of " + target
                            + " messages acknowledged after " + ACK_TIMEOUT.toSeconds() + " s");
                }
                LockSupport.parkNanos(100_000);
            }
            end = AckCounter.lastAckNanos();
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        double seconds = (end - t0) / 1e9;
        double rate = count / seconds;
        System.err.printf("publisher-throughput: %s: %,d messages %s in %.3f s: %,.0f/s%n", phase, count,
                acked ? "acknowledged" : "encoded", seconds, rate);
        if (out != null) {
            out.put("records", count);
            out.put("seconds", String.format("%.3f", seconds));
            out.put("records_per_s", String.format("%.0f", rate));
            out.put("handover_seconds", String.format("%.3f", (handedOver - t0) / 1e9));
            out.put("window", window);
            out.put("window_waits", waits);
            out.put("process_cpu_ms", cpu / 1_000_000);
            out.put("process_cpu_ms_per_10k", String.format("%.1f", cpu / 1e6 * 10_000 / count));
            out.put("generator_cpu_ms", threadCpu / 1_000_000);
            out.put("gc_ms", gcMillis() - gc0);
            out.put("cpus", Runtime.getRuntime().availableProcessors());
        }
    }

    /** The i-th hop message: trace i / 3, ttl i % 3 + 1 (router, router, destination), as the lab's paths. */
    Outgoing message(long i) {
        long trace = i / 3;
        int ttl = (int) (i % 3) + 1;
        int d = (int) (trace % destinations.length);
        String dst = destinations[d];
        String traceId = nonce + "-" + Long.toHexString(trace + 1);
        boolean last = ttl == 3;
        HopRecord hop = new HopRecord(ttl, last ? dst : ROUTERS[ttl - 1], 0.031 + (i % 97) * 0.0013,
                last ? 0 : 11, 0, last ? 62 : 65 - ttl, 0, null, null, null);
        HopMessage m = new HopMessage(HopMessage.TYPE, MessageJson.SCHEMA_VERSION,
                HopMessage.recordId(traceId, ttl, 0), AGENT_ID, MEASUREMENT_ID, roundStart, traceId, "icmp-paris",
                SRC, dst, null, null, roundStart.plusNanos(trace * 5_000L), hop);
        return new Outgoing(Topics.HOPS, keys[d], m, 1);
    }

    private static long gcMillis() {
        long sum = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** The publisher's counters once they show {@code expected} published (they refresh every 500 ms). */
    private static PublisherStats awaitStats(PublisherVerticle publisher, long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        PublisherStats s = publisher.stats();
        while (s.published() < expected && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(50_000_000L);
            s = publisher.stats();
        }
        return s;
    }

    /**
     * Samples this process's resident set size and the publisher's counters every 100 ms on a daemon thread:
     * the RSS peak, how many samples saw the publisher spooling, and the most messages waiting in its spool.
     */
    private static final class Sampler {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong spoolingSamples = new AtomicLong();
        private final AtomicLong spoolPendingMax = new AtomicLong();
        private final AtomicLong inFlightMax = new AtomicLong();
        private volatile boolean running;
        private Thread thread;

        /** Starts sampling; {@code publisher} may be null (then only the RSS is sampled). */
        void start(PublisherVerticle publisher) {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(statusKb("VmRSS"), Math::max);
                    PublisherStats s = publisher == null ? PublisherStats.EMPTY : publisher.stats();
                    if (s.spooling()) {
                        spoolingSamples.incrementAndGet();
                    }
                    spoolPendingMax.accumulateAndGet(s.spoolPending(), Math::max);
                    inFlightMax.accumulateAndGet(s.inFlight(), Math::max);
                    LockSupport.parkNanos(SAMPLE_MILLIS * 1_000_000L);
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            if (thread != null) {
                peak.accumulateAndGet(statusKb("VmRSS"), Math::max);
            }
        }

        long peakKb() {
            return peak.get();
        }

        long spoolingSamples() {
            return spoolingSamples.get();
        }

        long spoolPendingMax() {
            return spoolPendingMax.get();
        }

        long inFlightMax() {
            return inFlightMax.get();
        }

        /** A "kB" line of /proc/self/status, or -1 where there is none (not Linux). */
        static long statusKb(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                    if (line.startsWith(field + ":")) {
                        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }
    }
}
