package net.tracemesh.collector.config;

import java.time.Duration;
import net.tracemesh.collector.assemble.AssemblerSettings;

/**
 * Limits of the trace assembler ({@code assembler:} in collector.yaml), which holds a trace's hop records until
 * its completion arrives; they bound the collector's memory whatever arrives. See {@link AssemblerSettings}.
 *
 * @param openTimeout         a trace open this long without its completion is stored as it is, 1s..7d [10m]
 * @param closedRetention     how long a stored trace is remembered so that late copies of its messages are
 *                            dropped, 1s..7d [1h]
 * @param maxClosedRemembered at most this many stored traces are remembered, 0..100000000 [1000000]
 * @param maxHopsPerTrace     more hop records of one trace are dropped and counted, 1..1000000 [4096]
 * @param maxOpenTraces       opening one more stores the oldest open trace early, 1..100000000 [200000]
 */
public record AssemblerConfig(Duration openTimeout, Duration closedRetention, int maxClosedRemembered,
                              int maxHopsPerTrace, int maxOpenTraces) {
    public static final Duration MIN_TIME = Duration.ofSeconds(1);
    public static final Duration MAX_TIME = Duration.ofDays(7);
    public static final int MAX_REMEMBERED = 100_000_000;
    public static final int MAX_HOPS = 1_000_000;
    public static final int MAX_OPEN = 100_000_000;

    public AssemblerConfig {
        requireTime("assembler.open-timeout", openTimeout);
        requireTime("assembler.closed-retention", closedRetention);
        requireRange("assembler.max-closed-remembered", maxClosedRemembered, 0, MAX_REMEMBERED);
        requireRange("assembler.max-hops-per-trace", maxHopsPerTrace, 1, MAX_HOPS);
        requireRange("assembler.max-open-traces", maxOpenTraces, 1, MAX_OPEN);
    }

    /** The assembler's own defaults. */
    public static AssemblerConfig defaults() {
        AssemblerSettings d = AssemblerSettings.defaults();
        return new AssemblerConfig(d.openTimeout(), d.closedRetention(), d.maxClosedRemembered(), d.maxHopsPerTrace(),
                d.maxOpenTraces());
    }

    /** These limits as the assembler takes them. */
    public AssemblerSettings settings() {
        return new AssemblerSettings(openTimeout, closedRetention, maxClosedRemembered, maxHopsPerTrace,
                maxOpenTraces);
    }

    private static void requireTime(String path, Duration d) {
        if (d == null || d.compareTo(MIN_TIME) < 0 || d.compareTo(MAX_TIME) > 0) {
            throw new IllegalArgumentException(path + ": must be " + DurationText.format(MIN_TIME) + ".."
                    + DurationText.format(MAX_TIME) + ", got " + (d == null ? "nothing" : DurationText.format(d)));
        }
    }

    private static void requireRange(String path, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(path + ": must be " + min + ".." + max + ", got " + value);
        }
    }
}
