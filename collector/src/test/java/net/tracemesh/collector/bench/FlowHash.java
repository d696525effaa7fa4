package net.tracemesh.collector.bench;

/**
 * Deterministic 64-bit mixing used by the synthetic network for every "random" but reproducible choice: which
 * branch of an equal-cost split a flow takes, which routers never answer, which links are down in a round. The
 * same inputs always give the same value, so a benchmark run with the same seed produces the same stream.
 */
final class FlowHash {
    /** Golden-ratio increment of the SplitMix64 sequence. */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final long MIX_1 = 0xBF58476D1CE4E5B9L;
    private static final long MIX_2 = 0x94D049BB133111EBL;
    /** Resolution of {@link #chance}: probabilities are compared in millionths. */
    private static final int CHANCE_SCALE = 1_000_000;

    private FlowHash() {
    }

    /** The SplitMix64 finaliser of {@code z}: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * MIX_1;
        z = (z ^ (z >>> 27)) * MIX_2;
        return z ^ (z >>> 31);
    }

    /** A hash of several values, order-sensitive. */
    static long of(long... values) {
        long h = GAMMA;
        for (long v : values) {
            h = mix(h + GAMMA + v);
        }
        return h;
    }

    /** A value in {@code [0, bound)} taken from {@code hash}; {@code bound} must be positive. */
    static int pick(long hash, int bound) {
        return (int) Math.floorMod(hash, (long) bound);
    }

    /** Whether an event of probability {@code p} (0..1) happens for this hash. */
    static boolean chance(long hash, double p) {
        return pick(hash, CHANCE_SCALE) < p * CHANCE_SCALE;
    }
}
