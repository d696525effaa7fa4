package net.tracemesh.collector.assemble;

import net.tracemesh.collector.KeyHash;

/**
 * Identifies one trace: the agent that ran it and the trace id the agent gave it. Trace ids are unique per agent
 * (the agent's run nonce and a counter), so the pair is unique across the platform.
 */
public record TraceKey(String agentId, String traceId) {
    public TraceKey {
        if (agentId == null || agentId.isEmpty()) {
            throw new IllegalArgumentException("agent id is missing");
        }
        if (traceId == null || traceId.isEmpty()) {
            throw new IllegalArgumentException("trace id is missing");
        }
    }

    /** Written out: a record's generated {@code equals} goes through method handles, and this one runs per map probe. */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof TraceKey k && agentId.equals(k.agentId) && traceId.equals(k.traceId);
    }

    @Override
    public int hashCode() {
        return KeyHash.combine(agentId.hashCode(), traceId.hashCode());
    }

    @Override
    public String toString() {
        return agentId + "/" + traceId;
    }
}
