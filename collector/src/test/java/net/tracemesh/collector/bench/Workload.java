package net.tracemesh.collector.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.tracemesh.measurement.MeasurementMethod;

/**
 * Who measures what in the benchmark: one agent per site of the {@link SyntheticTopology}, and five scheduled
 * measurements every agent runs once per round.
 * <ul>
 *   <li>{@code anchors} — icmp-paris, 2 probes per hop, the same anchor destinations from every agent (what
 *       "compare vantage points" is for);</li>
 *   <li>{@code wide} — icmp-paris, 1 probe per hop: the destinations are dealt out between the agents so that
 *       together they cover every destination once per round;</li>
 *   <li>{@code paths} — udp-paris to port 33434, 3 probes per hop, a pseudo-random sample per agent;</li>
 *   <li>{@code classic} — classic udp from port 33434 up, 3 probes per hop, a small sample;</li>
 *   <li>{@code web} — tcp SYN to port 443, 1 probe per hop, a small sample.</li>
 * </ul>
 * Each agent runs its tasks in a fixed shuffled order every round; rounds start every {@link #ROUND_INTERVAL} of
 * simulated time from {@link #FIRST_ROUND}.
 */
final class Workload {
    /** Simulated start of round 0. */
    static final Instant FIRST_ROUND = Instant.parse("2026-11-02T00:00:00Z");
    static final Duration ROUND_INTERVAL = Duration.ofMinutes(15);
    /** Traces of a round start within this share of the interval. */
    static final Duration ROUND_SPREAD = Duration.ofMinutes(10);
    static final int UDP_PORT = 33434;
    static final int TCP_PORT = 443;
    private static final int NONCE_BYTES = 8;
    /** First Paris source port ("tag") an agent may use; the agent's tag is fixed for its process. */
    private static final int FIRST_TAG = 33_000;
    private static final int TAG_SPACE = 28_000;

    /** One scheduled measurement. */
    record Measurement(String id, MeasurementMethod method, int probesPerHop, Integer port) {
        Measurement {
            if (!method.isTrace()) {
                throw new IllegalArgumentException("benchmark measurements are traces, got " + method);
            }
            if (probesPerHop < 1 || probesPerHop > 3) {
                throw new IllegalArgumentException("probes per hop must be 1..3, got " + probesPerHop);
            }
        }
    }

    /**
     * One vantage point.
     *
     * @param id    agent id
     * @param site  its site in the topology (0-based)
     * @param nonce the hex run nonce prefixed to its trace ids, as an agent process has
     * @param tag   its Paris source port / ICMP identifier
     */
    record Agent(String id, int site, String nonce, int tag) {
        Agent {
            if (id == null || id.isEmpty() || nonce == null || nonce.isEmpty()) {
                throw new IllegalArgumentException("an agent has an id and a nonce");
            }
        }
    }

    /** One trace an agent runs every round: measurement and destination index. */
    record Task(Measurement measurement, int destination) {
    }

    static final Measurement ANCHORS = new Measurement("anchors", MeasurementMethod.ICMP_PARIS, 2, null);
    static final Measurement WIDE = new Measurement("wide", MeasurementMethod.ICMP_PARIS, 1, null);
    static final Measurement PATHS = new Measurement("paths", MeasurementMethod.UDP_PARIS, 3, UDP_PORT);
    static final Measurement CLASSIC = new Measurement("classic", MeasurementMethod.UDP, 3, UDP_PORT);
    static final Measurement WEB = new Measurement("web", MeasurementMethod.TCP, 1, TCP_PORT);

    private final SyntheticTopology topology;
    private final List<Agent> agents = new ArrayList<>();
    private final List<List<Task>> tasks = new ArrayList<>();
    private final int[] anchors;

    /**
     * @param anchorCount    destinations of {@code anchors}
     * @param pathsPerAgent  destinations of {@code paths} per agent
     * @param samplePerAgent destinations of {@code classic} and of {@code web} per agent
     */
    Workload(SyntheticTopology topology, long seed, int anchorCount, int pathsPerAgent, int samplePerAgent) {
        this.topology = topology;
        int n = topology.destinations();
        int sites = topology.sites();
        Random random = new Random(seed);
        anchors = spread(n, Math.min(anchorCount, n), random);
        for (int site = 0; site < sites; site++) {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            agents.add(new Agent(String.format("agent-site%02d", site + 1), site, HexFormat.of().formatHex(nonce),
                    FIRST_TAG + random.nextInt(TAG_SPACE)));
            List<Task> list = new ArrayList<>();
            for (int d : anchors) {
                list.add(new Task(ANCHORS, d));
            }
            for (int d = site * n / sites; d < (site + 1) * n / sites; d++) {
                list.add(new Task(WIDE, d));
            }
            for (int d : spread(n, Math.min(pathsPerAgent, n), random)) {
                list.add(new Task(PATHS, d));
            }
            for (int d : spread(n, Math.min(samplePerAgent, n), random)) {
                list.add(new Task(CLASSIC, d));
            }
            for (int d : spread(n, Math.min(samplePerAgent, n), random)) {
                list.add(new Task(WEB, d));
            }
            Collections.shuffle(list, random);
            tasks.add(List.copyOf(list));
        }
    }

    SyntheticTopology topology() {
        return topology;
    }

    List<Agent> agents() {
        return List.copyOf(agents);
    }

    /** The tasks of agent {@code agent} (index), in the order it runs them. */
    List<Task> tasks(int agent) {
        return tasks.get(agent);
    }

    /** Destination indexes every agent traces ({@code anchors}). */
    int[] anchors() {
        return anchors.clone();
    }

    /** Traces per round, all agents together. */
    int tracesPerRound() {
        return tasks.stream().mapToInt(List::size).sum();
    }

    /** The longest task list of one agent. */
    int maxTasksPerAgent() {
        return tasks.stream().mapToInt(List::size).max().orElse(0);
    }

    static Instant roundStart(int round) {
        return FIRST_ROUND.plus(ROUND_INTERVAL.multipliedBy(round));
    }

    /** {@code count} distinct indexes of {@code 0..n-1}, chosen at random. */
    private static int[] spread(int n, int count, Random random) {
        BitSet taken = new BitSet(n);
        int[] out = new int[count];
        int i = 0;
        while (i < count) {
            int d = random.nextInt(n);
            if (!taken.get(d)) {
                taken.set(d);
                out[i++] = d;
            }
        }
        Arrays.sort(out);
        return out;
    }
}
