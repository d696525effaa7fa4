package net.tracemesh.collector.history;

import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.measurement.MeasurementMethod;

/** What a route history is kept for: one vantage point, one destination, one trace method. */
public record RouteKey(String agentId, String destination, MeasurementMethod method) {
    public RouteKey {
        if (agentId == null || agentId.isEmpty() || destination == null || destination.isEmpty()) {
            throw new IllegalArgumentException("a route key has an agent and a destination");
        }
        if (method == null || !method.isTrace()) {
            throw new IllegalArgumentException("a route key has a trace method, got " + method);
        }
    }

    public static RouteKey of(AssembledTrace trace) {
        return new RouteKey(trace.agentId(), trace.dst(), trace.method());
    }

    @Override
    public String toString() {
        return agentId + " -> " + destination + " (" + method.wireName() + ")";
    }
}
