package net.tracemesh.agent.trace;

import static net.tracemesh.agent.trace.TraceProbes.DST;
import static net.tracemesh.agent.trace.TraceProbes.SRC;
import static net.tracemesh.agent.trace.TraceProbes.TAG;
import static net.tracemesh.agent.trace.TraceProbes.ip;
import static net.tracemesh.agent.trace.TraceProbes.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.tracemesh.agent.engine.RecordingSink;
import net.tracemesh.agent.engine.TaskHarness;
import net.tracemesh.agent.probe.DropReason;
import net.tracemesh.agent.probe.ProbeMethod;
import net.tracemesh.agent.probe.Reply;
import net.tracemesh.agent.route.Egress;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.record.StopReason;
import net.tracemesh.record.TraceRecord;
import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.icmp.MplsLabelStackEntry;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Packet;
import net.tracemesh.wire.tcp.TcpFlags;
import net.tracemesh.wire.udp.UdpCodec;
import org.junit.jupiter.api.Test;

class TraceTaskTest {
    private static final long WAIT = 2_000_000_000L;
    private static final int R1 = ip("198.18.1.1");
    private static final int R2 = ip("198.18.2.1");
    private static final int R3 = ip("198.18.3.1");
    private static final int R4 = ip("198.18.4.1");

    /** Options with maximum TTL 30 and the method's port; the rest as given. */
    private static TraceOptions options(ProbeMethod method, int probes, int parallel, int gap, int retries) {
        return new TraceOptions(method, 1, 30, probes, WAIT, method.defaultPort(), parallel, gap, retries, false, 0);
    }

    private static List<Integer> tokens(int fromTtl, int toTtl, int probes) {
        List<Integer> tokens = new ArrayList<>();
        for (int ttl = fromTtl; ttl <= toTtl; ttl++) {
            for (int i = 0; i < probes; i++) {
                tokens.add(token(ttl, i));
            }
        }
        return tokens;
    }

    @Test
    void aThreeHopChainCompletesWithHopsInOrder() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 3, 8, 5, 1));
        assertThat(t.harness.requests()).containsExactlyElementsOf(tokens(1, 8, 3));
        t.transmit(0);

        // Replies in the order a network might deliver them: the destination's first.
        for (int i = 2; i >= 0; i--) {
            t.accept(t.portUnreachable(token(3, i), 3_000 + 100 * i));
        }
        for (int i = 0; i < 3; i++) {
            t.accept(t.timeExceeded(token(2, i), R2, 2_000 + 100 * i));
        }
        assertThat(t.harness.finished()).isFalse();
        for (int i = 0; i < 3; i++) {
            t.accept(t.timeExceeded(token(1, i), R1, 1_000 + 100 * i));
        }

        TraceRecord r = t.record();
        assertThat(r.type()).isEqualTo("trace");
        assertThat(r.src()).isEqualTo("198.18.0.2");
        assertThat(r.dst()).isEqualTo("198.18.9.2");
        assertThat(r.method()).isEqualTo("udp-paris");
        assertThat(r.firstTtl()).isEqualTo(1);
        assertThat(r.maxTtl()).isEqualTo(30);
        assertThat(r.probesPerHop()).isEqualTo(3);
        assertThat(r.probeSize()).isEqualTo(60);
        assertThat(r.sport()).isEqualTo(TAG);
        assertThat(r.dport()).isEqualTo(33_434);
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.stopIcmpCode()).isNull();
        assertThat(r.stopTtl()).isEqualTo(3);
        assertThat(r.probesSent()).isEqualTo(24);
        assertThat(r.pathMtu()).isNull();
        assertThat(r.end()).isAfterOrEqualTo(r.start());
        assertThat(r.hops()).extracting(HopRecord::ttl, HopRecord::probe, HopRecord::addr, HopRecord::icmpType,
                HopRecord::icmpCode, HopRecord::rttMs).containsExactly(
                tuple(1, 0, "198.18.1.1", 11, 0, 1.0), tuple(1, 1, "198.18.1.1", 11, 0, 1.1),
                tuple(1, 2, "198.18.1.1", 11, 0, 1.2),
                tuple(2, 0, "198.18.2.1", 11, 0, 2.0), tuple(2, 1, "198.18.2.1", 11, 0, 2.1),
                tuple(2, 2, "198.18.2.1", 11, 0, 2.2),
                tuple(3, 0, "198.18.9.2", 3, 3, 3.0), tuple(3, 1, "198.18.9.2", 3, 3, 3.1),
                tuple(3, 2, "198.18.9.2", 3, 3, 3.2));
        assertThat(r.hops()).allSatisfy(h -> {
            assertThat(h.mtu()).isNull();
            assertThat(h.mpls()).isNull();
            assertThat(h.tcpFlags()).isNull();
        });
        assertThat(r.hops().get(0).replyTtl()).isEqualTo(250);
        assertThat(t.harness.finishCalls()).isEqualTo(1);
    }

    @Test
    void udpParisProbesShareTheirFiveTupleAndCarryTheirIdentity() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 2, 3, 5, 1));
        List<TaskHarness.Transmitted> sent = t.transmit();

        assertThat(sent).hasSize(6);
        for (TaskHarness.Transmitted p : sent) {
            Ipv4Packet ip = Ipv4Codec.decode(p.frame(), 14, p.frame().length - 14);
            byte[] udp = ip.payload();
            assertThat(ip.header().ttl()).isEqualTo(p.token() >>> 8);
            assertThat(ip.header().identification()).isEqualTo(p.token());
            assertThat(ip.header().dontFragment()).isFalse();
            assertThat(ip.header().source()).isEqualTo(SRC);
            assertThat(ip.header().destination()).isEqualTo(DST);
            assertThat(Bytes.u16(udp, 0)).isEqualTo(TAG);
            assertThat(Bytes.u16(udp, 2)).isEqualTo(33_434);
            assertThat(UdpCodec.checksumValid(SRC, DST, udp, 0, udp.length)).isTrue();
            assertThat(p.frame()).hasSize(14 + 60);
        }
        assertThat(sent).extracting(p -> Bytes.u16(p.frame(), 14 + 20 + 6)).doesNotHaveDuplicates();
    }

    @Test
    void classicUdpMovesTheDestinationPortWithEveryProbeAndAcceptsReplies() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP, 3, 1, 5, 1));
        List<TaskHarness.Transmitted> sent = t.transmit();

        assertThat(sent).extracting(p -> Bytes.u16(p.frame(), 14 + 20 + 2)).containsExactly(33_434, 33_435, 33_436);
        t.accept(t.timeExceeded(token(1, 2), R1, 900));
        assertThat(t.reply(withFlowOf(t.timeExceeded(token(1, 0), R1, 900), 40_000))).isNull();

        assertThat(t.transmit()).isEmpty();
        t.accept(t.timeExceeded(token(1, 1), R1, 900));
        assertThat(t.transmit()).extracting(p -> Bytes.u16(p.frame(), 14 + 20 + 2))
                .containsExactly(33_437, 33_438, 33_439);
    }

    private static Reply withFlowOf(Reply r, int flow) {
        return TraceProbes.withFlow(r, flow);
    }

    @Test
    void noMoreThanTheParallelWindowOfTtlsIsInFlight() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 2, 5, 1));
        assertThat(t.harness.requests()).containsExactly(token(1, 0), token(2, 0));
        t.transmit();

        t.accept(t.timeExceeded(token(2, 0), R2, 1000));
        assertThat(t.harness.queued()).as("TTL 1 is still open: the window does not move").isEmpty();

        t.accept(t.timeExceeded(token(1, 0), R1, 1000));
        assertThat(t.harness.queued()).containsExactly(token(3, 0), token(4, 0));
        t.transmit();

        t.accept(t.timeExceeded(token(3, 0), R3, 1000));
        assertThat(t.harness.queued()).containsExactly(token(5, 0));
    }

    @Test
    void reachingTheDestinationCancelsTheTtlsBeyondIt() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 8, 5, 1));
        t.transmit();

        t.accept(t.portUnreachable(token(3, 0), 3000));

        for (int ttl = 4; ttl <= 8; ttl++) {
            assertThat(t.harness.wantsToSend(token(ttl, 0))).as("TTL %d", ttl).isFalse();
            assertThat(t.harness.wantsToSend(token(ttl, 0, 1))).as("TTL %d retry", ttl).isFalse();
        }
        assertThat(t.harness.wantsToSend(token(1, 0))).isTrue();
        assertThat(t.harness.wantsToSend(token(2, 0))).isTrue();
        assertThat(t.reply(t.portUnreachable(token(5, 0), 3000))).isEqualTo(DropReason.STALE);
        t.timeout(token(6, 0));
        assertThat(t.harness.queued()).as("no retry for a cancelled TTL").isEmpty();

        t.accept(t.timeExceeded(token(2, 0), R2, 2000));
        t.accept(t.timeExceeded(token(1, 0), R1, 1000));

        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.stopTtl()).isEqualTo(3);
        assertThat(r.hops()).extracting(HopRecord::ttl).containsExactly(1, 2, 3);
        assertThat(r.probesSent()).isEqualTo(8);
    }

    @Test
    void aDestinationAnswerAtAHigherTtlFirstIsDroppedOnceALowerTtlReachesIt() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 8, 5, 1));
        t.transmit();

        t.accept(t.portUnreachable(token(5, 0), 5000));
        t.accept(t.portUnreachable(token(4, 0), 4000));
        t.accept(t.portUnreachable(token(3, 0), 3000));
        t.accept(t.timeExceeded(token(1, 0), R1, 1000));
        t.accept(t.timeExceeded(token(2, 0), R2, 2000));

        TraceRecord r = t.record();
        assertThat(r.stopTtl()).isEqualTo(3);
        assertThat(r.hops()).extracting(HopRecord::ttl).containsExactly(1, 2, 3);
    }

    @Test
    void queuedProbesOfCancelledTtlsAreNotTransmitted() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 8, 5, 1));
        // The rate limit lets TTL 1..3 out; TTL 4..8 wait in the queue.
        assertThat(t.harness.transmit(3, TraceProbes.T0)).extracting(TaskHarness.Transmitted::token)
                .containsExactlyElementsOf(tokens(1, 3, 1));

        t.accept(t.portUnreachable(token(3, 0), 3000));
        t.timeout(token(1, 0));

        assertThat(t.transmit()).extracting(TaskHarness.Transmitted::token).containsExactly(token(1, 0, 1));
        t.accept(t.timeExceeded(token(1, 0, 1), R1, 1000));
        t.accept(t.timeExceeded(token(2, 0), R2, 1000));
        assertThat(t.record().probesSent()).isEqualTo(4);
    }

    @Test
    void hostUnreachableStopsTheTraceWithItsCode() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 4, 5, 1));
        t.transmit();

        t.accept(t.timeExceeded(token(1, 0), R1, 1000));
        t.accept(t.unreachable(token(2, 0), R2, 1, 2000));

        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.UNREACHABLE);
        assertThat(r.stopIcmpCode()).isEqualTo(1);
        assertThat(r.stopTtl()).isEqualTo(2);
        assertThat(r.hops()).extracting(HopRecord::ttl, HopRecord::addr, HopRecord::icmpType, HopRecord::icmpCode)
                .containsExactly(tuple(1, "198.18.1.1", 11, 0), tuple(2, "198.18.2.1", 3, 1));
    }

    @Test
    void portUnreachableFromARouterIsAnUnreachableNotTheDestination() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 4, 5, 1));
        t.transmit();

        t.accept(t.unreachable(token(1, 0), R1, 3, 1000));

        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.UNREACHABLE);
        assertThat(r.stopIcmpCode()).isEqualTo(3);
    }

    /**
     * A router that sends a redirect still forwards the probe (RFC 1812 5.2.7.2), so the redirect is not the
     * answer of the probe's TTL: the time exceeded that follows is.
     */
    @Test
    void aRedirectFromTheGatewayIsNotTheAnswerOfItsTtl() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 8, 5, 1));
        t.transmit();

        assertThat(t.parseRedirect(token(2, 0), TraceProbes.GATEWAY, ip("198.18.0.254"))).isNull();
        t.reply(t.timeExceeded(token(2, 0), R2, 2000));
        t.accept(t.timeExceeded(token(1, 0), R1, 1000));
        t.accept(t.portUnreachable(token(3, 0), 3000));

        TraceRecord r = t.record();
        assertThat(r.hops()).filteredOn(h -> h.ttl() == 2).extracting(HopRecord::addr, HopRecord::icmpType)
                .containsExactly(tuple("198.18.2.1", 11));
    }

    @Test
    void fragmentationNeededWithoutMtuDiscoveryIsAnUnreachable() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 4, 5, 1));
        t.transmit();

        t.accept(t.fragmentationNeeded(token(1, 0), R1, 600));

        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.UNREACHABLE);
        assertThat(r.stopIcmpCode()).isEqualTo(4);
        assertThat(r.hops().get(0).mtu()).isEqualTo(600);
        assertThat(r.pathMtu()).isNull();
    }

    @Test
    void gapLimitStopsAfterThatManySilentTtlsInARow() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 8, 3, 0));
        t.transmit();

        t.accept(t.timeExceeded(token(1, 0), R1, 1000));
        t.timeout(token(2, 0));
        t.accept(t.timeExceeded(token(3, 0), R3, 1000));
        t.timeout(token(4, 0));
        t.timeout(token(5, 0));
        assertThat(t.harness.finished()).as("a reply at TTL 3 reset the gap").isFalse();
        t.timeout(token(6, 0));

        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.GAP_LIMIT);
        assertThat(r.stopTtl()).isEqualTo(6);
        assertThat(r.stopIcmpCode()).isNull();
        assertThat(r.hops()).extracting(HopRecord::ttl).containsExactly(1, 3);
    }

    @Test
    void aTimedOutProbeIsRetriedWithTheNextAttemptAndLateRepliesAreStale() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 1, 5, 2));
        t.transmit(0);
        Reply late = t.timeExceeded(token(1, 0, 0), R1, 2_500_000);

        t.timeout(token(1, 0, 0));
        assertThat(t.harness.queued()).containsExactly(token(1, 0, 1));
        t.transmit(2_000_000);
        t.timeout(token(1, 0, 0));
        assertThat(t.harness.queued()).as("a second timeout of an old attempt changes nothing").isEmpty();

        assertThat(t.reply(late)).isEqualTo(DropReason.STALE);
        t.accept(t.timeExceeded(token(1, 0, 1), R1, 1_000));

        assertThat(t.harness.queued()).containsExactly(token(2, 0));
        t.transmit(3_000_000);
        t.timeout(token(2, 0, 0));
        t.transmit(5_000_000);
        t.timeout(token(2, 0, 1));
        t.transmit(7_000_000);
        t.timeout(token(2, 0, 2));

        assertThat(t.harness.requests()).containsExactly(token(1, 0, 0), token(1, 0, 1), token(2, 0, 0),
                token(2, 0, 1), token(2, 0, 2), token(3, 0, 0));
        t.transmit(9_000_000);
        t.accept(t.portUnreachable(token(3, 0), 1_500));

        TraceRecord r = t.record();
        assertThat(r.hops()).extracting(HopRecord::ttl, HopRecord::probe, HopRecord::rttMs)
                .containsExactly(tuple(1, 0, 1.0), tuple(3, 0, 1.5));
        assertThat(r.probesSent()).isEqualTo(6);
    }

    @Test
    void aSecondAnswerToTheSameProbeIsADuplicate() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 2, 1, 5, 1));
        t.transmit();
        Reply reply = t.timeExceeded(token(1, 0), R1, 1000);

        t.accept(reply);
        assertThat(t.reply(reply)).isEqualTo(DropReason.DUPLICATE);
        t.accept(t.timeExceeded(token(1, 1), R1, 1000));
        assertThat(t.reply(reply)).as("the hop is done").isEqualTo(DropReason.STALE);
    }

    @Test
    void aWrongCheckIsABadIdentity() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 1, 5, 1));
        t.transmit();
        Reply reply = t.timeExceeded(token(1, 0), R1, 1000);

        assertThat(t.reply(TraceProbes.withCheck(reply, reply.check() ^ 0x0100))).isEqualTo(DropReason.BAD_IDENTITY);
        assertThat(t.reply(TraceProbes.withCheck(reply, -1))).isEqualTo(DropReason.BAD_IDENTITY);
        t.accept(reply);
    }

    @Test
    void theProbeOfAnotherTraceTowardTheSameDestinationIsABadIdentity() {
        TraceOptions options = options(ProbeMethod.UDP_PARIS, 1, 1, 5, 1);
        TraceProbes mine = new TraceProbes(options, 1500, 1);
        TraceProbes earlier = new TraceProbes(options, 1500, 2);
        mine.transmit();
        earlier.transmit();

        assertThat(mine.reply(earlier.timeExceeded(token(1, 0), R1, 1000))).isEqualTo(DropReason.BAD_IDENTITY);
        mine.accept(mine.timeExceeded(token(1, 0), R1, 1000));
    }

    @Test
    void tokensOutsideTheTraceAreBadIdentities() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.UDP_PARIS, 2, 5, 2, WAIT, 33_434, 8, 5, 1,
                false, 0));
        t.transmit();
        Reply reply = t.timeExceeded(token(2, 0), R1, 1000);

        assertThat(t.reply(TraceProbes.withToken(reply, token(1, 0)))).isEqualTo(DropReason.BAD_IDENTITY);
        assertThat(t.reply(TraceProbes.withToken(reply, token(6, 0)))).isEqualTo(DropReason.BAD_IDENTITY);
        assertThat(t.reply(TraceProbes.withToken(reply, token(2, 2)))).isEqualTo(DropReason.BAD_IDENTITY);
        assertThat(t.reply(TraceProbes.withProtocol(reply, IpProtocol.TCP))).isEqualTo(DropReason.BAD_IDENTITY);
        t.accept(reply);
    }

    @Test
    void aValidReplyForATtlNotYetProbedIsStale() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 2, 5, 1));
        t.transmit();

        assertThat(t.reply(t.timeExceededForUnsent(token(5, 0), R4))).isEqualTo(DropReason.STALE);
    }

    @Test
    void udpParisRepliesForAnotherDestinationPortAreBadIdentities() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 1, 5, 1));
        t.transmit();
        Reply reply = t.timeExceeded(token(1, 0), R1, 1000);

        assertThat(t.reply(TraceProbes.withFlow(reply, 33_435))).isEqualTo(DropReason.BAD_IDENTITY);
        t.accept(reply);
    }

    @Test
    void icmpParisKeepsOneChecksumAndRefusesErrorsForAnotherFlow() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.ICMP_PARIS, 2, 3, 5, 1));
        List<TaskHarness.Transmitted> sent = t.transmit();

        assertThat(sent).hasSize(6);
        assertThat(sent).extracting(p -> Bytes.u16(p.frame(), 14 + 20 + 2)).as("ICMP checksum").containsOnly(
                Bytes.u16(sent.get(0).frame(), 14 + 20 + 2));
        assertThat(sent).extracting(p -> Bytes.u16(p.frame(), 14 + 20 + 4)).as("identifier").containsOnly(TAG);
        assertThat(sent).extracting(p -> Bytes.u16(p.frame(), 14 + 20 + 6)).as("sequence")
                .containsExactlyElementsOf(sent.stream().map(TaskHarness.Transmitted::token).toList());

        Reply error = t.timeExceeded(token(1, 0), R1, 1000);
        assertThat(t.reply(TraceProbes.withFlow(error, error.flow() ^ 1))).isEqualTo(DropReason.BAD_IDENTITY);
        t.accept(error);
        t.accept(t.timeExceeded(token(1, 1), R1, 1000));
        t.accept(t.timeExceeded(token(2, 0), R2, 1000));
        t.accept(t.timeExceeded(token(2, 1), R2, 1000));
        t.accept(t.echoReply(token(3, 1), 3000));
        t.accept(t.echoReply(token(3, 0), 3000));

        TraceRecord r = t.record();
        assertThat(r.method()).isEqualTo("icmp-paris");
        assertThat(r.sport()).isNull();
        assertThat(r.dport()).isNull();
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.stopTtl()).isEqualTo(3);
        assertThat(r.hops()).extracting(HopRecord::ttl, HopRecord::probe, HopRecord::icmpType)
                .containsExactly(tuple(1, 0, 11), tuple(1, 1, 11), tuple(2, 0, 11), tuple(2, 1, 11), tuple(3, 0, 0),
                        tuple(3, 1, 0));
    }

    @Test
    void repliesOfAnotherKindThanTheMethodAreBadIdentities() {
        TraceProbes udp = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 1, 5, 1));
        TraceProbes icmp = new TraceProbes(options(ProbeMethod.ICMP_PARIS, 1, 1, 5, 1));
        TraceProbes tcp = new TraceProbes(options(ProbeMethod.TCP, 1, 1, 5, 1));
        udp.transmit();
        icmp.transmit();
        tcp.transmit();

        assertThat(udp.reply(icmp.echoReply(token(1, 0), 1000))).isEqualTo(DropReason.BAD_IDENTITY);
        assertThat(udp.reply(tcp.tcpAnswer(token(1, 0), TcpFlags.RST | TcpFlags.ACK, 1000)))
                .isEqualTo(DropReason.BAD_IDENTITY);
        assertThat(icmp.reply(udp.timeExceeded(token(1, 0), R1, 1000))).isEqualTo(DropReason.BAD_IDENTITY);
        assertThat(tcp.reply(icmp.echoReply(token(1, 0), 1000))).isEqualTo(DropReason.BAD_IDENTITY);
    }

    @Test
    void tcpTraceEndsAtTheDestinationsSynAck() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.TCP, 1, 30, 1, WAIT, 443, 3, 5, 1, false, 0));
        List<TaskHarness.Transmitted> sent = t.transmit();
        assertThat(sent).allSatisfy(p -> {
            assertThat(p.frame()).hasSize(14 + 40);
            assertThat(Bytes.u16(p.frame(), 14 + 20 + 2)).isEqualTo(443);
            assertThat(p.frame()[14 + 20 + 13]).isEqualTo((byte) TcpFlags.SYN);
        });

        Reply wrongPort = t.tcpAnswer(token(2, 0), TcpFlags.SYN | TcpFlags.ACK, 2000);
        assertThat(t.reply(TraceProbes.withFlow(wrongPort, 80))).isEqualTo(DropReason.BAD_IDENTITY);
        t.accept(t.tcpAnswer(token(2, 0), TcpFlags.SYN | TcpFlags.ACK, 2000));
        t.accept(t.timeExceeded(token(1, 0), R1, 1000));

        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.stopTtl()).isEqualTo(2);
        assertThat(r.dport()).isEqualTo(443);
        assertThat(r.probeSize()).isEqualTo(40);
        HopRecord last = r.hops().get(1);
        assertThat(last.addr()).isEqualTo("198.18.9.2");
        assertThat(last.tcpFlags()).isEqualTo("SA");
        assertThat(last.icmpType()).isNull();
        assertThat(last.icmpCode()).isNull();
        assertThat(last.rttMs()).isEqualTo(2.0);
    }

    @Test
    void tcpResetFromTheDestinationCompletesToo() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.TCP, 1, 30, 1, WAIT, 80, 1, 5, 1, false, 0));
        t.transmit();
        t.accept(t.tcpAnswer(token(1, 0), TcpFlags.RST | TcpFlags.ACK, 700));

        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.hops().get(0).tcpFlags()).isEqualTo("RA");
    }

    @Test
    void aResetFromAClosedPortEndsATraceOfMinimalSynProbes() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.TCP, 1, 30, 1, WAIT, 81, 1, 5, 1, false, 0));
        t.transmit();
        t.accept(t.tcpResetAsLinux(token(1, 0), 700));
        assertThat(t.record().stopReason()).isEqualTo(StopReason.COMPLETED);
    }

    /**
     * A SYN larger than its headers (-s, or --mtu) carries data; the RST of a closed port acknowledges that data
     * too, so the acknowledgement is not sequence + 1.
     */
    @Test
    void aResetFromAClosedPortEndsATraceOfSynProbesCarryingData() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.TCP, 1, 30, 1, WAIT, 81, 1, 5, 1, false, 100));
        assertThat(t.transmit()).singleElement().satisfies(p -> assertThat(p.frame()).hasSize(14 + 100));

        assertThat(t.reply(t.tcpResetAsLinux(token(1, 0), 700))).as("drop reason").isNull();
        assertThat(t.record().stopReason()).isEqualTo(StopReason.COMPLETED);
    }

    @Test
    void theSameRouterTwoOrMoreTtlsApartIsALoop() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 8, 5, 1));
        t.transmit();

        t.accept(t.timeExceeded(token(1, 0), R1, 1000));
        t.accept(t.timeExceeded(token(2, 0), R2, 1000));
        t.accept(t.timeExceeded(token(3, 0), R3, 1000));
        assertThat(t.harness.finished()).isFalse();
        t.accept(t.timeExceeded(token(4, 0), R2, 1000));

        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.LOOP);
        assertThat(r.stopTtl()).isEqualTo(4);
        assertThat(r.hops()).extracting(HopRecord::addr)
                .containsExactly("198.18.1.1", "198.18.2.1", "198.18.3.1", "198.18.2.1");
    }

    @Test
    void theSameRouterAtAdjacentTtlsIsNoLoop() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.UDP_PARIS, 1, 4, 1, WAIT, 33_434, 8, 5, 1,
                false, 0));
        t.transmit();

        t.accept(t.timeExceeded(token(1, 0), R1, 1000));
        t.accept(t.timeExceeded(token(2, 0), R2, 1000));
        t.accept(t.timeExceeded(token(3, 0), R2, 1000));
        t.accept(t.timeExceeded(token(4, 0), R3, 1000));

        assertThat(t.record().stopReason()).isEqualTo(StopReason.MAX_TTL);
    }

    @Test
    void theMaximumTtlEndsATraceThatNeverArrives() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.UDP_PARIS, 2, 4, 1, WAIT, 33_434, 8, 5, 1,
                false, 0));
        assertThat(t.harness.requests()).containsExactly(token(2, 0), token(3, 0), token(4, 0));
        t.transmit();

        t.accept(t.timeExceeded(token(4, 0), R4, 1000));
        t.accept(t.timeExceeded(token(3, 0), R3, 1000));
        t.accept(t.timeExceeded(token(2, 0), R2, 1000));

        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_TTL);
        assertThat(r.stopTtl()).isEqualTo(4);
        assertThat(r.firstTtl()).isEqualTo(2);
        assertThat(r.hops()).extracting(HopRecord::ttl).containsExactly(2, 3, 4);
    }

    @Test
    void mplsLabelsReachTheHopRecord() {
        TraceProbes t = new TraceProbes(options(ProbeMethod.UDP_PARIS, 1, 1, 5, 1));
        t.transmit();
        t.accept(t.timeExceededWithMpls(token(1, 0), R1, List.of(new MplsLabelStackEntry(16_001, 2, false, 1),
                new MplsLabelStackEntry(3, 0, true, 255))));
        t.transmit();
        t.accept(t.portUnreachable(token(2, 0), 1000));

        assertThat(t.record().hops().get(0).mpls()).containsExactly(new MplsLabel(16_001, 2, false, 1),
                new MplsLabel(3, 0, true, 255));
    }

    @Test
    void pathMtuDiscoveryShrinksTheProbesToTheReportedMtu() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.UDP_PARIS, 1, 30, 1, WAIT, 33_434, 1, 5, 1,
                true, 0));
        List<TaskHarness.Transmitted> first = t.transmit();
        assertThat(first).singleElement().satisfies(p -> {
            assertThat(p.frame()).hasSize(14 + 1500);
            Ipv4Packet ip = Ipv4Codec.decode(p.frame(), 14, p.frame().length - 14);
            assertThat(ip.header().dontFragment()).isTrue();
        });
        t.accept(t.timeExceeded(token(1, 0), R1, 1000));
        t.transmit();

        t.accept(t.fragmentationNeeded(token(2, 0), R1, 600));
        assertThat(t.harness.queued()).containsExactly(token(2, 0, 1));
        List<TaskHarness.Transmitted> resent = t.transmit();
        assertThat(resent).singleElement().satisfies(p -> {
            assertThat(p.frame()).hasSize(14 + 600);
            Ipv4Packet ip = Ipv4Codec.decode(p.frame(), 14, p.frame().length - 14);
            assertThat(ip.header().ttl()).isEqualTo(2);
            assertThat(ip.header().dontFragment()).isTrue();
            assertThat(UdpCodec.checksumValid(SRC, DST, ip.payload(), 0, ip.payload().length)).isTrue();
        });
        t.accept(t.timeExceeded(token(2, 0, 1), R2, 2000));
        assertThat(t.transmit()).singleElement().satisfies(p -> assertThat(p.frame()).hasSize(14 + 600));
        t.accept(t.portUnreachable(token(3, 0), 3000));

        TraceRecord r = t.record();
        assertThat(r.pathMtu()).isEqualTo(600);
        assertThat(r.probeSize()).isEqualTo(600);
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.probesSent()).isEqualTo(4);
        assertThat(r.hops()).extracting(HopRecord::ttl, HopRecord::probe, HopRecord::addr, HopRecord::icmpType,
                HopRecord::icmpCode, HopRecord::mtu).containsExactly(
                tuple(1, 0, "198.18.1.1", 11, 0, null),
                tuple(2, 0, "198.18.1.1", 3, 4, 600),
                tuple(2, 0, "198.18.2.1", 11, 0, null),
                tuple(3, 0, "198.18.9.2", 3, 3, null));
    }

    @Test
    void pathMtuDiscoveryWithoutAReportedMtuFallsToTheNextPlateau() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.UDP_PARIS, 1, 30, 1, WAIT, 33_434, 1, 5, 1,
                true, 0));
        t.transmit();

        t.accept(t.fragmentationNeeded(token(1, 0), R1, 0));
        assertThat(t.transmit()).singleElement().satisfies(p -> assertThat(p.frame()).hasSize(14 + 1492));
        t.accept(t.portUnreachable(token(1, 0, 1), 1000));

        TraceRecord r = t.record();
        assertThat(r.pathMtu()).isEqualTo(1492);
        assertThat(r.hops().get(0).mtu()).as("no useful MTU reported").isNull();
    }

    @Test
    void pathMtuStartsAtTheInterfaceMtu() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.ICMP_PARIS, 1, 30, 1, WAIT, 0, 1, 5, 1, true,
                0), 9000, TraceProbes.NONCE);
        assertThat(t.transmit()).singleElement().satisfies(p -> assertThat(p.frame()).hasSize(14 + 9000));
    }

    /**
     * Every probe of a TTL (and of every TTL in flight) leaves at the old size before the first
     * fragmentation-needed comes back, so the same MTU is reported once per probe.
     */
    @Test
    void severalProbesAnsweredWithTheSameMtuShrinkToThatMtuOnly() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.UDP_PARIS, 1, 30, 3, WAIT, 33_434, 1, 5, 1,
                true, 0));
        assertThat(t.transmit()).hasSize(3).allSatisfy(p -> assertThat(p.frame()).hasSize(14 + 1500));

        for (int i = 0; i < 3; i++) {
            t.accept(t.fragmentationNeeded(token(1, i), R1, 600));
        }
        List<TaskHarness.Transmitted> resent = t.transmit();
        assertThat(resent).extracting(TaskHarness.Transmitted::token)
                .containsExactly(token(1, 0, 1), token(1, 1, 1), token(1, 2, 1));
        assertThat(resent).extracting(p -> p.frame().length - 14).as("sizes of the re-sent probes")
                .containsOnly(600);
        for (int i = 0; i < 3; i++) {
            t.accept(t.portUnreachable(token(1, i, 1), 1000));
        }
        assertThat(t.record().pathMtu()).isEqualTo(600);
    }

    @Test
    void anExplicitProbeSizeIsUsed() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.UDP, 1, 30, 1, WAIT, 33_434, 1, 5, 1, false,
                100));
        assertThat(t.transmit()).singleElement().satisfies(p -> assertThat(p.frame()).hasSize(14 + 100));
    }

    @Test
    void failingReportsTheDestinationAndReason() {
        RecordingSink<TraceRecord> sink = new RecordingSink<>();
        TraceTask task = new TraceTask(DST, options(ProbeMethod.UDP, 3, 8, 5, 1), sink);
        TaskHarness harness = new TaskHarness(task, new Egress("eth0", SRC, new byte[6],
                new byte[6], 0, 1500), TAG, 1);

        harness.fail("no route to 198.18.9.2");

        assertThat(harness.finished()).isTrue();
        assertThat(sink.results()).isEmpty();
        assertThat(sink.failures()).containsExactly(new RecordingSink.Failure(DST, "no route to 198.18.9.2"));
    }

    @Test
    void waitIsTheOptionsWait() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.UDP, 1, 30, 1, 1_500_000_000L, 33_434, 1, 5, 1,
                false, 0));
        assertThat(t.harness.waitNanos()).isEqualTo(1_500_000_000L);
    }

    @Test
    void manyProbesPerHopAndManyTtlsAllGetAnswered() {
        TraceProbes t = new TraceProbes(new TraceOptions(ProbeMethod.UDP_PARIS, 1, 20, 15, WAIT, 33_434, 20, 5, 0,
                false, 0));
        t.transmit();
        for (int ttl = 20; ttl >= 1; ttl--) {
            for (int i = 0; i < 15; i++) {
                int router = ip("198.18." + ttl + ".1");
                t.accept(ttl == 20 ? t.portUnreachable(token(ttl, i), 1000) : t.timeExceeded(token(ttl, i), router,
                        1000));
            }
        }
        TraceRecord r = t.record();
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.hops()).hasSize(300);
        assertThat(r.hops()).extracting(HopRecord::ttl).isSorted();
        assertThat(IntStream.range(0, 300).map(i -> r.hops().get(i).probe()).toArray())
                .containsExactly(IntStream.range(0, 300).map(i -> i % 15).toArray());
    }
}
