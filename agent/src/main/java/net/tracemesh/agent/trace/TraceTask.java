package net.tracemesh.agent.trace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.tracemesh.agent.engine.ProbeContext;
import net.tracemesh.agent.engine.ProbeTask;
import net.tracemesh.agent.engine.ResultSink;
import net.tracemesh.agent.probe.DropReason;
import net.tracemesh.agent.probe.ProbeFrames;
import net.tracemesh.agent.probe.ProbeIdentity;
import net.tracemesh.agent.probe.ProbeMethod;
import net.tracemesh.agent.probe.Reply;
import net.tracemesh.agent.probe.ReplyKind;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.record.RecordJson;
import net.tracemesh.record.StopReason;
import net.tracemesh.record.TraceRecord;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.TimeExceededCode;
import net.tracemesh.wire.icmp.UnreachableCode;
import net.tracemesh.wire.tcp.TcpFlags;

/**
 * One trace toward one destination. Up to {@code parallelTtls} TTLs are in flight at once; each TTL gets
 * {@code probesPerHop} probes, each retried after a timeout up to {@code retries} times. TTLs are finalized in
 * order (the frontier); the trace stops at the first finalized TTL that reached the destination or got an
 * unreachable, after {@code gapLimit} silent TTLs in a row, on a loop, or at the maximum TTL. Replies for TTLs
 * beyond a stop are ignored.
 *
 * <p>With path MTU discovery, probes start at the interface MTU with DF set; a fragmentation-needed reply is
 * recorded (with its MTU) and the probe is sent again at the smaller size.
 */
public final class TraceTask extends ProbeTask {
    /** RFC 1191 plateau table, for routers that report no (or a useless) next-hop MTU. */
    private static final Comparator<HopRecord> BY_PROBE = Comparator.comparingInt(HopRecord::probe);
    /** Extra retries for a silent TTL just below where the trace stops, see {@link #retriesFor}. */
    static final int EXTRA_RETRIES_BELOW_STOP = 2;
    private static final int[] MTU_PLATEAUS = {65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

    private final TraceOptions options;
    private final ResultSink<TraceRecord> sink;
    private final HopListener hopListener;
    private final Hop[] hops;
    private Instant start;
    private int nextTtl;
    private int frontier;
    private int horizon = Integer.MAX_VALUE;
    private int gap;
    private int probeSize;
    /** Probe sizes this trace has used (more than one only with path MTU discovery). */
    private final List<Integer> sizesSent = new ArrayList<>(2);
    private Integer pathMtu;
    private int probesSent;
    private int flowChecksum;
    private StopReason stopReason;
    private Integer stopCode;
    private int stopTtl;
    private boolean finished;

    public TraceTask(int destination, TraceOptions options, ResultSink<TraceRecord> sink) {
        this(destination, options, sink, HopListener.NONE);
    }

    /** A trace that also reports each TTL as soon as it is settled. */
    public TraceTask(int destination, TraceOptions options, ResultSink<TraceRecord> sink, HopListener hopListener) {
        super(destination);
        this.options = options;
        this.sink = sink;
        this.hopListener = hopListener;
        this.hops = new Hop[options.maxTtl() - options.firstTtl() + 1];
    }

    @Override
    protected long waitNanos() {
        return options.waitNanos();
    }

    @Override
    protected void start(ProbeContext context) {
        start = Instant.now();
        int mtu = egress().mtu();
        if (options.probeSize() != 0) {
            probeSize = options.probeSize();
        } else if (options.pathMtu()) {
            probeSize = mtu;
        } else {
            probeSize = options.method().defaultSize();
        }
        if (options.pathMtu()) {
            probeSize = Math.max(options.method().minimumSize(), Math.min(probeSize, mtu));
            pathMtu = probeSize;
        }
        sizesSent.add(probeSize);
        flowChecksum = ProbeIdentity.icmpFlowChecksum(tag(), destination(), nonce());
        nextTtl = options.firstTtl();
        frontier = options.firstTtl();
        openMore(context);
    }

    private void openMore(ProbeContext context) {
        while (nextTtl <= options.maxTtl() && nextTtl <= horizon && nextTtl - frontier < options.parallelTtls()) {
            int ttl = nextTtl++;
            hops[ttl - options.firstTtl()] = new Hop(options.probesPerHop());
            for (int i = 0; i < options.probesPerHop(); i++) {
                context.send(this, ProbeIdentity.token(ttl, i, 0));
            }
        }
    }

    private Hop hop(int ttl) {
        int i = ttl - options.firstTtl();
        return i >= 0 && i < hops.length ? hops[i] : null;
    }

    @Override
    protected int writeProbe(int token, byte[] buffer, int linkHeaderLength) {
        int ttl = ProbeIdentity.ttl(token);
        int check = ProbeIdentity.check(tag(), destination(), token, nonce());
        int src = egress().source();
        boolean df = options.pathMtu();
        return switch (options.method()) {
            case UDP -> ProbeFrames.udp(buffer, linkHeaderLength, src, destination(), ttl, df, token, tag(),
                    classicPort(), check, check, probeSize);
            case UDP_PARIS -> ProbeFrames.udp(buffer, linkHeaderLength, src, destination(), ttl, df, token, tag(),
                    options.port(), check, check, probeSize);
            case ICMP_PARIS -> ProbeFrames.icmpEcho(buffer, linkHeaderLength, src, destination(), ttl, df, check,
                    tag(), token, flowChecksum, check, probeSize);
            case TCP -> ProbeFrames.tcpSyn(buffer, linkHeaderLength, src, destination(), ttl, df, token, tag(),
                    options.port(), ProbeIdentity.tcpSequence(token, check), probeSize);
        };
    }

    /** Classic traceroute's destination port for the next probe: port + n, wrapping back to port. */
    private int classicPort() {
        return options.port() + probesSent % (65_536 - options.port());
    }

    @Override
    protected boolean wantsToSend(int token) {
        Hop h = hop(ProbeIdentity.ttl(token));
        return h != null && !h.done && !h.cancelled && ProbeIdentity.ttl(token) <= horizon;
    }

    @Override
    protected void onSent(int token, long sentMicros) {
        probesSent++;
        Hop h = hop(ProbeIdentity.ttl(token));
        if (h != null) {
            h.sentAt[ProbeIdentity.probeIndex(token)] = sentMicros;
        }
    }

    @Override
    protected DropReason onReply(Reply reply, ProbeContext context) {
        reply = withTcpDataAcknowledged(reply);
        DropReason identity = checkIdentity(reply);
        if (identity != null) {
            return identity;
        }
        int token = reply.token();
        int ttl = ProbeIdentity.ttl(token);
        int index = ProbeIdentity.probeIndex(token);
        int attempt = ProbeIdentity.attempt(token);
        Hop h = hop(ttl);
        if (ttl >= nextTtl || h == null || h.done || h.cancelled || attempt != h.attempt[index]) {
            return DropReason.STALE;
        }
        if (h.answered[index]) {
            return DropReason.DUPLICATE;
        }
        double rttMs = Math.max(0, reply.timestampMicros() - h.sentAt[index]) / 1000.0;
        HopRecord record = toHopRecord(reply, ttl, index, rttMs);
        h.replies.add(record);
        if (options.pathMtu() && isFragmentationNeeded(reply)) {
            shrinkProbes(reply.mtu(), reply.probeLength());
            if (attempt < ProbeIdentity.MAX_ATTEMPT) {
                h.attempt[index]++;
                context.send(this, ProbeIdentity.token(ttl, index, attempt + 1));
                return null;
            }
        }
        h.answered[index] = true;
        classify(h, reply);
        if (h.reachedDestination || h.unreachableCode >= 0) {
            limitTo(ttl);
        }
        probeResolved(h, context);
        return null;
    }

    /**
     * A RST answering a SYN that carried data acknowledges the data too (ack = seq + 1 + data): try the data
     * lengths this trace has sent and take the one whose check matches.
     */
    private Reply withTcpDataAcknowledged(Reply reply) {
        if (reply.kind() != ReplyKind.TCP || options.method() != ProbeMethod.TCP) {
            return reply;
        }
        long sequence = ProbeIdentity.tcpSequence(reply.token(), reply.check());
        for (int size : sizesSent) {
            int data = size - ProbeFrames.IPV4_HEADER - ProbeFrames.TCP_HEADER;
            if (data <= 0) {
                continue;
            }
            long candidate = (sequence - data) & 0xFFFFFFFFL;
            int token = ProbeIdentity.tokenOfTcpSequence(candidate);
            int check = ProbeIdentity.checkOfTcpSequence(candidate);
            if (check == ProbeIdentity.check(tag(), destination(), token, nonce())) {
                return reply.withIdentity(token, check);
            }
        }
        return reply;
    }

    private DropReason checkIdentity(Reply reply) {
        ProbeMethod method = options.method();
        if (reply.probeProtocol() != method.protocol()
                || (reply.kind() == ReplyKind.ECHO_REPLY && method != ProbeMethod.ICMP_PARIS)
                || (reply.kind() == ReplyKind.TCP && method != ProbeMethod.TCP)) {
            return DropReason.BAD_IDENTITY;
        }
        int token = reply.token();
        int ttl = ProbeIdentity.ttl(token);
        if (ttl < options.firstTtl() || ttl > options.maxTtl()
                || ProbeIdentity.probeIndex(token) >= options.probesPerHop()) {
            return DropReason.BAD_IDENTITY;
        }
        if (reply.check() != ProbeIdentity.check(tag(), destination(), token, nonce())) {
            return DropReason.BAD_IDENTITY;
        }
        boolean flowOk = switch (method) {
            case UDP -> true;
            case UDP_PARIS, TCP -> reply.flow() == options.port();
            case ICMP_PARIS -> reply.kind() != ReplyKind.ICMP_ERROR || reply.flow() == flowChecksum;
        };
        return flowOk ? null : DropReason.BAD_IDENTITY;
    }

    private static boolean isFragmentationNeeded(Reply reply) {
        return reply.kind() == ReplyKind.ICMP_ERROR && reply.icmpType() == IcmpType.DESTINATION_UNREACHABLE
                && reply.icmpCode() == UnreachableCode.FRAGMENTATION_NEEDED;
    }

    /**
     * Lowers the probe size after a fragmentation-needed report about a probe of {@code quotedSize} bytes.
     * Every probe still in flight at the old size brings its own report: a report about a probe no larger
     * than the current size, or naming an MTU not below it, changes nothing. Without a usable MTU (old
     * routers send 0) the next RFC 1191 plateau below the quoted probe's size is used.
     */
    private void shrinkProbes(int reportedMtu, int quotedSize) {
        int tooBig = quotedSize > 0 ? quotedSize : probeSize;
        if (tooBig < probeSize) {
            return;
        }
        int next;
        if (reportedMtu >= options.method().minimumSize() && reportedMtu < tooBig) {
            next = reportedMtu;
        } else {
            next = tooBig;
            for (int plateau : MTU_PLATEAUS) {
                if (plateau < tooBig) {
                    next = plateau;
                    break;
                }
            }
        }
        next = Math.max(next, options.method().minimumSize());
        if (next < probeSize) {
            probeSize = next;
            pathMtu = next;
            if (!sizesSent.contains(next)) {
                sizesSent.add(next);
            }
        }
    }

    private void classify(Hop h, Reply reply) {
        switch (reply.kind()) {
            case ECHO_REPLY, TCP -> h.reachedDestination = true;
            case ICMP_ERROR -> {
                if (reply.icmpType() != IcmpType.DESTINATION_UNREACHABLE) {
                    return;
                }
                if (reply.icmpCode() == UnreachableCode.PORT && reply.responder() == destination()) {
                    h.reachedDestination = true;
                } else if (h.unreachableCode < 0) {
                    h.unreachableCode = reply.icmpCode();
                }
            }
        }
    }

    /** No TTL beyond {@code ttl} matters any more: the destination or an unreachable answered there. */
    private void limitTo(int ttl) {
        if (ttl >= horizon) {
            return;
        }
        horizon = ttl;
        for (int t = ttl + 1; t < nextTtl; t++) {
            Hop h = hop(t);
            if (h != null) {
                h.cancelled = true;
            }
        }
    }

    @Override
    protected void onTimeout(int token, ProbeContext context) {
        int ttl = ProbeIdentity.ttl(token);
        int index = ProbeIdentity.probeIndex(token);
        Hop h = hop(ttl);
        if (h == null || h.done || h.cancelled || h.answered[index]
                || ProbeIdentity.attempt(token) != h.attempt[index]) {
            return;
        }
        h.timeouts[index]++;
        if (h.timeouts[index] <= retriesFor(ttl) && h.attempt[index] < ProbeIdentity.MAX_ATTEMPT) {
            h.attempt[index]++;
            context.send(this, ProbeIdentity.token(ttl, index, h.attempt[index]));
            return;
        }
        h.answered[index] = true;
        probeResolved(h, context);
    }

    /**
     * Retries allowed for a probe of {@code ttl}. When every TTL from this one up to where the destination (or an
     * unreachable) answered is silent so far, it gets {@value #EXTRA_RETRIES_BELOW_STOP} more: the TTLs probed in
     * parallel beyond the destination make it answer many probes at once, which drains its ICMP rate limit
     * (Linux: about one a second after a short burst), so the destination may really be nearer than where it
     * answered. Silent routers with answering hops above them keep the normal retries.
     */
    private int retriesFor(int ttl) {
        if (horizon == Integer.MAX_VALUE || ttl >= horizon) {
            return options.retries();
        }
        for (int t = ttl; t < horizon; t++) {
            Hop above = hop(t);
            if (above != null && !above.replies.isEmpty()) {
                return options.retries();
            }
        }
        return options.retries() + EXTRA_RETRIES_BELOW_STOP;
    }

    private void probeResolved(Hop h, ProbeContext context) {
        if (--h.pending == 0) {
            h.done = true;
            advance(context);
        }
    }

    private void advance(ProbeContext context) {
        while (stopReason == null && frontier < nextTtl && frontier <= horizon) {
            Hop h = hop(frontier);
            if (!h.done) {
                break;
            }
            if (hopListener != HopListener.NONE && !h.replies.isEmpty()) {
                h.replies.sort(BY_PROBE);
                hopListener.hopSettled(this, frontier, List.copyOf(h.replies));
            }
            if (h.replies.isEmpty()) {
                if (++gap >= options.gapLimit()) {
                    stop(StopReason.GAP_LIMIT, frontier, null);
                    break;
                }
            } else {
                gap = 0;
                if (h.reachedDestination) {
                    stop(StopReason.COMPLETED, frontier, null);
                    break;
                }
                if (h.unreachableCode >= 0) {
                    stop(StopReason.UNREACHABLE, frontier, h.unreachableCode);
                    break;
                }
                if (loopsAt(h, frontier)) {
                    stop(StopReason.LOOP, frontier, null);
                    break;
                }
            }
            if (frontier == options.maxTtl()) {
                stop(StopReason.MAX_TTL, frontier, null);
                break;
            }
            frontier++;
        }
        if (stopReason == null) {
            openMore(context);
        }
    }

    /** An address that answered (time exceeded) at this TTL also answered two or more TTLs earlier. */
    private boolean loopsAt(Hop h, int ttl) {
        for (HopRecord r : h.replies) {
            if (!isTimeExceeded(r)) {
                continue;
            }
            for (int earlier = options.firstTtl(); earlier < ttl - 1; earlier++) {
                Hop e = hop(earlier);
                if (e == null) {
                    continue;
                }
                for (HopRecord seen : e.replies) {
                    if (isTimeExceeded(seen) && seen.addr().equals(r.addr())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isTimeExceeded(HopRecord r) {
        return r.icmpType() != null && r.icmpType() == IcmpType.TIME_EXCEEDED
                && r.icmpCode() == TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT;
    }

    private void stop(StopReason reason, int ttl, Integer code) {
        stopReason = reason;
        stopTtl = ttl;
        stopCode = code;
        finished = true;
    }

    private HopRecord toHopRecord(Reply reply, int ttl, int index, double rttMs) {
        String addr = Ipv4Address.format(reply.responder());
        double rounded = Math.round(rttMs * 1000) / 1000.0;
        if (reply.kind() == ReplyKind.TCP) {
            return new HopRecord(ttl, addr, rounded, null, null, reply.replyTtl(), index, null, null,
                    TcpFlags.format(reply.tcpFlags()));
        }
        List<MplsLabel> mpls = reply.mpls().isEmpty() ? List.of() : reply.mpls().stream()
                .map(e -> new MplsLabel(e.label(), e.trafficClass(), e.bottomOfStack(), e.ttl())).toList();
        Integer mtu = reply.mtu() >= 68 ? reply.mtu() : null;
        return new HopRecord(ttl, addr, rounded, reply.icmpType(), reply.icmpCode(), reply.replyTtl(), index, mtu,
                mpls, null);
    }

    /** When the trace started; known once it has. */
    public Instant startTime() {
        return start;
    }

    /** Source address of the probes; known once the trace has started. */
    public int source() {
        return egress().source();
    }

    public TraceOptions options() {
        return options;
    }

    /** Source port of the probes (the measurement tag), or null for ICMP probes. */
    public Integer sourcePort() {
        return options.method() == ProbeMethod.ICMP_PARIS ? null : tag();
    }

    @Override
    protected boolean finished() {
        return finished;
    }

    @Override
    protected void finish() {
        List<HopRecord> records = new ArrayList<>();
        for (int t = options.firstTtl(); t <= stopTtl; t++) {
            Hop h = hop(t);
            if (h != null) {
                records.addAll(h.replies);
            }
        }
        records.sort(Comparator.comparingInt(HopRecord::ttl).thenComparingInt(HopRecord::probe));
        Integer sport = sourcePort();
        Integer dport = sport == null ? null : options.port();
        Instant end = Instant.now();
        sink.accept(new TraceRecord(TraceRecord.TYPE, RecordJson.SCHEMA_VERSION, Ipv4Address.format(egress().source()),
                Ipv4Address.format(destination()), options.method().cliName(), start, end.isBefore(start) ? start : end,
                options.firstTtl(), options.maxTtl(), options.probesPerHop(), probeSize,
                sport, dport, stopReason, stopCode, stopTtl,
                probesSent, options.pathMtu() ? pathMtu : null, records));
    }

    @Override
    protected void fail(String reason) {
        finished = true;
        sink.failed(destination(), reason);
    }

    /** Probing state of one TTL. */
    private static final class Hop {
        final int[] attempt;
        final int[] timeouts;
        final boolean[] answered;
        final long[] sentAt;
        final List<HopRecord> replies = new ArrayList<>(2);
        int pending;
        boolean done;
        boolean cancelled;
        boolean reachedDestination;
        int unreachableCode = -1;

        Hop(int probes) {
            attempt = new int[probes];
            timeouts = new int[probes];
            answered = new boolean[probes];
            sentAt = new long[probes];
            pending = probes;
        }
    }
}
