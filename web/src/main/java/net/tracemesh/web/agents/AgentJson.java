package net.tracemesh.web.agents;

import java.time.Instant;
import java.util.List;
import net.tracemesh.message.HeartbeatMessage;

/**
 * One agent as the API shows it (snake_case in JSON): its latest heartbeat flattened, with {@code online} and
 * {@code last_heartbeat} (the heartbeat's time). {@code problem} is left out when raw capture works.
 */
public record AgentJson(String agentId, String site, String version, boolean online, Instant lastHeartbeat,
                        Instant started, List<String> addresses, List<String> methods, boolean rawCapture,
                        String problem, double probeRate, List<String> measurements,
                        HeartbeatMessage.Counters counters) {
    public static AgentJson of(AgentStatus status) {
        HeartbeatMessage h = status.heartbeat();
        return new AgentJson(h.agentId(), h.site(), h.version(), status.online(), h.time(), h.started(),
                h.addresses(), h.capabilities().methods(), h.capabilities().rawCapture(), h.capabilities().problem(),
                h.probeRate(), h.measurements(), h.counters());
    }

    /** The body of {@code GET /api/v1/agents}. */
    public record AgentList(List<AgentJson> agents) {
    }
}
