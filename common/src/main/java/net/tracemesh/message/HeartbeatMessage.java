package net.tracemesh.message;

import java.time.Instant;
import java.util.List;

/**
 * An agent's periodic status on the heartbeats topic, keyed by agent id.
 *
 * @param recordId     {@code <agent_id>/<time in ms>}
 * @param site         human label of the agent's site
 * @param version      agent software version
 * @param started      when the agent process started
 * @param time         when this heartbeat was made
 * @param addresses    the addresses it probes from (one per interface with a route)
 * @param capabilities what it can run
 * @param probeRate    its global probe-rate limit in packets per second
 * @param measurements ids of the measurements it runs
 * @param counters     totals since start
 */
public record HeartbeatMessage(String type, int schema, String recordId, String agentId, String site, String version,
                               Instant started, Instant time, List<String> addresses, Capabilities capabilities,
                               double probeRate, List<String> measurements, Counters counters) implements AgentMessage {
    public static final String TYPE = "heartbeat";

    public HeartbeatMessage {
        MessageFields.requireType(TYPE, type);
        MessageFields.requireSchema(schema);
        MessageFields.requireText("record_id", recordId);
        MessageFields.requireId("agent_id", agentId);
        MessageFields.requireNonNull("site", site);
        MessageFields.requireText("version", version);
        MessageFields.requireNonNull("started", started);
        MessageFields.requireNonNull("time", time);
        addresses = List.copyOf(MessageFields.requireNonNull("addresses", addresses));
        MessageFields.requireNonNull("capabilities", capabilities);
        measurements = List.copyOf(MessageFields.requireNonNull("measurements", measurements));
        MessageFields.requireNonNull("counters", counters);
    }

    /**
     * @param methods    probe methods it can run
     * @param rawCapture whether it can send and capture raw packets (false: it measures nothing)
     * @param problem    why raw capture is unavailable, when it is
     */
    public record Capabilities(List<String> methods, boolean rawCapture, String problem) {
        public Capabilities {
            methods = List.copyOf(MessageFields.requireNonNull("methods", methods));
        }
    }

    /**
     * Totals since the agent started.
     *
     * @param spoolPending        messages waiting in the on-disk spool
     * @param spoolBytes          size of the spool on disk
     * @param spoolDroppedRecords messages dropped because the spool was full (oldest rounds first)
     * @param spoolDroppedRounds  rounds that lost messages that way
     */
    public record Counters(long probesSent, long roundsStarted, long roundsSkipped, long tracesCompleted,
                           long tracesFailed, long messagesPublished, long messagesPending, long spoolPending,
                           long spoolBytes, long spoolDroppedRecords, long spoolDroppedRounds,
                           long definitionsRefused) {
    }
}
