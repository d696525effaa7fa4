package net.tracemesh.agent.config;

import java.time.Duration;

/**
 * How often the agent reports its status ({@code heartbeat:} in agent.yaml).
 *
 * @param interval time between heartbeats, 1..3600 s [30 s]
 */
public record HeartbeatConfig(Duration interval) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);

    public HeartbeatConfig {
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0
                || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("heartbeat.interval-s: must be 1.." + MAX_INTERVAL.toSeconds()
                    + ", got " + (interval == null ? null : interval.toSeconds()));
        }
    }
}
