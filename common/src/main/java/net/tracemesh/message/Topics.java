package net.tracemesh.message;

import java.util.List;

/**
 * The Kafka topics of the platform, relative to a configurable prefix ({@code tracemesh.} by default).
 * Agents write hops, trace completions, pings, heartbeats and errors; the central side writes
 * measurement definitions (a compacted topic, keyed by measurement id) and reads everything else.
 */
public final class Topics {
    public static final String DEFAULT_PREFIX = "tracemesh.";

    /** One message per reply of a trace ({@link HopMessage}), keyed by agent and destination. */
    public static final String HOPS = "hops";
    /** One message per finished trace ({@link TraceCompletionMessage}), same key as its hops. */
    public static final String TRACES = "traces";
    /** One message per ping run ({@link PingMessage}), keyed by agent and destination. */
    public static final String PINGS = "pings";
    /** Agent status every heartbeat interval ({@link HeartbeatMessage}), keyed by agent id. */
    public static final String HEARTBEATS = "heartbeats";
    /** Measurement definitions, compacted, keyed by measurement id; an empty value deletes. */
    public static final String MEASUREMENTS = "measurements";
    /** Refused definitions and failed work ({@link AgentErrorMessage}), keyed by agent id. */
    public static final String ERRORS = "errors";
    /** Records the collector could not use, with the reason in a header (written by the collector). */
    public static final String DEAD_LETTER = "dead-letter";

    /** Every topic with its partitions for a single broker and whether it is compacted. */
    public static final List<Spec> ALL = List.of(
            new Spec(HOPS, 6, false),
            new Spec(TRACES, 6, false),
            new Spec(PINGS, 3, false),
            new Spec(HEARTBEATS, 1, false),
            new Spec(MEASUREMENTS, 1, true),
            new Spec(ERRORS, 1, false));

    private Topics() {
    }

    /** A topic's name relative to the prefix, its default partition count, and whether it is compacted. */
    public record Spec(String name, int partitions, boolean compacted) {
        public String fullName(String prefix) {
            return prefix + name;
        }
    }

    /** Key of messages about one path: one agent's records toward one destination stay in one partition. */
    public static String pathKey(String agentId, String destination) {
        return agentId + "|" + destination;
    }
}
