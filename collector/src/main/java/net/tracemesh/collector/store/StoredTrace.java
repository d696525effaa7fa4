package net.tracemesh.collector.store;

import java.time.Instant;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.Closure;
import net.tracemesh.collector.assemble.TraceEnding;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.measurement.MeasurementMethod;

/**
 * A trace as a batch keeps it until the store writes its row: everything of the {@link AssembledTrace} but its hop
 * records, which are kept only as the row stores them ({@link HopsCodec}). A batch holds tens of thousands of traces
 * for tens of seconds, and their hop records as objects were a third of the collector's heap (each one copied by
 * every young collection until it was promoted).
 *
 * @param hopRecords how many hop records the trace has
 * @param hops       the hop records, encoded by {@link HopsCodec}
 */
record StoredTrace(String agentId, String measurementId, Instant roundStart, String traceId,
                   MeasurementMethod method, String src, String dst, Integer sport, Integer dport, Instant start,
                   TraceEnding ending, Closure closure, Instant closedAt, int hopRecords, byte[] hops) {
    static StoredTrace of(AssembledTrace t) {
        return new StoredTrace(t.agentId(), t.measurementId(), t.roundStart(), t.traceId(), t.method(), t.src(),
                t.dst(), t.sport(), t.dport(), t.start(), t.ending(), t.closure(), t.closedAt(), t.hops().size(),
                HopsCodec.encode(t.hops()));
    }

    /** The trace as it was assembled, its hop records decoded again. */
    AssembledTrace assembled() {
        return new AssembledTrace(agentId, measurementId, roundStart, traceId, method, src, dst, sport, dport, start,
                ending, HopsCodec.decode(hops), closure, closedAt);
    }

    TraceKey key() {
        return new TraceKey(agentId, traceId);
    }

    RouteKey routeKey() {
        return new RouteKey(agentId, dst, method);
    }

    /** Whether the completion and every hop it announced arrived ({@link AssembledTrace#complete}). */
    boolean complete() {
        return closure == Closure.COMPLETE;
    }
}
