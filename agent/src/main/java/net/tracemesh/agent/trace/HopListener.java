package net.tracemesh.agent.trace;

import java.util.List;
import net.tracemesh.record.HopRecord;

/**
 * Told about each TTL of a trace as soon as it is settled (all its probes answered or given up), in TTL
 * order, before the trace's result; TTLs without any reply are not reported. Called on the prober thread.
 */
@FunctionalInterface
public interface HopListener {
    HopListener NONE = (task, ttl, replies) -> { };

    /**
     * @param task    the trace (its {@link TraceTask#source()} and destination identify the path)
     * @param ttl     the settled TTL
     * @param replies its replies, ordered by probe
     */
    void hopSettled(TraceTask task, int ttl, List<HopRecord> replies);
}
