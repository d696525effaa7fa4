package net.tracemesh.collector.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.collector.config.StoreConfig;
import net.tracemesh.collector.ingest.CollectorIngest;
import net.tracemesh.collector.ingest.CollectorTopics;
import net.tracemesh.collector.ingest.IngestSettings;
import net.tracemesh.collector.ingest.IngestStats;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.StoreCounts;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The collector benchmark of issue 4: a realistic stream of hop records from many agents through an embedded
 * broker into the real {@link CollectorIngest} and {@link CollectorStore}, then queries over the filled store.
 *
 * <pre>
 * java -Xmx6g -cp CLASSPATH net.tracemesh.collector.bench.CollectorThroughput [--records 10000000]
 *     [--agents 60] [--destinations 30000] [--anchors 300] [--paths-per-agent 400] [--sample-per-agent 40]
 *     [--partitions 6] [--lag-seconds 30] [--lag-load 0.25] [--lag-rate 0] [--lag-sample-every 25]
 *     [--queries 1000] [--warmup-queries 200] [--compare-agents 8] [--query-budget-s 120] [--work-dir DIR]
 *     [--mode full|generate|queries] [--seed 4] [--cache-mb 64]
 * </pre>
 *
 * <p>Phases ({@code --mode full}):
 * <ol>
 *   <li><b>produce</b>: the {@link HopStream} of the workload is published until {@code --records} hop records are
 *       in the {@code hops} topic (each trace's completion too), before the collector runs;</li>
 *   <li><b>throughput</b>: the ingest starts on that backlog; hop records merged per second = hop records /
 *       (time from the ingest's first record read to the last trace applied, i.e. committed to the store with its
 *       graph and route-history changes);</li>
 *   <li><b>lag</b>: with the ingest caught up, the stream goes on for {@code --lag-seconds} at {@code --lag-load}
 *       times the measured throughput, or at {@code --lag-rate} hop records/s when that is given (to compare
 *       versions at one rate); every {@code --lag-sample-every}-th trace is a {@link LagProbe} sample (broker time of
 *       its completion record to its row being visible to a store reader). A quarter of the throughput by default:
 *       a collector that keeps up writes smaller batches than one draining a backlog, and in a large store those
 *       cost more per trace (at 10M hop records lag climbs steeply from about a third);</li>
 *   <li><b>size</b>: the store is closed and its directory measured (database and log): bytes per million hop
 *       records stored;</li>
 *   <li><b>queries</b>: the broker is stopped, the store reopened, and every query timed ({@link QueryBench}).</li>
 * </ol>
 * {@code --mode generate} only generates and encodes {@code --records} hop records (no broker, no store): the
 * generator's own cost and the shape of the stream. {@code --mode queries} only times the queries, over the store
 * that a run kept in {@code --work-dir} (the same workload options must be given).
 *
 * <p>Progress goes to stderr; results go to stdout as {@code key=value} lines, then a summary table.
 */
public final class CollectorThroughput {
    private static final String TOPIC_PREFIX = "tmbench4.";
    private static final String GROUP = "collector-bench";
    /** Kafka log segments large enough that a 10-million-record backlog needs few files. */
    private static final int SEGMENT_BYTES = 512 * 1024 * 1024;
    /** One row of the summary table: figure, value, PASS/FAIL against a target, note. */
    private static final String ROW_FORMAT = "| %-40s | %-20s | %-4s | %s |";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration DRAIN_TIMEOUT = Duration.ofHours(2);
    private static final Duration LAG_SETTLE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration LAG_POLL = Duration.ofMillis(5);
    private static final double TARGET_MERGED_PER_S = 100_000;
    private static final double TARGET_P99_MS = 100;
    private static final long MILLION = 1_000_000L;
    /** Threads of the collector (ingest, apply) and of H2 (serialization, background writer) whose CPU is shown. */
    private static final List<String> STORE_THREAD_PREFIXES = List.of("tracemesh-collector-", "H2-", "MVStore");
    private static final String LOADAVG = "/proc/loadavg";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Exit status when a phase fails. */
    private static final int FAILED = 1;

    private final BenchOptions options;
    private final Map<String, String> results = new LinkedHashMap<>();
    private final List<String> table = new ArrayList<>();

    private CollectorThroughput(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--records", "10000000");
        defaults.put("--agents", "60");
        defaults.put("--destinations", "30000");
        defaults.put("--anchors", "300");
        defaults.put("--paths-per-agent", "400");
        defaults.put("--sample-per-agent", "40");
        defaults.put("--partitions", "6");
        defaults.put("--lag-seconds", "30");
        defaults.put("--lag-load", "0.25");
        defaults.put("--lag-rate", "0");
        defaults.put("--lag-sample-every", "25");
        defaults.put("--queries", "1000");
        defaults.put("--warmup-queries", "200");
        defaults.put("--compare-agents", "8");
        defaults.put("--query-budget-s", "120");
        defaults.put("--work-dir", "");
        defaults.put("--mode", "full");
        defaults.put("--seed", "4");
        defaults.put("--cache-mb", String.valueOf(StoreConfig.DEFAULT_CACHE_MB));
        BenchOptions o = BenchOptions.parse("collector-throughput", args, defaults);
        CollectorThroughput bench = new CollectorThroughput(o);
        String mode = o.text("--mode");
        try {
            switch (mode) {
                case "full" -> bench.full();
                case "generate" -> bench.generateOnly();
                case "queries" -> bench.queriesOnly();
                default -> o.usage("--mode must be full, generate or queries, got " + mode);
            }
        } catch (Exception | Error e) {
            // the broker's and clients' threads would keep the JVM alive: end it here
            e.printStackTrace();
            System.exit(FAILED);
        }
        bench.print();
        System.exit(0);
    }

    private Workload workload() {
        long seed = options.number("--seed", Long.MIN_VALUE, Long.MAX_VALUE);
        SyntheticTopology topology = new SyntheticTopology(seed, options.integer("--agents", 1,
                SyntheticTopology.MAX_SITES), options.integer("--destinations", 1, SyntheticTopology.MAX_DESTINATIONS));
        Workload w = new Workload(topology, seed, options.integer("--anchors", 1, SyntheticTopology.MAX_DESTINATIONS),
                options.integer("--paths-per-agent", 0, SyntheticTopology.MAX_DESTINATIONS),
                options.integer("--sample-per-agent", 0, SyntheticTopology.MAX_DESTINATIONS));
        result("agents", w.agents().size());
        result("destinations", topology.destinations());
        result("traces_per_round", w.tracesPerRound());
        return w;
    }

    /** The embedded store's page cache, as {@code store.cache-mb} sets it. */
    private int cacheMb() {
        return options.integer("--cache-mb", 1, StoreConfig.MAX_CACHE_MB);
    }

    private long seed() {
        return options.number("--seed", Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Generation and JSON encoding alone, with the stream's shape. */
    private void generateOnly() {
        long records = options.number("--records", 1, Long.MAX_VALUE);
        Workload w = workload();
        HopStream stream = new HopStream(w, seed(), 0);
        long bytes = 0;
        long mpls = 0;
        Set<String> addresses = new HashSet<>();
        long t0 = System.nanoTime();
        while (stream.hopRecords() < records) {
            SyntheticTrace t = stream.next();
            for (HopMessage h : t.hops()) {
                bytes += MessageJson.encode(h).length;
                addresses.add(h.hop().addr());
                mpls += h.hop().mpls() == null ? 0 : 1;
            }
            bytes += MessageJson.encode(t.completion()).length;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        result("generated_hop_records", stream.hopRecords());
        result("generated_traces", stream.traces());
        result("rounds", stream.round() + 1);
        result("hop_records_per_trace", fmt(stream.hopRecords() / (double) stream.traces()));
        result("distinct_reply_addresses", addresses.size());
        result("mpls_hop_records", mpls);
        result("json_bytes_per_hop_record", fmt(bytes / (double) stream.hopRecords()));
        result("generate_encode_hop_records_per_s", fmt(stream.hopRecords() / s));
    }

    private void full() throws Exception {
        long records = options.number("--records", 1, Long.MAX_VALUE);
        int partitions = options.integer("--partitions", 1, 64);
        Path work = workDir();
        Path brokerDir = work.resolve("broker");
        Path storeDir = work.resolve("store");
        result("work_dir", work);
        Workload w = workload();
        HopStream stream = new HopStream(w, seed(), 0);

        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(brokerDir)
                .property("auto.create.topics.enable", "false")
                .property("group.initial.rebalance.delay.ms", "0")
                .property("log.segment.bytes", Integer.toString(SEGMENT_BYTES))
                .build().start();
        Map<String, String> appendTime = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                TopicConfig.RETENTION_MS_CONFIG, "-1");
        kafka.ensureTopic(TOPIC_PREFIX + Topics.HOPS, partitions, appendTime);
        kafka.ensureTopic(TOPIC_PREFIX + Topics.TRACES, partitions, appendTime);
        kafka.ensureTopic(TOPIC_PREFIX + CollectorTopics.DEAD_LETTER, 1, Map.of());
        String bootstrap = kafka.bootstrapServers();

        long producedTraces;
        long producedHops;
        double throughput;
        StoreCounts counts;
        try (StreamProducer producer = new StreamProducer(bootstrap, TOPIC_PREFIX)) {
            // 1. produce the backlog
            log("producing " + records + " hop records (" + w.tracesPerRound() + " traces per round) ...");
            long t0 = System.nanoTime();
            long nextLog = t0 + PROGRESS_EVERY.toNanos();
            while (stream.hopRecords() < records) {
                producer.send(stream.next(), null);
                if (System.nanoTime() - nextLog > 0) {
                    log(String.format(Locale.ROOT, "  produced %,d hop records, round %d", stream.hopRecords(),
                            stream.round()));
                    nextLog += PROGRESS_EVERY.toNanos();
                }
            }
            producer.flush();
            double produceS = (System.nanoTime() - t0) / 1e9;
            producedTraces = stream.traces();
            producedHops = stream.hopRecords();
            int rounds = stream.round() + 1;
            result("produced_hop_records", producedHops);
            result("produced_traces", producedTraces);
            result("rounds", rounds);
            result("hop_records_per_trace", fmt(producedHops / (double) producedTraces));
            result("produce_hop_records_per_s", fmt(producedHops / produceS));
            result("json_bytes_per_hop_record", fmt(producer.sentBytes() / (double) producer.sentRecords()));

            // 2. drain the backlog
            CollectorStore store = CollectorStore.openEmbedded(storeDir, cacheMb());
            IngestSettings settings = IngestSettings.defaults(bootstrap).withTopicPrefix(TOPIC_PREFIX)
                    .withGroupId(GROUP);
            CollectorIngest ingest = new CollectorIngest(settings, store);
            log("ingesting the backlog ...");
            long started = System.nanoTime();
            long processCpuBefore = processCpuNanos();
            ingest.start();
            Long firstRead = null;
            long lastLog = started;
            long lastHops = 0;
            while (true) {
                IngestStats s = ingest.stats();
                long now = System.nanoTime();
                if (firstRead == null && s.recordsRead() > 0) {
                    firstRead = now;
                }
                if (s.tracesApplied() + s.tracesAlreadyApplied() >= producedTraces) {
                    break;
                }
                failIfStopped(ingest);
                if (now - started > DRAIN_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("the ingest did not drain the backlog within " + DRAIN_TIMEOUT
                            + ": " + s);
                }
                if (now - lastLog > PROGRESS_EVERY.toNanos()) {
                    long read = s.recordsRead();
                    log(String.format(Locale.ROOT, "  read %,d records, applied %,d/%,d traces (%.0f records/s)",
                            read, s.tracesApplied(), producedTraces, (read - lastHops) / ((now - lastLog) / 1e9)));
                    lastLog = now;
                    lastHops = read;
                }
                LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
            }
            long done = System.nanoTime();
            Map<String, Long> collectorCpu = threadCpuNanos();
            long processCpu = processCpuNanos() - processCpuBefore;
            double drainS = (done - (firstRead == null ? started : firstRead)) / 1e9;
            throughput = producedHops / drainS;
            IngestStats s = ingest.stats();
            result("ingest_startup_s", fmt(((firstRead == null ? done : firstRead) - started) / 1e9));
            result("drain_s", fmt(drainS));
            result("merged_hop_records_per_s", fmt(throughput));
            result("merged_traces_per_s", fmt(producedTraces / drainS));
            result("ingest_stats_after_drain", s);
            result("load_average_after_drain", loadAverage());
            result("process_cpu_s_during_drain", fmt(processCpu / 1e9));
            collectorCpu.forEach((thread, nanos) -> result("thread_cpu_s_during_drain[" + thread + "]",
                    fmt(nanos / 1e9)));
            result("hop_records_per_process_cpu_s", fmt(producedHops / (processCpu / 1e9)));
            table.add(row("hop records merged/s (graph + store)", fmt(throughput),
                    "target >= " + fmt(TARGET_MERGED_PER_S) + "; load average " + loadAverage(),
                    throughput >= TARGET_MERGED_PER_S));
            String busiest = collectorCpu.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse(null);
            if (busiest != null && collectorCpu.get(busiest) > 0) {
                table.add(row("  per CPU second of the busiest thread",
                        fmt(producedHops / (collectorCpu.get(busiest) / 1e9)),
                        busiest + " (its ceiling with a core to itself)", null));
            }
            table.add(row("  per CPU second of the whole JVM", fmt(producedHops / (processCpu / 1e9)),
                    "broker, ingest, store, GC together", null));

            // 3. end-to-end lag at a steady rate below capacity
            double lagSeconds = options.integer("--lag-seconds", 0, 3600);
            if (lagSeconds > 0) {
                lag(stream, producer, ingest, store, throughput, lagSeconds);
            }
            counts = store.counts();
            result("store_counts", counts);
            ingest.close();
            store.close();
            failIfStopped(ingest);
        }
        kafka.close();
        result("broker_dir_bytes", directoryBytes(brokerDir));

        // 4. size
        long storeBytes = directoryBytes(storeDir);
        long storedHops = counts.hops();
        result("store_bytes", storeBytes);
        result("store_hop_records", storedHops);
        double perMillion = storedHops == 0 ? Double.NaN : storeBytes * (double) MILLION / storedHops;
        result("store_bytes_per_million_hop_records", fmt(perMillion));
        long compactBytes = compactedBytes(storeDir);
        double compactPerMillion = storedHops == 0 ? Double.NaN : compactBytes * (double) MILLION / storedHops;
        result("store_bytes_compacted", compactBytes);
        result("store_bytes_per_million_hop_records_compacted", fmt(compactPerMillion));
        table.add(row("store size per 1M hop records", String.format(Locale.ROOT, "%.1f MB", perMillion / 1e6),
                "database and its log after close; " + String.format(Locale.ROOT, "%,d", storedHops)
                        + " hop records", null));
        table.add(row("  same after VACUUM", String.format(Locale.ROOT, "%.1f MB", compactPerMillion / 1e6),
                "database rewritten without free space", null));

        // 5. queries
        queries(w, storeDir, stream.round() + 1, storedHops);
    }

    /** Times the queries over the store of an earlier run ({@code --work-dir} of a run kept with its data). */
    private void queriesOnly() throws SQLException {
        String dir = options.text("--work-dir");
        if (dir.isEmpty() || !Files.isDirectory(Path.of(dir, "store"))) {
            options.usage("--mode queries needs the --work-dir of an earlier run, holding its store directory");
        }
        Path storeDir = Path.of(dir, "store");
        int rounds;
        long hops;
        try (CollectorStore store = CollectorStore.openEmbedded(storeDir, cacheMb());
             Connection c = store.readDataSource().getConnection(); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT MAX(round_start) FROM applied_traces")) {
            r.next();
            Timestamp last = r.getTimestamp(1);
            rounds = last == null ? 1 : (int) (Duration.between(Workload.FIRST_ROUND, last.toInstant()).toMillis()
                    / Workload.ROUND_INTERVAL.toMillis()) + 1;
            hops = store.counts().hops();
        }
        result("rounds", rounds);
        result("store_hop_records", hops);
        queries(workload(), storeDir, rounds, hops);
    }

    private void queries(Workload w, Path storeDir, int rounds, long storedHops) {
        int calls = options.integer("--queries", 0, 1_000_000);
        if (calls == 0) {
            return;
        }
        long t0 = System.nanoTime();
        try (CollectorStore store = CollectorStore.openEmbedded(storeDir, cacheMb())) {
            result("store_reopen_s", fmt((System.nanoTime() - t0) / 1e9));
            QueryBench qb = new QueryBench(new TopologyQueries(store.readDataSource()), w, rounds,
                    options.integer("--compare-agents", 1, SyntheticTopology.MAX_SITES), seed());
            log("timing queries over " + String.format(Locale.ROOT, "%,d", storedHops) + " hop records ...");
            Duration budget = Duration.ofSeconds(options.integer("--query-budget-s", 1, 86_400));
            for (QueryBench.Result r : qb.run(options.integer("--warmup-queries", 0, 1_000_000), calls, budget)) {
                Latencies l = r.latencies();
                String key = "query_" + r.name().replace('-', '_').replace("/", "");
                result(key + "_p50_ms", fmt(l.percentileMillis(50)));
                result(key + "_p99_ms", fmt(l.percentileMillis(99)));
                result(key + "_max_ms", fmt(l.maxMillis()));
                result(key + "_hits", r.hits() + "/" + l.count());
                result(key + "_calls", l.count() + (l.count() < calls ? " (time budget reached)" : ""));
                boolean core = r.name().startsWith("route") || r.name().equals("history")
                        || r.name().equals("compare");
                table.add(row("query " + r.name() + " p50 / p99 ms",
                        fmt(l.percentileMillis(50)) + " / " + fmt(l.percentileMillis(99)),
                        (core ? "target p99 < " + fmt(TARGET_P99_MS) + "; " : "") + "calls " + l.count() + ", hits "
                                + r.hits(), core ? l.percentileMillis(99) < TARGET_P99_MS : null));
            }
        }
    }

    private void lag(HopStream stream, StreamProducer producer, CollectorIngest ingest, CollectorStore store,
                     double throughput, double seconds) throws InterruptedException {
        // a rate given in hop records/s, or a share of the measured throughput
        double fixedRate = options.decimal("--lag-rate", 0, 10_000_000);
        double rate = fixedRate > 0 ? fixedRate : throughput * options.decimal("--lag-load", 0.01, 10);
        double load = rate / throughput;
        int every = options.integer("--lag-sample-every", 1, 1_000_000);
        long tracesBefore = stream.traces();
        long hopsBefore = stream.hopRecords();
        log(String.format(Locale.ROOT, "lag: producing %.0f hop records/s for %.0f s ...", rate, seconds));
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        LagProbe probe = new LagProbe(store.readDataSource(), LAG_POLL);
        long n = 0;
        while (System.nanoTime() - end < 0) {
            SyntheticTrace t = stream.next();
            if (n++ % every == 0) {
                String agent = t.completion().agentId();
                String id = t.completion().traceId();
                producer.send(t, ts -> probe.expect(agent, id, ts));
            } else {
                producer.send(t, null);
            }
            long due = t0 + (long) ((stream.hopRecords() - hopsBefore) / rate * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        producer.flush();
        double sentS = (System.nanoTime() - t0) / 1e9;
        boolean settled = probe.awaitAll(LAG_SETTLE_TIMEOUT);
        probe.close();
        long traces = stream.traces();
        long deadline = System.nanoTime() + LAG_SETTLE_TIMEOUT.toNanos();
        while (ingest.stats().tracesApplied() + ingest.stats().tracesAlreadyApplied() < traces) {
            failIfStopped(ingest);
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the ingest did not catch up after the lag phase: " + ingest.stats());
            }
            Thread.sleep(10);
        }
        Latencies lags = probe.lags();
        result("lag_offered_hop_records_per_s", fmt((stream.hopRecords() - hopsBefore) / sentS));
        result("lag_traces", traces - tracesBefore);
        result("lag_samples", lags.count() + (settled ? "" : " (some never seen)"));
        result("lag_p50_ms", fmt(lags.percentileMillis(50)));
        result("lag_p99_ms", fmt(lags.percentileMillis(99)));
        result("lag_max_ms", fmt(lags.maxMillis()));
        result("lag_probe_poll_ms", LAG_POLL.toMillis());
        result("lag_probe_lookup_round_p99_ms", fmt(probe.lookupRounds().percentileMillis(99)));
        table.add(row("end-to-end lag p50 / p99 ms", fmt(lags.percentileMillis(50)) + " / "
                        + fmt(lags.percentileMillis(99)),
                String.format(Locale.ROOT, "at %.0f hop records/s (%.0f%% of capacity), %d samples", rate,
                        load * 100, lags.count()), null));
    }

    /**
     * CPU time so far of the live threads of the collector and of its database (names starting with one of
     * {@link #STORE_THREAD_PREFIXES}), by thread name. They start with the store and the ingest, so right after the
     * drain this is their CPU time during it.
     */
    private static Map<String, Long> threadCpuNanos() {
        Map<String, Long> out = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (STORE_THREAD_PREFIXES.stream().anyMatch(name::startsWith)) {
                long cpu = THREADS.getThreadCpuTime(t.getId());
                if (cpu > 0) {
                    out.merge(name, cpu, Long::sum);
                }
            }
        }
        return out;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime();
    }

    /** The system's 1, 5 and 15 minute load averages (other work on the machine slows the run down). */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of(LOADAVG)).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void failIfStopped(CollectorIngest ingest) {
        ingest.failure().ifPresent(t -> {
            throw new IllegalStateException("the ingest stopped: " + t, t);
        });
    }

    private Path workDir() throws IOException {
        String dir = options.text("--work-dir");
        if (dir.isEmpty()) {
            return Files.createTempDirectory("tmbench4-");
        }
        Path p = Path.of(dir);
        if (Files.exists(p.resolve("store")) || Files.exists(p.resolve("broker"))) {
            options.usage("--work-dir " + dir + " already holds a store or broker directory; give a fresh one");
        }
        return Files.createDirectories(p);
    }

    /**
     * The size of the store's database rewritten without free space ({@code VACUUM INTO} a file beside it, run on a
     * plain connection while no store has the directory open; the copy is deleted after it is measured).
     */
    private static long compactedBytes(Path storeDir) {
        Path db = storeDir.toAbsolutePath().resolve(CollectorStore.DATABASE_NAME + CollectorStore.SQLITE_FILE_SUFFIX);
        Path copy = storeDir.toAbsolutePath().resolve("compacted" + CollectorStore.SQLITE_FILE_SUFFIX);
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement()) {
            st.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("compacting the store failed: " + e.getMessage(), e);
        }
        log(String.format(Locale.ROOT, "compacted the store in %.1f s", (System.nanoTime() - t0) / 1e9));
        try {
            long bytes = Files.size(copy);
            Files.delete(copy);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long directoryBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }

    private void result(String key, Object value) {
        results.put(key, String.valueOf(value));
        System.out.println(key + "=" + value);
        System.out.flush();
    }

    private static String row(String what, String value, String note, Boolean pass) {
        String verdict = pass == null ? "" : pass ? "PASS" : "FAIL";
        return String.format(Locale.ROOT, ROW_FORMAT, what, value, verdict, note);
    }

    private void print() {
        if (table.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println(String.format(Locale.ROOT, ROW_FORMAT, "figure", "value", "", "note"));
        System.out.println("|" + "-".repeat(42) + "|" + "-".repeat(22) + "|------|------|");
        table.forEach(System.out::println);
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, d >= 100 ? "%.0f" : "%.2f", d);
    }

    private static void log(String message) {
        System.err.println("[" + LocalTime.now().withNano(0) + "] " + message);
    }
}
