package net.tracemesh.agent.ratelimit;

/**
 * A token bucket for probes per second: {@code rate} tokens a second, at most {@code burst} saved up.
 * Time is passed in (nanoseconds from any fixed origin), so the bucket is deterministic and testable.
 * Not thread-safe: owned by the sending thread.
 */
public final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double rate;
    private final double burst;
    private double tokens;
    private long lastRefill;

    /**
     * @param rate  tokens per second, more than 0
     * @param burst the most tokens that can be saved up, at least 1
     * @param now   the current time in nanoseconds
     */
    public TokenBucket(double rate, double burst, long now) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive number, got " + rate);
        }
        if (!(burst >= 1)) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        this.rate = rate;
        this.burst = burst;
        this.tokens = 1;
        this.lastRefill = now;
    }

    /** A bucket whose burst is a hundredth of a second's worth of tokens (at least one). */
    public static TokenBucket perSecond(double rate, long now) {
        return new TokenBucket(rate, Math.max(1, rate / 100), now);
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until a token will be available (0 if one is now). */
    public long nanosUntilToken(long now) {
        refill(now);
        if (tokens >= 1) {
            return 0;
        }
        return (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / rate);
    }

    private void refill(long now) {
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * rate / NANOS_PER_SECOND);
            lastRefill = now;
        }
    }

    public double rate() {
        return rate;
    }
}
