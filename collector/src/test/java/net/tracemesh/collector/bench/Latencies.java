package net.tracemesh.collector.bench;

import java.util.Arrays;

/**
 * A growable list of durations in nanoseconds and their order statistics (nearest-rank percentiles). Not
 * thread-safe.
 */
final class Latencies {
    private static final int INITIAL_CAPACITY = 1024;
    private static final double NANOS_PER_MILLI = 1e6;

    private long[] values = new long[INITIAL_CAPACITY];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int count() {
        return size;
    }

    /** The {@code p}-th percentile (0 < p <= 100) in milliseconds, NaN when empty. */
    double percentileMillis(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * size);
        return sorted[Math.max(rank, 1) - 1] / NANOS_PER_MILLI;
    }

    double maxMillis() {
        return size == 0 ? Double.NaN : Arrays.stream(values, 0, size).max().getAsLong() / NANOS_PER_MILLI;
    }

    double meanMillis() {
        return size == 0 ? Double.NaN : Arrays.stream(values, 0, size).average().orElse(0) / NANOS_PER_MILLI;
    }
}
