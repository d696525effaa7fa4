package net.tracemesh.agent.daemon;

/** The agent software's version, reported in heartbeats and by {@code agent version}. */
public final class AgentVersion {
    public static final String NUMBER = "0.1.0";

    private AgentVersion() {
    }
}
