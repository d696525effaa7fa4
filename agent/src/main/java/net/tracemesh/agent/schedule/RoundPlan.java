package net.tracemesh.agent.schedule;

import java.time.Instant;
import java.util.Objects;
import net.tracemesh.measurement.MeasurementDefinition;

/**
 * One round of a measurement: every target probed once.
 *
 * @param definition the measurement
 * @param targets    its targets, expanded and checked against the agent's safety policy
 * @param roundStart when the round started (with agent and measurement id, identifies the round)
 */
public record RoundPlan(MeasurementDefinition definition, int[] targets, Instant roundStart) {
    public RoundPlan {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(roundStart, "round start");
    }

    /** The round as a number for the spool: milliseconds since the epoch of its start. */
    public long roundNumber() {
        return roundStart.toEpochMilli();
    }
}
