package net.tracemesh.agent.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import net.tracemesh.agent.capture.LinkType;
import net.tracemesh.agent.engine.RecordingSink;
import net.tracemesh.agent.engine.TaskHarness;
import net.tracemesh.agent.probe.DropCounters;
import net.tracemesh.agent.probe.DropReason;
import net.tracemesh.agent.probe.ProbeFrames;
import net.tracemesh.agent.probe.Reply;
import net.tracemesh.agent.probe.ReplyFrames;
import net.tracemesh.agent.probe.ReplyKind;
import net.tracemesh.agent.probe.ReplyParser;
import net.tracemesh.agent.route.Egress;
import net.tracemesh.record.PingOutcome;
import net.tracemesh.record.PingProbeRecord;
import net.tracemesh.record.PingRecord;
import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.icmp.IcmpCodec;
import net.tracemesh.wire.icmp.IcmpEcho;
import net.tracemesh.wire.icmp.IcmpError;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.QuotedDatagram;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Packet;
import net.tracemesh.wire.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

class PingTaskTest {
    private static final int SRC = Ipv4Address.parse("198.18.0.2");
    private static final int DST = Ipv4Address.parse("198.18.9.2");
    private static final int ROUTER = Ipv4Address.parse("198.18.1.1");
    private static final int TAG = 41_000;
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_700_000_000_000_000L;

    private final RecordingSink<PingRecord> sink = new RecordingSink<>();
    private final DropCounters parseDrops = new DropCounters();

    private TaskHarness start(PingOptions options) {
        PingTask task = new PingTask(DST, options, sink);
        TaskHarness harness = new TaskHarness(task, new Egress("eth0", SRC, ReplyFrames.OUR_MAC,
                ReplyFrames.GATEWAY_MAC, Ipv4Address.parse("198.18.0.1"), 1500), TAG, 5);
        harness.start();
        return harness;
    }

    private static PingOptions options(int count) {
        return new PingOptions(count, SECOND, 56, 64, 2 * SECOND, false);
    }

    /** Sends every probe of a ping: transmit, run the interval timer, transmit, ... */
    private static void sendAll(TaskHarness h, int count) {
        for (int seq = 0; seq < count; seq++) {
            h.transmitAll(T0 + seq * 1_000_000L);
            h.runTimers();
        }
    }

    private Reply parse(byte[] frame, long ts) {
        Reply reply = ReplyParser.parse(frame, LinkType.ETHERNET, ts, parseDrops);
        assertThat(reply).isNotNull();
        return reply;
    }

    private Reply echoReply(TaskHarness h, int seq, long rttMicros) {
        TaskHarness.Transmitted probe = h.lastTransmitted(seq);
        return parse(ReplyFrames.echoReply(probe.frame(), h.linkLength(), 61), probe.sentMicros() + rttMicros);
    }

    private Reply error(TaskHarness h, int seq, IcmpErrorMaker maker, long rttMicros) {
        TaskHarness.Transmitted probe = h.lastTransmitted(seq);
        IcmpError error = maker.make(ReplyFrames.quoteAsLinux(probe.frame(), h.linkLength()));
        return parse(ReplyFrames.icmpError(ROUTER, SRC, 250, error), probe.sentMicros() + rttMicros);
    }

    private interface IcmpErrorMaker {
        IcmpError make(QuotedDatagram quoted);
    }

    @Test
    void sendsCountRequestsOneIntervalApart() {
        TaskHarness h = start(options(3));
        assertThat(h.requests()).containsExactly(0);
        assertThat(h.timerDelays()).containsExactly(SECOND);

        h.transmitAll(T0);
        h.runTimers();
        assertThat(h.requests()).containsExactly(0, 1);
        h.transmitAll(T0 + SECOND / 1000);
        h.runTimers();

        assertThat(h.requests()).containsExactly(0, 1, 2);
        assertThat(h.timerDelays()).containsExactly(SECOND, SECOND);
        assertThat(h.pendingTimers()).isZero();
        assertThat(h.waitNanos()).isEqualTo(2 * SECOND);
    }

    @Test
    void aSinglePingSetsNoTimer() {
        TaskHarness h = start(options(1));
        assertThat(h.requests()).containsExactly(0);
        assertThat(h.timerDelays()).isEmpty();
    }

    /**
     * The engine queues sends behind a rate limit: an interval timer can fire while the previous request is still
     * waiting to be sent. Each request must still get its own sequence number.
     */
    @Test
    void everySequenceNumberIsAskedForOnceEvenWhenTheTimerBeatsTheSender() {
        TaskHarness h = start(options(3));

        h.runTimers(); // probe 0 is still queued
        h.transmitAll(T0);
        h.runTimers();
        h.transmitAll(T0 + 1_000);

        assertThat(h.requests()).containsExactly(0, 1, 2);
    }

    @Test
    void echoRequestsCarryTtlDfSizeAndIdentity() {
        TaskHarness h = start(new PingOptions(2, SECOND, 100, 17, SECOND, true));
        sendAll(h, 2);

        assertThat(h.transmitted()).hasSize(2);
        for (TaskHarness.Transmitted p : h.transmitted()) {
            assertThat(p.frame()).hasSize(14 + 20 + 8 + 100);
            Ipv4Packet ip = Ipv4Codec.decode(p.frame(), 14, p.frame().length - 14);
            assertThat(ip.header().ttl()).isEqualTo(17);
            assertThat(ip.header().dontFragment()).isTrue();
            assertThat(ip.header().source()).isEqualTo(SRC);
            assertThat(ip.header().destination()).isEqualTo(DST);
            IcmpEcho echo = (IcmpEcho) IcmpCodec.decode(ip.payload(), 0, ip.payload().length);
            assertThat(echo.type()).isEqualTo(IcmpType.ECHO_REQUEST);
            assertThat(echo.identifier()).isEqualTo(TAG);
            assertThat(echo.sequence()).isEqualTo(p.token());
            assertThat(echo.dataLength()).isEqualTo(100);
            assertThat(Bytes.u16(echo.data(), 2)).as("check in the data").isEqualTo(ip.header().identification());
        }
    }

    @Test
    void repliesAndTimeoutsGiveStatistics() {
        TaskHarness h = start(options(4));
        sendAll(h, 4);

        assertThat(h.reply(echoReply(h, 0, 1_000))).isNull();
        h.timeout(1);
        assertThat(h.reply(echoReply(h, 2, 2_000))).isNull();
        assertThat(h.finished()).isFalse();
        assertThat(h.reply(echoReply(h, 3, 4_000))).isNull();
        h.timeout(0);
        h.timeout(2);
        h.timeout(3);

        assertThat(h.finished()).isTrue();
        assertThat(h.finishCalls()).isEqualTo(1);
        PingRecord r = sink.only();
        assertThat(r.type()).isEqualTo("ping");
        assertThat(r.src()).isEqualTo("198.18.0.2");
        assertThat(r.dst()).isEqualTo("198.18.9.2");
        assertThat(r.size()).isEqualTo(56);
        assertThat(r.ttl()).isEqualTo(64);
        assertThat(r.df()).isFalse();
        assertThat(r.sent()).isEqualTo(4);
        assertThat(r.received()).isEqualTo(3);
        assertThat(r.lossPct()).isEqualTo(25.0);
        assertThat(r.rttMinMs()).isEqualTo(1.0);
        assertThat(r.rttAvgMs()).isEqualTo(2.333);
        assertThat(r.rttMaxMs()).isEqualTo(4.0);
        assertThat(r.rttMdevMs()).isEqualTo(1.247);
        assertThat(r.probes()).extracting(PingProbeRecord::seq, PingProbeRecord::outcome, PingProbeRecord::rttMs,
                PingProbeRecord::from).containsExactly(
                tuple(0, PingOutcome.REPLY, 1.0, "198.18.9.2"),
                tuple(1, PingOutcome.TIMEOUT, null, null),
                tuple(2, PingOutcome.REPLY, 2.0, "198.18.9.2"),
                tuple(3, PingOutcome.REPLY, 4.0, "198.18.9.2"));
        assertThat(r.probes().get(0).icmpType()).isZero();
        assertThat(r.probes().get(1).icmpType()).isNull();
    }

    @Test
    void rttsAreKeptToTheMicrosecond() {
        TaskHarness h = start(options(1));
        sendAll(h, 1);
        h.reply(echoReply(h, 0, 1_234));
        PingRecord r = sink.only();
        assertThat(r.probes().get(0).rttMs()).isEqualTo(1.234);
        assertThat(r.rttMdevMs()).isZero();
    }

    @Test
    void errorsAreOutcomesButNotReplies() {
        TaskHarness h = start(new PingOptions(4, SECOND, 1472, 64, SECOND, true));
        sendAll(h, 4);

        assertThat(h.reply(error(h, 0, q -> IcmpError.fragmentationNeeded(1400, q), 500))).isNull();
        assertThat(h.reply(error(h, 1, q -> IcmpError.unreachable(1, q), 600))).isNull();
        assertThat(h.reply(error(h, 2, q -> IcmpError.timeExceeded(0, q), 700))).isNull();
        assertThat(h.reply(error(h, 3, q -> new IcmpError(IcmpType.PARAMETER_PROBLEM, 0, 0, 20, 0, q, null), 800)))
                .isNull();

        PingRecord r = sink.only();
        assertThat(r.received()).isZero();
        assertThat(r.lossPct()).isEqualTo(100.0);
        assertThat(r.rttMinMs()).isNull();
        assertThat(r.rttAvgMs()).isNull();
        assertThat(r.rttMaxMs()).isNull();
        assertThat(r.rttMdevMs()).isNull();
        assertThat(r.probes()).extracting(PingProbeRecord::outcome, PingProbeRecord::from, PingProbeRecord::icmpType,
                PingProbeRecord::icmpCode, PingProbeRecord::mtu, PingProbeRecord::rttMs).containsExactly(
                tuple(PingOutcome.FRAG_NEEDED, "198.18.1.1", 3, 4, 1400, 0.5),
                tuple(PingOutcome.UNREACHABLE, "198.18.1.1", 3, 1, null, 0.6),
                tuple(PingOutcome.TIME_EXCEEDED, "198.18.1.1", 11, 0, null, 0.7),
                tuple(PingOutcome.OTHER, "198.18.1.1", 12, 0, null, 0.8));
    }

    @Test
    void sourceQuench() {
        TaskHarness h = start(options(1));
        sendAll(h, 1);
        h.reply(error(h, 0, q -> new IcmpError(IcmpType.SOURCE_QUENCH, 0, 0, 0, 0, q, null), 100));
        assertThat(sink.only().probes().get(0).outcome()).isEqualTo(PingOutcome.SOURCE_QUENCH);
    }

    /** A router that sends a redirect still forwards the request: the echo reply that follows is its outcome. */
    @Test
    void aRedirectIsNotTheOutcomeOfAnEchoRequest() {
        TaskHarness h = start(options(1));
        sendAll(h, 1);

        TaskHarness.Transmitted probe = h.lastTransmitted(0);
        IcmpError redirect = new IcmpError(IcmpType.REDIRECT, 1, 0, 0, Ipv4Address.parse("198.18.0.254"),
                ReplyFrames.quoteAsLinux(probe.frame(), h.linkLength()), null);
        assertThat(ReplyParser.parse(ReplyFrames.icmpError(ROUTER, SRC, 250, redirect), LinkType.ETHERNET,
                probe.sentMicros() + 100, parseDrops)).as("a redirect is not an answer").isNull();
        h.reply(echoReply(h, 0, 1_000));

        PingRecord r = sink.only();
        assertThat(r.probes().get(0).outcome()).isEqualTo(PingOutcome.REPLY);
        assertThat(r.received()).isEqualTo(1);
    }

    @Test
    void everyProbeTimingOut() {
        TaskHarness h = start(options(3));
        sendAll(h, 3);
        h.timeout(2);
        h.timeout(0);
        h.timeout(1);

        PingRecord r = sink.only();
        assertThat(r.sent()).isEqualTo(3);
        assertThat(r.received()).isZero();
        assertThat(r.lossPct()).isEqualTo(100.0);
        assertThat(r.probes()).extracting(PingProbeRecord::outcome).containsOnly(PingOutcome.TIMEOUT);
    }

    @Test
    void lossIsRoundedToATenthOfAPercent() {
        TaskHarness h = start(options(3));
        sendAll(h, 3);
        h.reply(echoReply(h, 1, 900));
        h.timeout(0);
        h.timeout(2);
        assertThat(sink.only().lossPct()).isEqualTo(66.7);
    }

    @Test
    void lateDuplicateAndForeignRepliesAreDropped() {
        TaskHarness h = start(options(3));
        h.transmitAll(T0);
        h.runTimers();
        h.transmitAll(T0 + 1_000_000);
        Reply first = echoReply(h, 0, 1_000);
        Reply second = echoReply(h, 1, 1_000);

        h.timeout(0);
        assertThat(h.reply(first)).as("after its timeout").isEqualTo(DropReason.STALE);
        assertThat(h.reply(second)).isNull();
        assertThat(h.reply(second)).isEqualTo(DropReason.DUPLICATE);

        Reply wrongCheck = new Reply(second.timestampMicros(), second.responder(), second.replyTtl(), second.kind(),
                second.icmpType(), second.icmpCode(), 0, List.of(), 0, SRC, DST, second.probeProtocol(), TAG, 1,
                second.check() ^ 0x0400, -1, -1);
        assertThat(h.reply(wrongCheck)).isEqualTo(DropReason.BAD_IDENTITY);

        // A reply for a sequence number not sent yet (2): forged, or from an earlier run.
        byte[] unsent = h.write(2);
        Reply early = parse(ReplyFrames.echoReply(unsent, h.linkLength(), 61), T0);
        assertThat(h.reply(early)).isEqualTo(DropReason.BAD_IDENTITY);

        Reply tcp = new Reply(T0, DST, 60, ReplyKind.TCP, -1, -1, 0, List.of(),
                TcpFlags.RST, SRC, DST, 6, TAG, 1, second.check(), 80, -1);
        assertThat(h.reply(tcp)).isEqualTo(DropReason.BAD_IDENTITY);
        assertThat(h.finished()).isFalse();
    }

    @Test
    void aTimeoutAfterTheReplyChangesNothing() {
        TaskHarness h = start(options(1));
        sendAll(h, 1);
        h.reply(echoReply(h, 0, 3_000));
        h.timeout(0);
        assertThat(sink.only().probes().get(0).outcome()).isEqualTo(PingOutcome.REPLY);
        assertThat(h.finishCalls()).isEqualTo(1);
    }

    @Test
    void failingReportsTheDestination() {
        PingTask task = new PingTask(DST, options(3), sink);
        TaskHarness h = new TaskHarness(task, new Egress("eth0", SRC, new byte[6], new byte[6], 0, 1500), TAG, 1);
        h.fail("no route to 198.18.9.2");
        assertThat(h.finished()).isTrue();
        assertThat(sink.results()).isEmpty();
        assertThat(sink.failures()).containsExactly(new RecordingSink.Failure(DST, "no route to 198.18.9.2"));
    }

    @Test
    void theLargestDataSizeFitsAFrame() {
        TaskHarness h = start(new PingOptions(1, SECOND, PingOptions.MAX_DATA, 64, SECOND, false));
        h.transmitAll(T0);
        assertThat(h.lastTransmitted(0).frame()).hasSize(14 + ProbeFrames.IPV4_HEADER + ProbeFrames.ICMP_HEADER
                + PingOptions.MAX_DATA);
    }
}
