package net.tracemesh.collector.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The endless stream of traces of a {@link Workload}, round after round, in the order the agents would publish
 * them: within a round the agents run concurrently, so their traces are interleaved (the first task of every
 * agent, then the second of every agent, ...). Trace ids are {@code <run nonce>-<hex counter>} per agent, as the
 * agent's prober makes them. Not thread-safe.
 */
final class HopStream {
    /** Agents start their rounds a little apart. */
    private static final Duration AGENT_STAGGER = Duration.ofMillis(137);

    private final Workload workload;
    private final TraceGenerator generator;
    private final List<Workload.Agent> agents;
    private final long[] traceCounters;
    private final int maxTasks;
    private int round;
    private int taskIndex;
    private int agentCursor;
    private long traces;
    private long hopRecords;

    /** A stream starting at round {@code firstRound}. */
    HopStream(Workload workload, long seed, int firstRound) {
        if (firstRound < 0) {
            throw new IllegalArgumentException("first round must be >= 0, got " + firstRound);
        }
        this.workload = workload;
        this.generator = new TraceGenerator(workload.topology(), seed);
        this.agents = workload.agents();
        this.traceCounters = new long[agents.size()];
        this.maxTasks = workload.maxTasksPerAgent();
        this.round = firstRound;
    }

    /** The next trace of the stream. */
    SyntheticTrace next() {
        while (true) {
            if (agentCursor == agents.size()) {
                agentCursor = 0;
                taskIndex++;
            }
            if (taskIndex == maxTasks) {
                taskIndex = 0;
                round++;
            }
            int a = agentCursor++;
            List<Workload.Task> tasks = workload.tasks(a);
            if (taskIndex < tasks.size()) {
                Workload.Agent agent = agents.get(a);
                String traceId = agent.nonce() + "-" + Long.toHexString(++traceCounters[a]);
                Instant start = Workload.roundStart(round).plus(AGENT_STAGGER.multipliedBy(a))
                        .plus(Workload.ROUND_SPREAD.multipliedBy(taskIndex).dividedBy(maxTasks));
                SyntheticTrace t = generator.trace(agent, tasks.get(taskIndex), round, start, traceId);
                traces++;
                hopRecords += t.hops().size();
                return t;
            }
        }
    }

    /** The round the last trace belonged to (the next one's, before the first). */
    int round() {
        return round;
    }

    /** Traces made so far. */
    long traces() {
        return traces;
    }

    /** Hop records made so far. */
    long hopRecords() {
        return hopRecords;
    }
}
