package net.tracemesh.web.config;

import java.time.Duration;
import net.tracemesh.web.agents.AgentDirectory;

/**
 * How the web judges agents ({@code agents:} in web.yaml).
 *
 * @param offlineAfter an agent whose last heartbeat is older than this is shown offline [90s]; 5s..1d
 */
public record AgentSettings(Duration offlineAfter) {
    public static final Duration DEFAULT_OFFLINE_AFTER = AgentDirectory.DEFAULT_OFFLINE_AFTER;
    private static final Duration MIN = Duration.ofSeconds(5);
    private static final Duration MAX = Duration.ofDays(1);

    public AgentSettings {
        if (offlineAfter == null || offlineAfter.compareTo(MIN) < 0 || offlineAfter.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("agents.offline-after: must be 5s..1d");
        }
    }

    public static AgentSettings defaults() {
        return new AgentSettings(DEFAULT_OFFLINE_AFTER);
    }
}
