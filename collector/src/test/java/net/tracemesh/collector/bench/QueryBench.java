package net.tracemesh.collector.bench;

import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import net.tracemesh.collector.export.GraphFormat;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.query.RouteHistory;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.collector.query.VantageComparison;
import net.tracemesh.measurement.Ipv4Prefix;
import net.tracemesh.wire.Ipv4Address;

/**
 * Times each query of {@link TopologyQueries} over the store the benchmark filled, one call at a time on one
 * thread, with random arguments drawn from the workload (route keys that exist, times inside the stored rounds,
 * addresses routers on the stored paths really have): a warm-up, then the measured calls.
 *
 * <ul>
 *   <li>{@code route-at} / {@code route-now}: the route of a random (agent, destination, method) at a random time /
 *       now;</li>
 *   <li>{@code history}: the periods and changes of a random key in a random window of one round to half the
 *       stored span;</li>
 *   <li>{@code compare}: an anchor destination from {@code compareAgents} random agents, at a random time or now;</li>
 *   <li>{@code through-addr} / {@code through-/24}: traces through a router address on a random path, or through a
 *       destination /24, in a random one-round window, at most {@value #TRACE_LIMIT};</li>
 *   <li>{@code subgraph}: the graph of every agent toward a random destination /24 over the whole span, up to the
 *       default node limit;</li>
 *   <li>{@code export-dot/-graphml/-json}: writing out the last subgraph read in the format (to a writer that
 *       only counts characters); an export as the CLI runs it costs a {@code subgraph} call plus this.</li>
 * </ul>
 * A call that found something (a route, a period, traces, nodes) counts as a hit; the hit rate shows the queries
 * ran over real data.
 */
final class QueryBench {
    static final int TRACE_LIMIT = 100;
    /** The warm-up of a slow query may use this fraction (1/n) of its time budget. */
    private static final int WARMUP_SHARE_OF_BUDGET = 4;

    /** The figures of one query. */
    record Result(String name, Latencies latencies, int hits, long resultItems) {
    }

    private final TopologyQueries queries;
    private final Workload workload;
    private final Instant spanStart;
    private final Instant spanEnd;
    private final int rounds;
    private final int compareAgents;
    private final Random random;
    /** The subgraph the last {@code subgraph} call read: what the export calls write out. */
    private Subgraph lastSubgraph;

    /**
     * @param rounds        rounds stored (0..rounds-1)
     * @param compareAgents agents per comparison
     */
    QueryBench(TopologyQueries queries, Workload workload, int rounds, int compareAgents, long seed) {
        this.queries = queries;
        this.workload = workload;
        this.rounds = Math.max(1, rounds);
        this.spanStart = Workload.FIRST_ROUND;
        this.spanEnd = Workload.roundStart(this.rounds);
        this.compareAgents = Math.min(compareAgents, workload.agents().size());
        this.random = new Random(seed);
    }

    /**
     * Runs every query: {@code warmup} unmeasured calls, then {@code calls} measured ones. A slow query gets
     * {@code budget} in all: its warm-up stops after a quarter of it, its measured calls at its end (with the calls
     * measured so far, at least one).
     */
    List<Result> run(int warmup, int calls, Duration budget) {
        Map<String, Supplier<Integer>> kinds = new LinkedHashMap<>();
        kinds.put("route-at", () -> queries.routeAt(randomKey(), randomTime()).isPresent() ? 1 : 0);
        kinds.put("route-now", () -> queries.routeNow(randomKey()).isPresent() ? 1 : 0);
        kinds.put("history", this::history);
        kinds.put("compare", this::compare);
        kinds.put("through-addr", () -> throughAddress());
        kinds.put("through-/24", () -> throughBlock());
        kinds.put("subgraph", () -> {
            lastSubgraph = subgraph();
            return lastSubgraph.nodes().size();
        });
        for (GraphFormat f : GraphFormat.values()) {
            kinds.put("export-" + f.fileExtension(), () -> export(f));
        }
        List<Result> out = new ArrayList<>();
        for (Map.Entry<String, Supplier<Integer>> e : kinds.entrySet()) {
            long start = System.nanoTime();
            long warmupDeadline = start + budget.toNanos() / WARMUP_SHARE_OF_BUDGET;
            long deadline = start + budget.toNanos();
            for (int i = 0; i < warmup && System.nanoTime() - warmupDeadline < 0; i++) {
                e.getValue().get();
            }
            Latencies l = new Latencies();
            int hits = 0;
            long items = 0;
            for (int i = 0; i < calls && (i == 0 || System.nanoTime() - deadline < 0); i++) {
                long t0 = System.nanoTime();
                int found = e.getValue().get();
                l.add(System.nanoTime() - t0);
                hits += found > 0 ? 1 : 0;
                items += found;
            }
            out.add(new Result(e.getKey(), l, hits, items));
            System.err.printf("  %-14s p50 %8.2f ms  p99 %8.2f ms  hits %d/%d%s%n", e.getKey(),
                    l.percentileMillis(50), l.percentileMillis(99), hits, l.count(),
                    l.count() < calls ? " (time budget reached)" : "");
        }
        return out;
    }

    private int history() {
        Instant from = randomTime();
        long maxWindow = Math.max(Workload.ROUND_INTERVAL.toMillis(),
                Duration.between(spanStart, spanEnd).toMillis() / 2);
        Instant to = from.plusMillis(Workload.ROUND_INTERVAL.toMillis()
                + (long) (random.nextDouble() * (maxWindow - Workload.ROUND_INTERVAL.toMillis())));
        RouteHistory h = queries.history(randomKey(), from, to.isAfter(spanEnd) ? spanEnd : to);
        return h.periods().size();
    }

    private int compare() {
        int[] anchors = workload.anchors();
        String dst = Ipv4Address.format(workload.topology().destination(anchors[random.nextInt(anchors.length)]));
        List<Workload.Agent> agents = new ArrayList<>(workload.agents());
        Collections.shuffle(agents, random);
        List<String> chosen = agents.subList(0, compareAgents).stream().map(Workload.Agent::id).toList();
        Instant at = random.nextBoolean() ? randomTime() : null;
        VantageComparison c = queries.compare(dst, Workload.ANCHORS.method(), chosen, at);
        return c.routes().size();
    }

    private int throughAddress() {
        SyntheticTopology topo = workload.topology();
        int site = random.nextInt(topo.sites());
        NetworkPath path = topo.path(site, random.nextInt(topo.destinations()), random.nextLong(),
                random.nextInt(rounds));
        int router = path.addressAt(1 + random.nextInt(path.length() - 1));
        return through(new Ipv4Prefix(router, Ipv4Prefix.MAX_LENGTH));
    }

    private int throughBlock() {
        int block = SyntheticTopology.blockOf(random.nextInt(workload.topology().destinations()));
        return through(new Ipv4Prefix(SyntheticTopology.blockNetwork(block), 24));
    }

    private int through(Ipv4Prefix prefix) {
        Instant from = Workload.roundStart(random.nextInt(rounds));
        return queries.tracesThrough(prefix, from, from.plus(Workload.ROUND_INTERVAL), TRACE_LIMIT).size();
    }

    private Subgraph subgraph() {
        int block = SyntheticTopology.blockOf(random.nextInt(workload.topology().destinations()));
        SubgraphFilter filter = new SubgraphFilter(Set.of(),
                new Ipv4Prefix(SyntheticTopology.blockNetwork(block), 24), spanStart, spanEnd,
                SubgraphFilter.DEFAULT_NODE_LIMIT);
        return queries.subgraph(filter);
    }

    private int export(GraphFormat format) {
        Subgraph g = lastSubgraph != null ? lastSubgraph : subgraph();
        CountingWriter out = new CountingWriter();
        format.writer().write(g, out);
        return out.chars > 0 ? g.nodes().size() : 0;
    }

    private RouteKey randomKey() {
        int a = random.nextInt(workload.agents().size());
        List<Workload.Task> tasks = workload.tasks(a);
        Workload.Task t = tasks.get(random.nextInt(tasks.size()));
        return new RouteKey(workload.agents().get(a).id(),
                Ipv4Address.format(workload.topology().destination(t.destination())), t.measurement().method());
    }

    private Instant randomTime() {
        long span = Duration.between(spanStart, spanEnd).toMillis();
        return spanStart.plusMillis((long) (random.nextDouble() * span));
    }

    /** Discards what is written, counting the characters. */
    private static final class CountingWriter extends Writer {
        long chars;

        @Override
        public void write(char[] buf, int off, int len) {
            chars += len;
        }

        @Override
        public void write(String s, int off, int len) {
            chars += len;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
