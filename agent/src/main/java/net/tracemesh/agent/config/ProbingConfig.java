package net.tracemesh.agent.config;

/**
 * How fast the agent probes ({@code probing:} in agent.yaml).
 *
 * @param rate      probes per second for all measurements together, more than 0, at most 1000000 [100]
 * @param maxActive destinations in flight at once, 1..65536, or 0 for automatic [0]
 */
public record ProbingConfig(double rate, int maxActive) {
    public static final double DEFAULT_RATE = 100;
    public static final double MAX_RATE = 1_000_000;
    public static final int MAX_ACTIVE = 65_536;
    /** Automatic: enough destinations to keep the rate busy through a tenth of a second, within these bounds. */
    public static final int AUTO_MIN_ACTIVE = 16;
    public static final int AUTO_MAX_ACTIVE = 8192;

    public ProbingConfig {
        if (!(rate > 0) || rate > MAX_RATE) {
            throw new IllegalArgumentException("probing.rate: must be more than 0 and at most " + (long) MAX_RATE
                    + " probes per second, got " + rate);
        }
        if (maxActive < 0 || maxActive > MAX_ACTIVE) {
            throw new IllegalArgumentException("probing.max-active: must be 0 (automatic) to " + MAX_ACTIVE + ", got "
                    + maxActive);
        }
    }

    /** {@code maxActive}, or for 0 the automatic figure: rate / 10 within 16..8192 (as the trace command). */
    public int effectiveMaxActive() {
        if (maxActive > 0) {
            return maxActive;
        }
        return (int) Math.max(AUTO_MIN_ACTIVE, Math.min(AUTO_MAX_ACTIVE, rate / 10));
    }
}
