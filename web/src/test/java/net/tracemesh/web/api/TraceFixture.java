package net.tracemesh.web.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.Closure;
import net.tracemesh.collector.assemble.TraceEnding;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.StopReason;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.TimeExceededCode;
import net.tracemesh.wire.icmp.UnreachableCode;

/**
 * Builds complete udp-paris traces as the collector assembles them, TTL by TTL:
 * {@code TraceFixture.trace("fra1", "198.18.9.9", "f-1", t).hop("198.18.0.1").silent().destination().build()}.
 * Every TTL gets {@value #PROBES} probes answered by the same address; RTTs are {@code ttl + probe / 10} ms unless
 * given (then every probe of that TTL has it).
 */
final class TraceFixture {
    static final String SRC = "198.18.0.100";
    static final String MEASUREMENT = "m1";
    private static final int PROBES = 3;
    private static final int MAX_TTL = 30;
    private static final int PROBE_SIZE = 60;
    private static final int REPLY_TTL = 64;
    private static final int SPORT = 40000;
    private static final int DPORT = 33434;

    /** What answered one TTL: an address and an RTT for every probe (null RTT: the default), or nobody. */
    private record Answer(String address, Double rttMs, boolean destination) {
    }

    private final String agent;
    private final String dst;
    private final String traceId;
    private final Instant start;
    private final List<Answer> ttls = new ArrayList<>();

    private TraceFixture(String agent, String dst, String traceId, Instant start) {
        this.agent = agent;
        this.dst = dst;
        this.traceId = traceId;
        this.start = start;
    }

    static TraceFixture trace(String agent, String dst, String traceId, Instant start) {
        return new TraceFixture(agent, dst, traceId, start);
    }

    TraceFixture hop(String address) {
        ttls.add(new Answer(address, null, false));
        return this;
    }

    TraceFixture hop(String address, double rttMs) {
        ttls.add(new Answer(address, rttMs, false));
        return this;
    }

    TraceFixture silent() {
        ttls.add(null);
        return this;
    }

    /** The destination answers the next TTL with port unreachable; the trace completes there. */
    TraceFixture destination() {
        ttls.add(new Answer(dst, null, true));
        return this;
    }

    TraceFixture destination(double rttMs) {
        ttls.add(new Answer(dst, rttMs, true));
        return this;
    }

    AssembledTrace build() {
        List<HopRecord> hops = new ArrayList<>();
        for (int i = 0; i < ttls.size(); i++) {
            Answer a = ttls.get(i);
            if (a == null) {
                continue;
            }
            int ttl = i + 1;
            for (int probe = 0; probe < PROBES; probe++) {
                double rtt = a.rttMs() != null ? a.rttMs() : ttl + probe / 10.0;
                hops.add(a.destination()
                        ? new HopRecord(ttl, a.address(), rtt, IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.PORT,
                                REPLY_TTL, probe, null, null, null)
                        : new HopRecord(ttl, a.address(), rtt, IcmpType.TIME_EXCEEDED,
                                TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT, REPLY_TTL, probe, null, null, null));
            }
        }
        boolean completed = !ttls.isEmpty() && ttls.get(ttls.size() - 1) != null
                && ttls.get(ttls.size() - 1).destination();
        int stopTtl = ttls.size();
        TraceEnding ending = new TraceEnding(start.plus(Duration.ofSeconds(1)), 1, completed ? MAX_TTL : stopTtl,
                PROBES, PROBE_SIZE, completed ? StopReason.COMPLETED : StopReason.MAX_TTL, null, stopTtl,
                stopTtl * PROBES, null, hops.size());
        return new AssembledTrace(agent, MEASUREMENT, start, traceId, MeasurementMethod.UDP_PARIS, SRC, dst, SPORT,
                DPORT, start, ending, hops, Closure.COMPLETE, start.plus(Duration.ofSeconds(2)));
    }
}
