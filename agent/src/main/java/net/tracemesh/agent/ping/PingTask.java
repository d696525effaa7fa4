package net.tracemesh.agent.ping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.tracemesh.agent.engine.ProbeContext;
import net.tracemesh.agent.engine.ProbeTask;
import net.tracemesh.agent.engine.ResultSink;
import net.tracemesh.agent.probe.DropReason;
import net.tracemesh.agent.probe.ProbeFrames;
import net.tracemesh.agent.probe.ProbeIdentity;
import net.tracemesh.agent.probe.Reply;
import net.tracemesh.agent.probe.ReplyKind;
import net.tracemesh.record.PingOutcome;
import net.tracemesh.record.PingProbeRecord;
import net.tracemesh.record.PingRecord;
import net.tracemesh.record.RecordJson;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.UnreachableCode;
import net.tracemesh.wire.ipv4.IpProtocol;

/** ICMP echo requests at an interval; each one's outcome, then RTT statistics and loss. */
public final class PingTask extends ProbeTask {
    private final PingOptions options;
    private final ResultSink<PingRecord> sink;
    private final long[] sentAt;
    private final PingProbeRecord[] outcomes;
    private Instant start;
    private int requested;
    private int sent;
    private int resolved;
    private boolean failed;

    public PingTask(int destination, PingOptions options, ResultSink<PingRecord> sink) {
        super(destination);
        this.options = options;
        this.sink = sink;
        this.sentAt = new long[options.count()];
        this.outcomes = new PingProbeRecord[options.count()];
    }

    @Override
    protected long waitNanos() {
        return options.waitNanos();
    }

    @Override
    protected void start(ProbeContext context) {
        start = Instant.now();
        sendNext(context);
    }

    private void sendNext(ProbeContext context) {
        context.send(this, requested++);
        if (requested < options.count()) {
            context.schedule(options.intervalNanos(), () -> sendNext(context));
        }
    }

    @Override
    protected int writeProbe(int token, byte[] buffer, int linkHeaderLength) {
        int check = ProbeIdentity.check(tag(), destination(), token, nonce());
        return ProbeFrames.icmpEcho(buffer, linkHeaderLength, egress().source(), destination(), options.ttl(),
                options.dontFragment(), check, tag(), token, -1, check,
                ProbeFrames.IPV4_HEADER + ProbeFrames.ICMP_HEADER + options.dataSize());
    }

    @Override
    protected void onSent(int token, long sentMicros) {
        sentAt[token] = sentMicros;
        sent++;
    }

    @Override
    protected DropReason onReply(Reply reply, ProbeContext context) {
        int seq = reply.token();
        if (reply.probeProtocol() != IpProtocol.ICMP || reply.kind() == ReplyKind.TCP || seq >= requested
                || reply.check() != ProbeIdentity.check(tag(), destination(), seq, nonce())) {
            return DropReason.BAD_IDENTITY;
        }
        if (outcomes[seq] != null) {
            return outcomes[seq].outcome() == PingOutcome.TIMEOUT ? DropReason.STALE : DropReason.DUPLICATE;
        }
        double rtt = Math.round(Math.max(0, reply.timestampMicros() - sentAt[seq])) / 1000.0;
        PingOutcome outcome = outcomeOf(reply);
        Integer mtu = outcome == PingOutcome.FRAG_NEEDED && reply.mtu() >= 68 ? reply.mtu() : null;
        outcomes[seq] = new PingProbeRecord(seq, outcome, rtt, Ipv4Address.format(reply.responder()),
                reply.icmpType(), reply.icmpCode(), mtu);
        resolved++;
        return null;
    }

    private static PingOutcome outcomeOf(Reply reply) {
        if (reply.kind() == ReplyKind.ECHO_REPLY) {
            return PingOutcome.REPLY;
        }
        return switch (reply.icmpType()) {
            case IcmpType.DESTINATION_UNREACHABLE -> reply.icmpCode() == UnreachableCode.FRAGMENTATION_NEEDED
                    ? PingOutcome.FRAG_NEEDED : PingOutcome.UNREACHABLE;
            case IcmpType.TIME_EXCEEDED -> PingOutcome.TIME_EXCEEDED;
            case IcmpType.SOURCE_QUENCH -> PingOutcome.SOURCE_QUENCH;
            default -> PingOutcome.OTHER;
        };
    }

    @Override
    protected void onTimeout(int token, ProbeContext context) {
        if (outcomes[token] == null) {
            outcomes[token] = new PingProbeRecord(token, PingOutcome.TIMEOUT, null, null, null, null, null);
            resolved++;
        }
    }

    @Override
    protected boolean finished() {
        return failed || resolved == options.count();
    }

    @Override
    protected void finish() {
        List<PingProbeRecord> probes = List.of(outcomes);
        List<Double> rtts = new ArrayList<>();
        for (PingProbeRecord p : probes) {
            if (p.outcome() == PingOutcome.REPLY) {
                rtts.add(p.rttMs());
            }
        }
        Double min = null;
        Double avg = null;
        Double max = null;
        Double mdev = null;
        if (!rtts.isEmpty()) {
            double sum = 0;
            double sumSquares = 0;
            min = Double.MAX_VALUE;
            max = 0.0;
            for (double r : rtts) {
                sum += r;
                sumSquares += r * r;
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
            double mean = sum / rtts.size();
            avg = round3(mean);
            mdev = round3(Math.sqrt(Math.max(0, sumSquares / rtts.size() - mean * mean)));
        }
        double loss = 100.0 * (sent - rtts.size()) / sent;
        sink.accept(new PingRecord(PingRecord.TYPE, RecordJson.SCHEMA_VERSION, Ipv4Address.format(egress().source()),
                Ipv4Address.format(destination()), start, options.dataSize(), options.ttl(), options.dontFragment(),
                sent, rtts.size(), Math.round(loss * 10) / 10.0, min, avg, max, mdev, probes));
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Override
    protected void fail(String reason) {
        failed = true;
        sink.failed(destination(), reason);
    }
}
