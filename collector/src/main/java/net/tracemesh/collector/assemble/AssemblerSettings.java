package net.tracemesh.collector.assemble;

import java.time.Duration;

/**
 * Limits of a {@link TraceAssembler}: they bound its memory whatever the input.
 *
 * @param openTimeout          a trace still open this long after its first message arrived is closed as timed out
 * @param closedRetention      how long the key of a closed trace is remembered, so that late or duplicated messages
 *                             of it are recognised and dropped instead of opening the trace again
 * @param maxClosedRemembered  at most this many closed trace keys are remembered (the oldest are forgotten first)
 * @param maxHopsPerTrace      at most this many distinct hops are held for one trace; more are dropped and counted
 * @param maxOpenTraces        at most this many traces are open at once; opening one more closes the oldest open
 *                             trace early (as {@link Closure#EVICTED})
 */
public record AssemblerSettings(Duration openTimeout, Duration closedRetention, int maxClosedRemembered,
                                int maxHopsPerTrace, int maxOpenTraces) {
    /** A trace's hops and completion normally arrive within seconds; the agent's spool may delay them longer. */
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_CLOSED_RETENTION = Duration.ofHours(1);
    public static final int DEFAULT_MAX_CLOSED_REMEMBERED = 1_000_000;
    /** 255 TTLs of 3 probes with a path MTU retry each stay well below this. */
    public static final int DEFAULT_MAX_HOPS_PER_TRACE = 4096;
    public static final int DEFAULT_MAX_OPEN_TRACES = 200_000;

    public AssemblerSettings {
        requirePositive("open timeout", openTimeout);
        requirePositive("closed retention", closedRetention);
        if (maxClosedRemembered < 0) {
            throw new IllegalArgumentException("max closed remembered must be >= 0, got " + maxClosedRemembered);
        }
        if (maxHopsPerTrace < 1) {
            throw new IllegalArgumentException("max hops per trace must be >= 1, got " + maxHopsPerTrace);
        }
        if (maxOpenTraces < 1) {
            throw new IllegalArgumentException("max open traces must be >= 1, got " + maxOpenTraces);
        }
    }

    public static AssemblerSettings defaults() {
        return new AssemblerSettings(DEFAULT_OPEN_TIMEOUT, DEFAULT_CLOSED_RETENTION, DEFAULT_MAX_CLOSED_REMEMBERED,
                DEFAULT_MAX_HOPS_PER_TRACE, DEFAULT_MAX_OPEN_TRACES);
    }

    public AssemblerSettings withOpenTimeout(Duration timeout) {
        return new AssemblerSettings(timeout, closedRetention, maxClosedRemembered, maxHopsPerTrace, maxOpenTraces);
    }

    public AssemblerSettings withClosedRetention(Duration retention, int maxRemembered) {
        return new AssemblerSettings(openTimeout, retention, maxRemembered, maxHopsPerTrace, maxOpenTraces);
    }

    public AssemblerSettings withMaxHopsPerTrace(int max) {
        return new AssemblerSettings(openTimeout, closedRetention, maxClosedRemembered, max, maxOpenTraces);
    }

    public AssemblerSettings withMaxOpenTraces(int max) {
        return new AssemblerSettings(openTimeout, closedRetention, maxClosedRemembered, maxHopsPerTrace, max);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
