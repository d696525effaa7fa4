package net.tracemesh.web.agents;

import java.util.Objects;
import net.tracemesh.message.HeartbeatMessage;

/**
 * What the web knows about one agent: its latest heartbeat and whether that heartbeat is recent enough for the
 * agent to count as online.
 */
public record AgentStatus(HeartbeatMessage heartbeat, boolean online) {
    public AgentStatus {
        Objects.requireNonNull(heartbeat, "heartbeat");
    }

    public String agentId() {
        return heartbeat.agentId();
    }
}
