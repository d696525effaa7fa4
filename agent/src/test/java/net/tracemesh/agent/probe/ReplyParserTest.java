package net.tracemesh.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.tracemesh.agent.capture.LinkType;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.ethernet.ArpCodec;
import net.tracemesh.wire.ethernet.ArpOperation;
import net.tracemesh.wire.ethernet.ArpPacket;
import net.tracemesh.wire.ethernet.EtherType;
import net.tracemesh.wire.ethernet.EthernetCodec;
import net.tracemesh.wire.icmp.IcmpCodec;
import net.tracemesh.wire.icmp.IcmpEcho;
import net.tracemesh.wire.icmp.IcmpError;
import net.tracemesh.wire.icmp.IcmpExtensionCodec;
import net.tracemesh.wire.icmp.IcmpTimestamp;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.MplsLabelStackEntry;
import net.tracemesh.wire.icmp.QuotedDatagram;
import net.tracemesh.wire.icmp.TimeExceededCode;
import net.tracemesh.wire.icmp.UnreachableCode;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Header;
import net.tracemesh.wire.tcp.TcpCodec;
import net.tracemesh.wire.tcp.TcpFlags;
import net.tracemesh.wire.tcp.TcpHeader;
import net.tracemesh.wire.udp.UdpCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplyParserTest {
    private static final int SRC = Ipv4Address.parse("198.18.0.2");
    private static final int DST = Ipv4Address.parse("198.18.9.2");
    private static final int ROUTER = Ipv4Address.parse("198.18.1.1");
    private static final int TAG = 40_123;
    private static final long TS = 1_700_000_000_123_456L;
    private static final int LINK = 14;

    private final byte[] buf = new byte[14 + 1500];
    private DropCounters drops;

    @BeforeEach
    void setUp() {
        ProbeFrames.writeLinkHeader(buf, LinkType.ETHERNET, ReplyFrames.GATEWAY_MAC, ReplyFrames.OUR_MAC);
        drops = new DropCounters();
    }

    private byte[] udpProbe(int ttl, int token, int dport, int check, int size) {
        int n = ProbeFrames.udp(buf, LINK, SRC, DST, ttl, false, token, TAG, dport, check, check, size);
        return Arrays.copyOf(buf, n);
    }

    private byte[] icmpProbe(int ttl, int token, int flow, int check, int size) {
        int n = ProbeFrames.icmpEcho(buf, LINK, SRC, DST, ttl, false, check, TAG, token, flow, check, size);
        return Arrays.copyOf(buf, n);
    }

    private byte[] tcpProbe(int ttl, int token, int check, int dport) {
        int n = ProbeFrames.tcpSyn(buf, LINK, SRC, DST, ttl, false, token, TAG, dport,
                ProbeIdentity.tcpSequence(token, check), 40);
        return Arrays.copyOf(buf, n);
    }

    private Reply parse(byte[] frame) {
        return ReplyParser.parse(frame, LinkType.ETHERNET, TS, drops);
    }

    @Test
    void timeExceededForAUdpProbeRecoversEveryField() {
        int token = ProbeIdentity.token(1, 2, 0);
        byte[] probe = udpProbe(1, token, 33_434, 0xABCD, 60);
        byte[] frame = ReplyFrames.icmpError(ROUTER, SRC, 64,
                IcmpError.timeExceeded(TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT,
                        ReplyFrames.quote(probe, LINK, ReplyFrames.RFC792_QUOTE)));

        Reply r = parse(frame);

        assertThat(r).isEqualTo(new Reply(TS, ROUTER, 64, ReplyKind.ICMP_ERROR, IcmpType.TIME_EXCEEDED, 0, 0,
                List.of(), 0, SRC, DST, IpProtocol.UDP, TAG, token, 0xABCD, 33_434, 60));
        assertThat(drops.total()).isZero();
    }

    @Test
    void portUnreachableFromTheDestinationQuotingTheWholeProbe() {
        int token = ProbeIdentity.token(9, 0, 1);
        byte[] probe = udpProbe(1, token, 33_500, 0x0102, 120);
        byte[] frame = ReplyFrames.icmpError(DST, SRC, 55,
                IcmpError.unreachable(UnreachableCode.PORT, ReplyFrames.quoteAsLinux(probe, LINK)));

        Reply r = parse(frame);

        assertThat(r.kind()).isEqualTo(ReplyKind.ICMP_ERROR);
        assertThat(r.responder()).isEqualTo(DST);
        assertThat(r.replyTtl()).isEqualTo(55);
        assertThat(r.icmpType()).isEqualTo(IcmpType.DESTINATION_UNREACHABLE);
        assertThat(r.icmpCode()).isEqualTo(UnreachableCode.PORT);
        assertThat(r.mtu()).isZero();
        assertThat(r.token()).isEqualTo(token);
        assertThat(r.check()).isEqualTo(0x0102);
        assertThat(r.flow()).isEqualTo(33_500);
        assertThat(r.tag()).isEqualTo(TAG);
        assertThat(r.probeSource()).isEqualTo(SRC);
        assertThat(r.probeDestination()).isEqualTo(DST);
    }

    @Test
    void fragmentationNeededCarriesTheNextHopMtu() {
        int token = ProbeIdentity.token(2, 0, 0);
        byte[] probe = udpProbe(2, token, 33_434, 0x5555, 1500);
        byte[] frame = ReplyFrames.icmpError(ROUTER, SRC, 63,
                IcmpError.fragmentationNeeded(600, ReplyFrames.quoteAsLinux(probe, LINK)));

        Reply r = parse(frame);

        assertThat(r.icmpType()).isEqualTo(IcmpType.DESTINATION_UNREACHABLE);
        assertThat(r.icmpCode()).isEqualTo(UnreachableCode.FRAGMENTATION_NEEDED);
        assertThat(r.mtu()).isEqualTo(600);
        assertThat(r.token()).isEqualTo(token);
        assertThat(r.check()).isEqualTo(0x5555);
    }

    @Test
    void mplsLabelStackOfAnExtendedTimeExceeded() {
        int token = ProbeIdentity.token(3, 1, 0);
        byte[] probe = udpProbe(3, token, 33_434, 0x0F0F, 60);
        List<MplsLabelStackEntry> stack = List.of(new MplsLabelStackEntry(16_001, 0, false, 1),
                new MplsLabelStackEntry(24_002, 5, true, 254));
        IcmpError error = IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, 40))
                .withExtensions(List.of(IcmpExtensionCodec.encodeMplsLabelStack(stack)));

        Reply r = parse(ReplyFrames.icmpError(ROUTER, SRC, 250, error));

        assertThat(r.mpls()).containsExactlyElementsOf(stack);
        assertThat(r.token()).isEqualTo(token);
        assertThat(r.check()).isEqualTo(0x0F0F);
        assertThat(r.flow()).isEqualTo(33_434);
    }

    @Test
    void timeExceededForAnIcmpProbeTakesCheckFromIpIdAndFlowFromTheChecksum() {
        int token = ProbeIdentity.token(4, 0, 2);
        byte[] probe = icmpProbe(4, token, 0x9999, 0x2468, 60);
        byte[] frame = ReplyFrames.icmpError(ROUTER, SRC, 61,
                IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, ReplyFrames.RFC792_QUOTE)));

        Reply r = parse(frame);

        assertThat(r).isEqualTo(new Reply(TS, ROUTER, 61, ReplyKind.ICMP_ERROR, IcmpType.TIME_EXCEEDED, 0, 0,
                List.of(), 0, SRC, DST, IpProtocol.ICMP, TAG, token, 0x2468, 0x9999, 60));
    }

    @Test
    void echoReplyTakesTheCheckFromItsData() {
        int token = ProbeIdentity.token(5, 1, 0);
        byte[] probe = icmpProbe(5, token, 0x9999, 0x1357, 60);

        Reply r = parse(ReplyFrames.echoReply(probe, LINK, 60));

        assertThat(r).isEqualTo(new Reply(TS, DST, 60, ReplyKind.ECHO_REPLY, IcmpType.ECHO_REPLY, 0, 0, List.of(), 0,
                SRC, DST, IpProtocol.ICMP, TAG, token, 0x1357, -1, -1));
    }

    @Test
    void echoReplyWithoutDataHasNoCheck() {
        byte[] frame = ReplyFrames.ethernet(ReplyFrames.ip(DST, SRC, 60, IpProtocol.ICMP,
                IcmpCodec.encode(IcmpEcho.reply(TAG, 7, new byte[3]))));

        Reply r = parse(frame);

        assertThat(r.check()).isEqualTo(-1);
        assertThat(r.token()).isEqualTo(7);
    }

    @Test
    void tcpResetAckAnswersTheSynItAcknowledges() {
        int token = ProbeIdentity.token(6, 2, 1);
        byte[] probe = tcpProbe(6, token, 0x7531, 443);

        Reply r = parse(ReplyFrames.tcpAnswer(probe, LINK, TcpFlags.RST | TcpFlags.ACK, 58));

        assertThat(r).isEqualTo(new Reply(TS, DST, 58, ReplyKind.TCP, -1, -1, 0, List.of(),
                TcpFlags.RST | TcpFlags.ACK, SRC, DST, IpProtocol.TCP, TAG, token, 0x7531, 443, -1));
    }

    @Test
    void tcpSynAckAcknowledgingSequencePlusOne() {
        int token = ProbeIdentity.token(255, 15, 15);
        byte[] probe = tcpProbe(255, token, 0xFFFE, 80);

        Reply r = parse(ReplyFrames.tcpAnswer(probe, LINK, TcpFlags.SYN | TcpFlags.ACK, 64));

        assertThat(r.kind()).isEqualTo(ReplyKind.TCP);
        assertThat(r.tcpFlags()).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
        assertThat(r.token()).isEqualTo(token);
        assertThat(r.check()).isEqualTo(0xFFFE);
        assertThat(r.flow()).isEqualTo(80);
        assertThat(r.tag()).isEqualTo(TAG);
    }

    @Test
    void icmpErrorQuotingATcpProbe() {
        int token = ProbeIdentity.token(2, 0, 0);
        byte[] probe = tcpProbe(2, token, 0x4242, 443);

        Reply r = parse(ReplyFrames.icmpError(ROUTER, SRC, 62,
                IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, ReplyFrames.RFC792_QUOTE))));

        assertThat(r.probeProtocol()).isEqualTo(IpProtocol.TCP);
        assertThat(r.tag()).isEqualTo(TAG);
        assertThat(r.flow()).isEqualTo(443);
        assertThat(r.token()).isEqualTo(token);
        assertThat(r.check()).isEqualTo(0x4242);
    }

    @Test
    void rawIpFramesParseToo() {
        byte[] probe = udpProbe(1, 0x0100, 33_434, 0x0A0A, 60);
        byte[] frame = ReplyFrames.icmpError(ROUTER, SRC, 64,
                IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, 8)));

        Reply r = ReplyParser.parse(Arrays.copyOfRange(frame, 14, frame.length), LinkType.RAW_IP, TS, drops);

        assertThat(r.check()).isEqualTo(0x0A0A);
    }

    @Test
    void vlanTaggedFramesParse() {
        byte[] probe = udpProbe(1, 0x0100, 33_434, 0x0A0A, 60);
        byte[] frame = ReplyFrames.icmpError(ROUTER, SRC, 64,
                IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, 8)));
        byte[] tagged = new byte[frame.length + 4];
        System.arraycopy(frame, 0, tagged, 0, 12);
        tagged[12] = (byte) 0x81;
        tagged[13] = 0x00;
        tagged[14] = 0x00;
        tagged[15] = 0x0A;
        System.arraycopy(frame, 12, tagged, 16, frame.length - 12);

        assertThat(parse(tagged).check()).isEqualTo(0x0A0A);
    }

    @Test
    void ethernetPaddingAfterTheDatagramIsIgnored() {
        byte[] probe = tcpProbe(6, 0x0600, 0x1111, 80);
        byte[] frame = ReplyFrames.tcpAnswer(probe, LINK, TcpFlags.RST | TcpFlags.ACK, 64);
        byte[] padded = Arrays.copyOf(frame, 60);

        assertThat(parse(padded).check()).isEqualTo(0x1111);
        assertThat(drops.total()).isZero();
    }

    @Test
    void badIcmpChecksumIsDroppedAndCounted() {
        byte[] probe = udpProbe(1, 0x0100, 33_434, 0x0A0A, 60);
        byte[] frame = ReplyFrames.icmpError(ROUTER, SRC, 64,
                IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, 8)));
        frame[14 + 20 + 2] ^= 0x01;

        assertThat(parse(frame)).isNull();
        assertThat(drops.get(DropReason.BAD_CHECKSUM)).isEqualTo(1);
        assertThat(drops.total()).isEqualTo(1);
    }

    @Test
    void badIpHeaderChecksumIsDroppedAndCounted() {
        byte[] probe = udpProbe(1, 0x0100, 33_434, 0x0A0A, 60);
        byte[] frame = ReplyFrames.icmpError(ROUTER, SRC, 64,
                IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, 8)));
        frame[14 + 8] ^= 0x10; // the TTL, without fixing the header checksum

        assertThat(parse(frame)).isNull();
        assertThat(drops.get(DropReason.BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void badTcpChecksumIsDroppedAndCounted() {
        byte[] probe = tcpProbe(6, 0x0600, 0x1111, 80);
        byte[] frame = ReplyFrames.tcpAnswer(probe, LINK, TcpFlags.RST | TcpFlags.ACK, 64);
        frame[frame.length - 1] ^= 0x40;

        assertThat(parse(frame)).isNull();
        assertThat(drops.get(DropReason.BAD_CHECKSUM)).isEqualTo(1);
        assertThat(drops.total()).isEqualTo(1);
    }

    @Test
    void truncatedFramesAreMalformed() {
        byte[] probe = udpProbe(1, 0x0100, 33_434, 0x0A0A, 60);
        byte[] frame = ReplyFrames.icmpError(ROUTER, SRC, 64,
                IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, 8)));

        assertThat(parse(Arrays.copyOf(frame, frame.length - 1))).isNull();
        assertThat(parse(Arrays.copyOf(frame, 14 + 19))).isNull();
        assertThat(parse(Arrays.copyOf(frame, 10))).isNull();
        assertThat(parse(new byte[0])).isNull();

        assertThat(drops.get(DropReason.MALFORMED)).isEqualTo(4);
        assertThat(drops.total()).isEqualTo(4);
    }

    @Test
    void garbageIsMalformed() {
        byte[] frame = ReplyFrames.ethernet(new byte[40]); // version 0
        assertThat(parse(frame)).isNull();
        assertThat(drops.get(DropReason.MALFORMED)).isEqualTo(1);
    }

    @Test
    void anIcmpErrorWhoseQuotedHeaderIsCutShortIsMalformed() {
        byte[] probe = udpProbe(1, 0x0100, 33_434, 0x0A0A, 60);
        byte[] icmp = IcmpCodec.encode(IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, 8)));
        byte[] shortened = Arrays.copyOf(icmp, 8 + 12);
        shortened[2] = 0;
        shortened[3] = 0;
        int sum = InternetChecksum.checksum(shortened, 0, shortened.length);
        shortened[2] = (byte) (sum >>> 8);
        shortened[3] = (byte) sum;

        assertThat(parse(ReplyFrames.ethernet(ReplyFrames.ip(ROUTER, SRC, 64, IpProtocol.ICMP, shortened)))).isNull();
        assertThat(drops.get(DropReason.MALFORMED)).isEqualTo(1);
    }

    @Test
    void quotesTooShortForTheIdentityAreCountedAsShortQuotes() {
        byte[] udp = udpProbe(1, 0x0100, 33_434, 0x0A0A, 60);
        byte[] icmp = icmpProbe(1, 0x0100, 0x9999, 0x0A0A, 60);
        byte[] tcp = tcpProbe(1, 0x0100, 0x0A0A, 80);
        for (byte[] probe : List.of(udp, icmp, tcp)) {
            for (int quoted : new int[] {0, 4, 7}) {
                byte[] frame = ReplyFrames.icmpError(ROUTER, SRC, 64,
                        IcmpError.timeExceeded(0, ReplyFrames.quote(probe, LINK, quoted)));
                assertThat(parse(frame)).isNull();
            }
        }
        assertThat(drops.get(DropReason.SHORT_QUOTE)).isEqualTo(9);
        assertThat(drops.total()).isEqualTo(9);
    }

    @Test
    void framesThatCannotBeRepliesAreIgnoredWithoutCounting() {
        // ARP
        byte[] arp = ArpCodec.encode(new ArpPacket(ArpOperation.REQUEST, ReplyFrames.GATEWAY_MAC, ROUTER,
                new byte[6], SRC));
        byte[] arpFrame = new byte[14 + arp.length];
        EthernetCodec.encode(ReplyFrames.OUR_MAC, ReplyFrames.GATEWAY_MAC, EtherType.ARP, arpFrame, 0);
        System.arraycopy(arp, 0, arpFrame, 14, arp.length);
        assertThat(parse(arpFrame)).isNull();

        // our own echo request, seen on loopback
        assertThat(parse(icmpProbe(64, 1, -1, 0x0A0A, 60))).isNull();
        // our own UDP probe
        assertThat(parse(udpProbe(64, 1, 33_434, 0x0A0A, 60))).isNull();
        // our own TCP SYN
        assertThat(parse(tcpProbe(64, 1, 0x0A0A, 80))).isNull();
        // a TCP segment that is neither SYN-ACK nor RST
        byte[] ack = TcpCodec.encode(DST, SRC, new TcpHeader(80, TAG, 1, 2, TcpFlags.ACK, 100, 0, 0, null), null);
        assertThat(parse(ReplyFrames.ethernet(ReplyFrames.ip(DST, SRC, 64, IpProtocol.TCP, ack)))).isNull();
        // ICMP timestamp reply
        byte[] timestamp = IcmpCodec.encode(new IcmpTimestamp(IcmpType.TIMESTAMP_REPLY, 0, 1, 2, 3, 4, 5));
        assertThat(parse(ReplyFrames.ethernet(ReplyFrames.ip(DST, SRC, 64, IpProtocol.ICMP, timestamp)))).isNull();
        // an ICMP error quoting an echo reply (not one of our probes)
        byte[] echoReply = ReplyFrames.ip(SRC, DST, 1, IpProtocol.ICMP, IcmpCodec.encode(IcmpEcho.reply(TAG, 1,
                new byte[8])));
        QuotedDatagram quoted = new QuotedDatagram(Ipv4Codec.decodeQuotedHeader(echoReply, 0, echoReply.length),
                Arrays.copyOfRange(echoReply, 20, 28));
        assertThat(parse(ReplyFrames.icmpError(ROUTER, SRC, 64, IcmpError.timeExceeded(0, quoted)))).isNull();
        // an ICMP error quoting a protocol we never probe with (GRE)
        byte[] gre = ReplyFrames.ip(SRC, DST, 1, 47, new byte[8]);
        QuotedDatagram greQuote = new QuotedDatagram(Ipv4Codec.decodeQuotedHeader(gre, 0, gre.length),
                Arrays.copyOfRange(gre, 20, 28));
        assertThat(parse(ReplyFrames.icmpError(ROUTER, SRC, 64, IcmpError.timeExceeded(0, greQuote)))).isNull();
        // a UDP datagram
        byte[] udp = UdpCodec.encode(DST, SRC, 53, TAG, new byte[4]);
        assertThat(parse(ReplyFrames.ethernet(ReplyFrames.ip(DST, SRC, 64, IpProtocol.UDP, udp)))).isNull();
        // a fragment
        byte[] fragment = Ipv4Codec.encode(new Ipv4Header(0, 0, 9, false, true, 0, 64, IpProtocol.ICMP, 0, DST, SRC,
                null), new byte[16]);
        assertThat(parse(ReplyFrames.ethernet(fragment))).isNull();

        assertThat(drops.total()).isZero();
    }
}
