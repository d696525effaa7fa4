package net.tracemesh.collector.assemble;

import java.time.Instant;
import java.util.Objects;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.TraceCompletionMessage;

/** The fields every message of one trace repeats: they must agree. */
record Envelope(String agentId, String measurementId, Instant roundStart, String traceId, MeasurementMethod method,
                String src, String dst, Integer sport, Integer dport, Instant start) {

    static Envelope of(HopMessage m, MeasurementMethod method) {
        return new Envelope(m.agentId(), m.measurementId(), m.roundStart(), m.traceId(), method, m.src(), m.dst(),
                m.sport(), m.dport(), m.traceStart());
    }

    static Envelope of(TraceCompletionMessage m, MeasurementMethod method) {
        return new Envelope(m.agentId(), m.measurementId(), m.roundStart(), m.traceId(), method, m.src(), m.dst(),
                m.sport(), m.dport(), m.start());
    }

    /** The first field in which {@code other} differs from this, described for a rejection; null if none. */
    String difference(Envelope other) {
        if (!measurementId.equals(other.measurementId)) {
            return describe("measurement_id", measurementId, other.measurementId);
        }
        if (!roundStart.equals(other.roundStart)) {
            return describe("round_start", roundStart, other.roundStart);
        }
        if (method != other.method) {
            return describe("method", method.wireName(), other.method.wireName());
        }
        if (!src.equals(other.src)) {
            return describe("src", src, other.src);
        }
        if (!dst.equals(other.dst)) {
            return describe("dst", dst, other.dst);
        }
        if (!Objects.equals(sport, other.sport)) {
            return describe("sport", sport, other.sport);
        }
        if (!Objects.equals(dport, other.dport)) {
            return describe("dport", dport, other.dport);
        }
        if (!start.equals(other.start)) {
            return describe("trace start", start, other.start);
        }
        return null;
    }

    private String describe(String field, Object held, Object got) {
        return "trace " + agentId + "/" + traceId + " has " + field + " " + held + " but this message says " + got;
    }
}
