package net.tracemesh.collector.config;

import java.time.Duration;

/**
 * How long the collector keeps raw hop records ({@code retention:} in collector.yaml). The graph and the route
 * history summarise the hops and stay; only the per-trace hop records (and the address index built from them)
 * of traces started longer ago than {@code hopMaxAge} are dropped, every {@code pruneInterval}.
 *
 * @param hopMaxAge     raw hop records of traces started longer ago than this are dropped, 1h..100000d [14d]
 * @param pruneInterval how often old hop records are looked for, 1s..hop-max-age [1h]
 */
public record RetentionConfig(Duration hopMaxAge, Duration pruneInterval) {
    public static final Duration DEFAULT_HOP_MAX_AGE = Duration.ofDays(14);
    public static final Duration DEFAULT_PRUNE_INTERVAL = Duration.ofHours(1);
    public static final Duration MIN_HOP_MAX_AGE = Duration.ofHours(1);
    public static final Duration MAX_HOP_MAX_AGE = Duration.ofDays(100_000);
    public static final Duration MIN_PRUNE_INTERVAL = Duration.ofSeconds(1);

    public RetentionConfig {
        if (hopMaxAge == null || hopMaxAge.compareTo(MIN_HOP_MAX_AGE) < 0
                || hopMaxAge.compareTo(MAX_HOP_MAX_AGE) > 0) {
            throw new IllegalArgumentException("retention.hop-max-age: must be " + DurationText.format(MIN_HOP_MAX_AGE)
                    + ".." + DurationText.format(MAX_HOP_MAX_AGE) + ", got " + shown(hopMaxAge));
        }
        if (pruneInterval == null || pruneInterval.compareTo(MIN_PRUNE_INTERVAL) < 0
                || pruneInterval.compareTo(hopMaxAge) > 0) {
            throw new IllegalArgumentException("retention.prune-interval: must be "
                    + DurationText.format(MIN_PRUNE_INTERVAL) + " up to retention.hop-max-age ("
                    + DurationText.format(hopMaxAge) + "), got " + shown(pruneInterval));
        }
    }

    public static RetentionConfig defaults() {
        return new RetentionConfig(DEFAULT_HOP_MAX_AGE, DEFAULT_PRUNE_INTERVAL);
    }

    private static String shown(Duration d) {
        return d == null ? "nothing" : DurationText.format(d);
    }
}
