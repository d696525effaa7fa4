package net.tracemesh.agent.engine;

import java.time.Instant;

/**
 * Wall-clock microseconds (the clock of pcap's capture timestamps) read cheaply: the monotonic clock plus an
 * offset re-read from the wall clock once a second, so the hot send path allocates nothing.
 * Owned by one thread.
 */
final class MicroClock {
    private static final long RECALIBRATE_NANOS = 1_000_000_000L;

    private long baseNanos;
    private long baseMicros;

    MicroClock() {
        calibrate(System.nanoTime());
    }

    long nowMicros() {
        long now = System.nanoTime();
        if (now - baseNanos >= RECALIBRATE_NANOS) {
            calibrate(now);
        }
        return baseMicros + (now - baseNanos) / 1_000;
    }

    private void calibrate(long nanos) {
        Instant wall = Instant.now();
        baseNanos = nanos;
        baseMicros = wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1_000;
    }
}
