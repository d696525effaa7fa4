package net.tracemesh.collector.assemble;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.HopRecord;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.UnreachableCode;

/**
 * One trace put back together from its hop messages and its completion message.
 *
 * @param agentId       the vantage point
 * @param measurementId the measurement the trace belongs to
 * @param roundStart    start of the measurement round that ran the trace
 * @param traceId       the agent's id of the trace
 * @param method        a trace method (never ping)
 * @param src           source address of the probes
 * @param dst           destination of the trace
 * @param sport         source port (absent for ICMP)
 * @param dport         destination port (absent for ICMP; the first one for classic udp)
 * @param start         when the trace started (from the messages, the agent's clock)
 * @param ending        what the completion said, or null when the trace closed without one
 * @param hops          every distinct reply, sorted by TTL, then probe, then (for the two replies one probe gets with
 *                      path MTU discovery) the fragmentation-needed report first, then RTT
 * @param closure       why the trace was closed
 * @param closedAt      the assembler's time when it closed the trace (not the agent's clock)
 */
public record AssembledTrace(String agentId, String measurementId, Instant roundStart, String traceId,
                             MeasurementMethod method, String src, String dst, Integer sport, Integer dport,
                             Instant start, TraceEnding ending, List<HopRecord> hops, Closure closure,
                             Instant closedAt) {
    /** The order of {@link #hops}: deterministic whatever order the hops arrived in. */
    public static final Comparator<HopRecord> HOP_ORDER = Comparator.comparingInt(HopRecord::ttl)
            .thenComparingInt(HopRecord::probe)
            .thenComparing(h -> h.mtu() == null)
            .thenComparingDouble(HopRecord::rttMs)
            .thenComparing(HopRecord::addr)
            .thenComparing(h -> String.valueOf(h.icmpType()) + "/" + h.icmpCode() + "/" + h.tcpFlags());

    public AssembledTrace {
        new TraceKey(agentId, traceId);
        require("measurement id", measurementId);
        require("round start", roundStart);
        require("method", method);
        require("src", src);
        require("dst", dst);
        require("start", start);
        require("hops", hops);
        require("closure", closure);
        require("closed at", closedAt);
        if (!method.isTrace()) {
            throw new IllegalArgumentException("method " + method.wireName() + " is not a trace method");
        }
        List<HopRecord> sorted = new ArrayList<>(hops);
        sorted.sort(HOP_ORDER);
        hops = List.copyOf(sorted);
        if (closure == Closure.COMPLETE && (ending == null || hops.size() < ending.hopCount())) {
            throw new IllegalArgumentException("a complete trace has its completion and every hop it announced");
        }
    }

    public TraceKey key() {
        return new TraceKey(agentId, traceId);
    }

    /** Whether the completion and every hop it announced arrived. */
    public boolean complete() {
        return closure == Closure.COMPLETE;
    }

    /** The completion's information, if it arrived. */
    public Optional<TraceEnding> endingIfKnown() {
        return Optional.ofNullable(ending);
    }

    /**
     * Whether the flow identifier was the same for every probe (udp-paris, icmp-paris, tcp): then replies at
     * consecutive TTLs lie on one path. Classic udp changes flow with every probe.
     */
    public boolean paris() {
        return method != MeasurementMethod.UDP;
    }

    /** Hops the completion announced that never arrived (0 without a completion). */
    public int missingHops() {
        return ending == null ? 0 : Math.max(0, ending.hopCount() - hops.size());
    }

    /**
     * Whether a hop tells where its probe was: every reply except a fragmentation-needed report, which with path MTU
     * discovery comes from the router where the probe was too big, possibly before the probe's TTL.
     */
    public static boolean isPositional(HopRecord hop) {
        return hop.icmpType() == null || hop.icmpType() != IcmpType.DESTINATION_UNREACHABLE
                || hop.icmpCode() != UnreachableCode.FRAGMENTATION_NEEDED;
    }

    private static void require(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
    }
}
