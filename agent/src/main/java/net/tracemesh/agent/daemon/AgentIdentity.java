package net.tracemesh.agent.daemon;

import java.time.Instant;
import java.util.Objects;

/**
 * Who this agent is.
 *
 * @param id       stable agent id (configured, or generated once and kept in the data directory)
 * @param site     human label of its site (city, data centre)
 * @param version  software version
 * @param started  when this process started
 * @param runNonce random hex string of this process's run, prefixed to the ids of what it measures so ids
 *                 never repeat across restarts
 */
public record AgentIdentity(String id, String site, String version, Instant started, String runNonce) {
    public AgentIdentity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(runNonce, "run nonce");
    }
}
