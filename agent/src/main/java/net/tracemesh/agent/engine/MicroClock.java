package net.tracemesh.agent.engine;

import java.time.Instant;

/**
 * Wall-clock microseconds (the clock of pcap's capture timestamps) read cheaply: the monotonic clock plus an
 * offset to the wall clock, re-measured once a second, so the hot send path allocates nothing.
 *
 * <p>The offset is measured by reading the wall clock between two monotonic readings and taking the
 * midpoint, keeping the tightest of a few tries: an offset read late would make every send time late and
 * round-trip times too short. Owned by one thread.
 */
final class MicroClock {
    private static final long RECALIBRATE_NANOS = 1_000_000_000L;
    private static final int WARM_UP_READS = 16;
    private static final int CALIBRATION_TRIES = 5;

    private long baseNanos;
    private long baseMicros;

    MicroClock() {
        for (int i = 0; i < WARM_UP_READS; i++) {
            Instant.now();
            System.nanoTime();
        }
        calibrate();
    }

    long nowMicros() {
        long now = System.nanoTime();
        if (now - baseNanos >= RECALIBRATE_NANOS) {
            calibrate();
            now = System.nanoTime();
        }
        return baseMicros + Math.floorDiv(now - baseNanos, 1_000L);
    }

    private void calibrate() {
        long bestWindow = Long.MAX_VALUE;
        for (int i = 0; i < CALIBRATION_TRIES; i++) {
            long before = System.nanoTime();
            Instant wall = Instant.now();
            long after = System.nanoTime();
            long window = after - before;
            if (window < bestWindow) {
                bestWindow = window;
                baseNanos = before + window / 2;
                baseMicros = wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1_000;
            }
        }
    }
}
