package net.tracemesh.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.tracemesh.agent.capture.LinkType;
import net.tracemesh.agent.engine.RecordingSink;
import net.tracemesh.agent.engine.TaskHarness;
import net.tracemesh.agent.probe.DropCounters;
import net.tracemesh.agent.probe.DropReason;
import net.tracemesh.agent.probe.ProbeIdentity;
import net.tracemesh.agent.probe.Reply;
import net.tracemesh.agent.probe.ReplyFrames;
import net.tracemesh.agent.probe.ReplyParser;
import net.tracemesh.agent.route.Egress;
import net.tracemesh.record.TraceRecord;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.icmp.IcmpError;
import net.tracemesh.wire.icmp.IcmpExtensionCodec;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.MplsLabelStackEntry;

/**
 * One trace driven through a {@link TaskHarness}, with the network played by the test: replies are built as
 * frames quoting the probe the task really wrote, and parsed back with {@link ReplyParser}.
 */
final class TraceProbes {
    static final int SRC = ip("198.18.0.2");
    static final int DST = ip("198.18.9.2");
    static final int GATEWAY = ip("198.18.0.1");
    static final int TAG = 40_123;
    static final int NONCE = 77;
    static final long T0 = 1_700_000_000_000_000L;

    final TraceOptions options;
    final TraceTask task;
    final RecordingSink<TraceRecord> sink = new RecordingSink<>();
    final TaskHarness harness;
    final DropCounters parseDrops = new DropCounters();

    TraceProbes(TraceOptions options) {
        this(options, 1500, NONCE);
    }

    TraceProbes(TraceOptions options, int interfaceMtu, int nonce) {
        this.options = options;
        this.task = new TraceTask(DST, options, sink);
        Egress egress = new Egress("eth0", SRC, ReplyFrames.OUR_MAC, ReplyFrames.GATEWAY_MAC, GATEWAY, interfaceMtu);
        this.harness = new TaskHarness(task, egress, TAG, nonce);
        harness.start();
    }

    static int ip(String dotted) {
        return Ipv4Address.parse(dotted);
    }

    static int token(int ttl, int probe, int attempt) {
        return ProbeIdentity.token(ttl, probe, attempt);
    }

    static int token(int ttl, int probe) {
        return token(ttl, probe, 0);
    }

    /** Transmits everything queued at {@code T0 + offsetMicros}. */
    List<TaskHarness.Transmitted> transmit(long offsetMicros) {
        return harness.transmitAll(T0 + offsetMicros);
    }

    List<TaskHarness.Transmitted> transmit() {
        return transmit(0);
    }

    byte[] probeFrame(int token) {
        return harness.lastTransmitted(token).frame();
    }

    private Reply parse(byte[] frame, long ts) {
        Reply reply = ReplyParser.parse(frame, LinkType.ETHERNET, ts, parseDrops);
        assertThat(reply).as("parsed reply").isNotNull();
        return reply;
    }

    private long replyTime(int token, long rttMicros) {
        return harness.lastTransmitted(token).sentMicros() + rttMicros;
    }

    Reply timeExceeded(int token, int router, long rttMicros) {
        return parse(ReplyFrames.icmpError(router, SRC, 250, IcmpError.timeExceeded(0,
                ReplyFrames.quote(probeFrame(token), harness.linkLength(), 8))), replyTime(token, rttMicros));
    }

    Reply timeExceededWithMpls(int token, int router, List<MplsLabelStackEntry> stack) {
        IcmpError error = IcmpError.timeExceeded(0, ReplyFrames.quote(probeFrame(token), harness.linkLength(), 8))
                .withExtensions(List.of(IcmpExtensionCodec.encodeMplsLabelStack(stack)));
        return parse(ReplyFrames.icmpError(router, SRC, 250, error), replyTime(token, 1000));
    }

    Reply unreachable(int token, int from, int code, long rttMicros) {
        return parse(ReplyFrames.icmpError(from, SRC, 60, IcmpError.unreachable(code,
                ReplyFrames.quoteAsLinux(probeFrame(token), harness.linkLength()))), replyTime(token, rttMicros));
    }

    Reply portUnreachable(int token, long rttMicros) {
        return unreachable(token, DST, 3, rttMicros);
    }

    Reply fragmentationNeeded(int token, int router, int mtu) {
        return parse(ReplyFrames.icmpError(router, SRC, 250, IcmpError.fragmentationNeeded(mtu,
                ReplyFrames.quoteAsLinux(probeFrame(token), harness.linkLength()))), replyTime(token, 500));
    }

    /**
     * Parses an ICMP redirect (host) from {@code from} toward {@code newGateway}, quoting the probe: null, since
     * a redirect is advice to the sender and not an answer.
     */
    Reply parseRedirect(int token, int from, int newGateway) {
        IcmpError error = new IcmpError(IcmpType.REDIRECT, 1, 0, 0, newGateway,
                ReplyFrames.quote(probeFrame(token), harness.linkLength(), 8), null);
        return ReplyParser.parse(ReplyFrames.icmpError(from, SRC, 64, error), LinkType.ETHERNET,
                replyTime(token, 200), parseDrops);
    }

    Reply echoReply(int token, long rttMicros) {
        return parse(ReplyFrames.echoReply(probeFrame(token), harness.linkLength(), 60), replyTime(token, rttMicros));
    }

    Reply tcpAnswer(int token, int flags, long rttMicros) {
        return parse(ReplyFrames.tcpAnswer(probeFrame(token), harness.linkLength(), flags, 60),
                replyTime(token, rttMicros));
    }

    Reply tcpResetAsLinux(int token, long rttMicros) {
        return parse(ReplyFrames.tcpResetAsLinux(probeFrame(token), harness.linkLength(), 60),
                replyTime(token, rttMicros));
    }

    /** A time exceeded for a probe that was written but never reported sent. */
    Reply timeExceededForUnsent(int token, int router) {
        byte[] frame = harness.write(token);
        return parse(ReplyFrames.icmpError(router, SRC, 250, IcmpError.timeExceeded(0,
                ReplyFrames.quote(frame, harness.linkLength(), 8))), T0);
    }

    DropReason reply(Reply reply) {
        return harness.reply(reply);
    }

    /** Feeds a reply that must be accepted. */
    void accept(Reply reply) {
        assertThat(harness.reply(reply)).as("drop reason for %s", reply).isNull();
    }

    void timeout(int token) {
        harness.timeout(token);
    }

    TraceRecord record() {
        assertThat(harness.finished()).as("trace finished").isTrue();
        return sink.only();
    }

    static Reply withCheck(Reply r, int check) {
        return new Reply(r.timestampMicros(), r.responder(), r.replyTtl(), r.kind(), r.icmpType(), r.icmpCode(),
                r.mtu(), r.mpls(), r.tcpFlags(), r.probeSource(), r.probeDestination(), r.probeProtocol(), r.tag(),
                r.token(), check, r.flow(), r.probeLength());
    }

    static Reply withFlow(Reply r, int flow) {
        return new Reply(r.timestampMicros(), r.responder(), r.replyTtl(), r.kind(), r.icmpType(), r.icmpCode(),
                r.mtu(), r.mpls(), r.tcpFlags(), r.probeSource(), r.probeDestination(), r.probeProtocol(), r.tag(),
                r.token(), r.check(), flow, r.probeLength());
    }

    static Reply withToken(Reply r, int token) {
        return new Reply(r.timestampMicros(), r.responder(), r.replyTtl(), r.kind(), r.icmpType(), r.icmpCode(),
                r.mtu(), r.mpls(), r.tcpFlags(), r.probeSource(), r.probeDestination(), r.probeProtocol(), r.tag(),
                token, r.check(), r.flow(), r.probeLength());
    }

    static Reply withProtocol(Reply r, int protocol) {
        return new Reply(r.timestampMicros(), r.responder(), r.replyTtl(), r.kind(), r.icmpType(), r.icmpCode(),
                r.mtu(), r.mpls(), r.tcpFlags(), r.probeSource(), r.probeDestination(), protocol, r.tag(),
                r.token(), r.check(), r.flow(), r.probeLength());
    }
}
