package net.tracemesh.collector.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.record.StopReason;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.TimeExceededCode;
import net.tracemesh.wire.icmp.UnreachableCode;

/**
 * Runs one synthetic trace over the {@link SyntheticTopology} the way the agent's trace engine reports it, and
 * returns the messages the agent would publish: one {@link HopMessage} per reply (record id
 * {@code trace/ttl/probe}) and the {@link TraceCompletionMessage}.
 *
 * <p>The trace uses the agent's defaults (first TTL 1, max TTL 30, gap limit 5, one retry of unanswered probes,
 * wait 2 s) with the measurement's method and probes per hop. Paris methods keep one flow (the agent's tag as
 * source port or ICMP identifier), so every probe follows one path; classic udp raises the destination port with
 * every probe sent, so each probe is hashed as its own flow. A probe gets no reply when its router never answers or
 * when it is lost (1%). Destinations: most answer (echo reply, port unreachable, or SYN-ACK by method), 13% never
 * answer (the trace ends at the gap limit), 2% are behind an edge that answers host unreachable. RTTs are twice the
 * path's one-way delay plus exponential jitter with rare spikes. Not thread-safe (one random source).
 */
final class TraceGenerator {
    static final int FIRST_TTL = 1;
    static final int MAX_TTL = 30;
    static final int GAP_LIMIT = 5;
    static final int RETRIES = 1;
    static final int WAIT_MS = 2_000;
    static final int PROBE_SIZE = 60;

    private static final double PROBE_LOSS = 0.01;
    private static final double SILENT_DESTINATION_SHARE = 0.13;
    private static final double UNREACHABLE_DESTINATION_SHARE = 0.02;
    private static final double JITTER_MEAN_MS = 0.15;
    private static final double SPIKE_SHARE = 0.01;
    private static final double SPIKE_MAX_MS = 25;
    private static final double MICROS_PER_MS = 1_000;
    private static final String SYN_ACK = "SA";
    private static final long SALT_DESTINATION = 101;

    private final SyntheticTopology topology;
    private final long seed;
    private final SplittableRandom random;
    private final Map<Integer, String> dotted = new HashMap<>();

    TraceGenerator(SyntheticTopology topology, long seed) {
        this.topology = topology;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /**
     * One trace of {@code agent} for {@code task} in round {@code round}.
     *
     * @param traceStart when the trace starts (simulated time)
     * @param traceId    the id the agent gives the trace
     */
    SyntheticTrace trace(Workload.Agent agent, Workload.Task task, int round, Instant traceStart, String traceId) {
        Workload.Measurement m = task.measurement();
        MeasurementMethod method = m.method();
        int src = topology.agentAddress(agent.site());
        int dst = topology.destination(task.destination());
        String srcText = text(src);
        String dstText = text(dst);
        boolean icmp = method == MeasurementMethod.ICMP_PARIS;
        Integer sport = icmp ? null : agent.tag();
        Integer dport = icmp ? null : m.port();
        long destinationKind = FlowHash.of(seed, SALT_DESTINATION, dst);
        boolean unreachable = FlowHash.chance(destinationKind, UNREACHABLE_DESTINATION_SHARE);
        boolean silentDestination = !unreachable
                && FlowHash.chance(FlowHash.mix(destinationKind), SILENT_DESTINATION_SHARE);
        long parisFlow = FlowHash.of(src, dst, method.ordinal(), agent.tag(), dport == null ? 0 : dport);
        NetworkPath parisPath = method == MeasurementMethod.UDP ? null
                : topology.path(agent.site(), task.destination(), parisFlow, round);
        Instant roundStart = Workload.roundStart(round);
        String methodName = method.wireName();

        List<HopMessage> hops = new ArrayList<>();
        int probes = m.probesPerHop();
        int probesSent = 0;
        int silentRun = 0;
        double maxRtt = 0;
        StopReason stop = null;
        Integer stopCode = null;
        int ttl = FIRST_TTL;
        for (; ttl <= MAX_TTL; ttl++) {
            int answered = 0;
            boolean reachedDestination = false;
            for (int probe = 0; probe < probes; probe++) {
                NetworkPath path = parisPath != null ? parisPath
                        : topology.path(agent.site(), task.destination(),
                                FlowHash.of(src, dst, agent.tag(), m.port() + probesSent), round);
                probesSent++;
                HopRecord reply = reply(path, ttl, probe, method, unreachable, silentDestination);
                if (reply == null) {
                    continue;
                }
                answered++;
                maxRtt = Math.max(maxRtt, reply.rttMs());
                hops.add(new HopMessage(HopMessage.TYPE, MessageJson.SCHEMA_VERSION,
                        HopMessage.recordId(traceId, ttl, probe), agent.id(), m.id(), roundStart, traceId, methodName,
                        srcText, dstText, sport, dport, traceStart, reply));
                if (ttl >= path.length()) {
                    reachedDestination = true;
                    if (unreachable) {
                        stopCode = reply.icmpCode();
                    }
                }
            }
            probesSent += (probes - answered) * RETRIES;
            silentRun = answered == 0 ? silentRun + 1 : 0;
            if (reachedDestination) {
                stop = unreachable ? StopReason.UNREACHABLE : StopReason.COMPLETED;
                break;
            }
            if (silentRun >= GAP_LIMIT) {
                stop = StopReason.GAP_LIMIT;
                break;
            }
        }
        if (stop == null) {
            stop = StopReason.MAX_TTL;
            ttl = MAX_TTL;
        }
        long durationMicros = Math.round(maxRtt * MICROS_PER_MS) + (silentRun > 0 || hops.isEmpty() ? WAIT_MS * 1_000L
                : 0);
        Instant end = traceStart.plusNanos(durationMicros * 1_000);
        TraceCompletionMessage completion = new TraceCompletionMessage(TraceCompletionMessage.TYPE,
                MessageJson.SCHEMA_VERSION, TraceCompletionMessage.recordId(traceId), agent.id(), m.id(), roundStart,
                traceId, methodName, srcText, dstText, sport, dport, traceStart, end, FIRST_TTL, MAX_TTL, probes,
                PROBE_SIZE, stop, stopCode, ttl, probesSent, null, hops.size());
        return new SyntheticTrace(Topics.pathKey(agent.id(), dstText), hops, completion);
    }

    /** The reply to one probe with TTL {@code ttl} along {@code path}, or null when none comes back. */
    private HopRecord reply(NetworkPath path, int ttl, int probe, MeasurementMethod method, boolean unreachable,
                            boolean silentDestination) {
        if (random.nextDouble() < PROBE_LOSS) {
            return null;
        }
        int last = path.length();
        if (ttl >= last) {
            if (silentDestination) {
                return null;
            }
            if (unreachable) {
                int edge = path.addressAt(last - 1);
                return hop(ttl, last - 1, edge, path.oneWayMicrosAt(last - 1), IcmpType.DESTINATION_UNREACHABLE,
                        UnreachableCode.HOST, topology.initialTtl(edge), probe, null, null);
            }
            int dst = path.addressAt(last);
            int micros = path.oneWayMicrosAt(last);
            int initial = SyntheticTopology.HOST_INITIAL_TTL;
            return switch (method) {
                case ICMP_PARIS -> hop(ttl, last, dst, micros, IcmpType.ECHO_REPLY, 0, initial, probe, null, null);
                case UDP, UDP_PARIS -> hop(ttl, last, dst, micros, IcmpType.DESTINATION_UNREACHABLE,
                        UnreachableCode.PORT, initial, probe, null, null);
                case TCP -> hop(ttl, last, dst, micros, null, null, initial, probe, null, SYN_ACK);
                case PING -> throw new IllegalStateException("ping is not a trace method");
            };
        }
        int router = path.addressAt(ttl);
        if (topology.silent(router)) {
            return null;
        }
        return hop(ttl, ttl, router, path.oneWayMicrosAt(ttl), IcmpType.TIME_EXCEEDED,
                TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT, topology.initialTtl(router), probe, path.mplsAt(ttl), null);
    }

    /**
     * A reply from {@code address}, which sits at path position {@code position} (its reply crosses
     * {@code position - 1} routers back, each lowering its TTL).
     */
    private HopRecord hop(int ttl, int position, int address, int oneWayMicros, Integer icmpType, Integer icmpCode,
                          int initialTtl, int probe, List<MplsLabel> mpls, String tcpFlags) {
        double rtt = 2 * oneWayMicros / MICROS_PER_MS + jitterMs();
        double rounded = Math.round(rtt * MICROS_PER_MS) / MICROS_PER_MS;
        int replyTtl = Math.max(1, initialTtl - (position - 1));
        return new HopRecord(ttl, text(address), rounded, icmpType, icmpCode, replyTtl, probe, null, mpls, tcpFlags);
    }

    private double jitterMs() {
        double jitter = -Math.log(1 - random.nextDouble()) * JITTER_MEAN_MS;
        if (random.nextDouble() < SPIKE_SHARE) {
            jitter += random.nextDouble() * SPIKE_MAX_MS;
        }
        return jitter;
    }

    private String text(int address) {
        return dotted.computeIfAbsent(address, Ipv4Address::format);
    }
}
