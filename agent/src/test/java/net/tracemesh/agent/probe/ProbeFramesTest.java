package net.tracemesh.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.tracemesh.agent.capture.LinkType;
import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.ethernet.EtherType;
import net.tracemesh.wire.ethernet.EthernetCodec;
import net.tracemesh.wire.ethernet.EthernetHeader;
import net.tracemesh.wire.icmp.IcmpCodec;
import net.tracemesh.wire.icmp.IcmpEcho;
import net.tracemesh.wire.icmp.IcmpMessage;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Header;
import net.tracemesh.wire.ipv4.Ipv4Packet;
import net.tracemesh.wire.tcp.TcpCodec;
import net.tracemesh.wire.tcp.TcpFlags;
import net.tracemesh.wire.tcp.TcpHeader;
import net.tracemesh.wire.tcp.TcpSegment;
import net.tracemesh.wire.udp.UdpCodec;
import net.tracemesh.wire.udp.UdpDatagram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbeFramesTest {
    private static final int SRC = Ipv4Address.parse("198.18.0.2");
    private static final int DST = Ipv4Address.parse("198.18.9.2");
    private static final int MAX_FRAME = 14 + 1500;

    private byte[] buf;
    private int link;

    @BeforeEach
    void linkHeader() {
        buf = new byte[MAX_FRAME];
        link = ProbeFrames.writeLinkHeader(buf, LinkType.ETHERNET, ReplyFrames.GATEWAY_MAC, ReplyFrames.OUR_MAC);
    }

    @Test
    void linkHeaderIsEthernetToTheNextHopOrNothingForRawIp() {
        assertThat(link).isEqualTo(14);
        EthernetHeader eth = EthernetCodec.decode(buf, 0, buf.length);
        assertThat(eth.destination()).isEqualTo(ReplyFrames.GATEWAY_MAC);
        assertThat(eth.source()).isEqualTo(ReplyFrames.OUR_MAC);
        assertThat(eth.etherType()).isEqualTo(EtherType.IPV4);
        assertThat(ProbeFrames.writeLinkHeader(new byte[64], LinkType.RAW_IP, null, null)).isZero();
    }

    @Test
    void udpProbeDecodesWithEveryFieldAsRequested() {
        int length = ProbeFrames.udp(buf, link, SRC, DST, 7, true, 0x0712, 40_123, 33_434, 0xBEEF, 0x1234, 60);

        assertThat(length).isEqualTo(14 + 60);
        Ipv4Packet ip = strictIp(buf, length);
        assertIpHeader(ip.header(), 60, 0x0712, true, 7, IpProtocol.UDP);
        byte[] segment = ip.payload();
        assertThat(segment).hasSize(40);
        UdpDatagram udp = UdpCodec.decode(segment, 0, segment.length);
        assertThat(udp.header().sourcePort()).isEqualTo(40_123);
        assertThat(udp.header().destinationPort()).isEqualTo(33_434);
        assertThat(udp.header().length()).isEqualTo(40);
        assertThat(udp.header().checksum()).isEqualTo(0xBEEF);
        assertThat(UdpCodec.checksumValid(SRC, DST, segment, 0, segment.length)).isTrue();
        assertThat(Bytes.u16(udp.payload(), 2)).as("check word").isEqualTo(0x1234);
        assertThat(Arrays.copyOfRange(udp.payload(), 4, udp.payload().length)).containsOnly(0);
    }

    @Test
    void icmpEchoWithForcedChecksumDecodesAndVerifies() {
        int length = ProbeFrames.icmpEcho(buf, link, SRC, DST, 12, false, 0x4321, 40_123, 0x0C05, 0x7777, 0x4321,
                84);

        assertThat(length).isEqualTo(14 + 84);
        Ipv4Packet ip = strictIp(buf, length);
        assertIpHeader(ip.header(), 84, 0x4321, false, 12, IpProtocol.ICMP);
        byte[] icmp = ip.payload();
        IcmpMessage message = IcmpCodec.decode(icmp, 0, icmp.length);
        assertThat(message).isInstanceOf(IcmpEcho.class);
        IcmpEcho echo = (IcmpEcho) message;
        assertThat(echo.type()).isEqualTo(IcmpType.ECHO_REQUEST);
        assertThat(echo.code()).isZero();
        assertThat(echo.identifier()).isEqualTo(40_123);
        assertThat(echo.sequence()).isEqualTo(0x0C05);
        assertThat(Bytes.u16(icmp, 2)).as("checksum field").isEqualTo(0x7777);
        assertThat(echo.dataLength()).isEqualTo(84 - 28);
        assertThat(Bytes.u16(echo.data(), 2)).as("check word").isEqualTo(0x4321);
    }

    @Test
    void icmpEchoWithNaturalChecksumLeavesTheCompensationWordZero() {
        int length = ProbeFrames.icmpEcho(buf, link, SRC, DST, 64, true, 0x0101, 40_123, 3, -1, 0x0101, 84);

        Ipv4Packet ip = strictIp(buf, length);
        assertIpHeader(ip.header(), 84, 0x0101, true, 64, IpProtocol.ICMP);
        IcmpEcho echo = (IcmpEcho) IcmpCodec.decode(ip.payload(), 0, ip.payload().length);
        assertThat(echo.sequence()).isEqualTo(3);
        byte[] data = echo.data();
        assertThat(Bytes.u16(data, 0)).as("compensation word").isZero();
        assertThat(Bytes.u16(data, 2)).isEqualTo(0x0101);
    }

    @Test
    void tcpSynDecodesWithEveryFieldAsRequested() {
        long sequence = 0xFEDC_BA98L;
        int length = ProbeFrames.tcpSyn(buf, link, SRC, DST, 3, false, 0x0320, 40_123, 443, sequence, 40);

        assertThat(length).isEqualTo(14 + 40);
        Ipv4Packet ip = strictIp(buf, length);
        assertIpHeader(ip.header(), 40, 0x0320, false, 3, IpProtocol.TCP);
        byte[] segment = ip.payload();
        assertThat(TcpCodec.checksumValid(SRC, DST, segment, 0, segment.length)).isTrue();
        TcpSegment tcp = TcpCodec.decode(segment, 0, segment.length);
        TcpHeader h = tcp.header();
        assertThat(h.sourcePort()).isEqualTo(40_123);
        assertThat(h.destinationPort()).isEqualTo(443);
        assertThat(h.sequence()).isEqualTo(sequence);
        assertThat(h.acknowledgement()).isZero();
        assertThat(h.flags()).isEqualTo(TcpFlags.SYN);
        assertThat(h.headerLength()).isEqualTo(20);
        assertThat(h.window()).isPositive();
        assertThat(h.urgentPointer()).isZero();
        assertThat(tcp.payload()).isEmpty();
    }

    @Test
    void tcpSynLargerThanItsHeadersCarriesZeroPayloadAndStillVerifies() {
        int length = ProbeFrames.tcpSyn(buf, link, SRC, DST, 3, true, 1, 40_123, 80, 5, 1500);

        Ipv4Packet ip = strictIp(buf, length);
        assertThat(ip.header().totalLength()).isEqualTo(1500);
        assertThat(TcpCodec.checksumValid(SRC, DST, ip.payload(), 0, ip.payload().length)).isTrue();
        assertThat(TcpCodec.decode(ip.payload(), 0, ip.payload().length).payload()).hasSize(1460).containsOnly(0);
    }

    @Test
    void rawIpFramesStartWithTheIpHeader() {
        byte[] raw = new byte[1500];
        int length = ProbeFrames.udp(raw, 0, SRC, DST, 1, false, 1, 40_000, 33_434, 0x1111, 0x2222, 60);

        assertThat(length).isEqualTo(60);
        Ipv4Packet ip = Ipv4Codec.decode(raw, 0, length);
        assertThat(UdpCodec.checksumValid(SRC, DST, ip.payload(), 0, ip.payload().length)).isTrue();
    }

    @Test
    void forcedChecksumsHoldForRandomProbesInOneReusedBuffer() {
        Random random = new Random(20_240_611);
        for (int i = 0; i < 3_000; i++) {
            int src = random.nextInt();
            int dst = random.nextInt();
            int ttl = random.nextInt(256);
            int token = random.nextInt(0x10000);
            int check = 1 + random.nextInt(0xFFFE);
            int wanted = 1 + random.nextInt(0xFFFE);
            int tag = random.nextInt(0x10000);
            int port = random.nextInt(0x10000);
            boolean df = random.nextBoolean();
            int kind = random.nextInt(4);
            int min = kind == 3 ? 40 : 32;
            int size = min + random.nextInt(1500 - min + 1);
            String what = "probe " + i + " kind " + kind + " size " + size;
            switch (kind) {
                case 0 -> {
                    int length = ProbeFrames.udp(buf, link, src, dst, ttl, df, token, tag, port, wanted, check, size);
                    Ipv4Packet ip = strictIp(buf, length);
                    assertIpHeader(ip.header(), size, token, df, ttl, IpProtocol.UDP, src, dst);
                    byte[] udp = ip.payload();
                    assertThat(UdpCodec.checksumValid(src, dst, udp, 0, udp.length)).as(what).isTrue();
                    assertThat(Bytes.u16(udp, 6)).as(what).isEqualTo(wanted);
                    assertThat(Bytes.u16(udp, 0)).as(what).isEqualTo(tag);
                    assertThat(Bytes.u16(udp, 2)).as(what).isEqualTo(port);
                    assertThat(Bytes.u16(udp, 10)).as(what).isEqualTo(check);
                }
                case 1, 2 -> {
                    int forced = kind == 1 ? wanted : -1;
                    int length = ProbeFrames.icmpEcho(buf, link, src, dst, ttl, df, check, tag, token, forced, check,
                            size);
                    Ipv4Packet ip = strictIp(buf, length);
                    assertIpHeader(ip.header(), size, check, df, ttl, IpProtocol.ICMP, src, dst);
                    byte[] icmp = ip.payload();
                    IcmpEcho echo = (IcmpEcho) IcmpCodec.decode(icmp, 0, icmp.length); // verifies the checksum
                    assertThat(echo.identifier()).as(what).isEqualTo(tag);
                    assertThat(echo.sequence()).as(what).isEqualTo(token);
                    assertThat(Bytes.u16(icmp, 10)).as(what).isEqualTo(check);
                    if (kind == 1) {
                        assertThat(Bytes.u16(icmp, 2)).as(what).isEqualTo(wanted);
                    }
                }
                default -> {
                    long sequence = ProbeIdentity.tcpSequence(token, check);
                    int length = ProbeFrames.tcpSyn(buf, link, src, dst, ttl, df, token, tag, port, sequence, size);
                    Ipv4Packet ip = strictIp(buf, length);
                    assertIpHeader(ip.header(), size, token, df, ttl, IpProtocol.TCP, src, dst);
                    byte[] tcp = ip.payload();
                    assertThat(TcpCodec.checksumValid(src, dst, tcp, 0, tcp.length)).as(what).isTrue();
                    assertThat(TcpCodec.decode(tcp, 0, tcp.length).header().sequence()).as(what).isEqualTo(sequence);
                }
            }
            for (int at = 14 + 44; at < 14 + size; at++) {
                if (buf[at] != 0) {
                    throw new AssertionError(what + ": byte " + at + " beyond the patched area is not zero");
                }
            }
        }
    }

    @Test
    void oneBufferSharedByEthernetAndRawIpEgressesKeepsValidChecksums() {
        // The engine rewrites the link header only when the egress changes; the IP header then moves by 14 bytes.
        Random random = new Random(42);
        for (int i = 0; i < 1_000; i++) {
            boolean ethernet = random.nextBoolean();
            int linkLength = ethernet
                    ? ProbeFrames.writeLinkHeader(buf, LinkType.ETHERNET, ReplyFrames.GATEWAY_MAC, ReplyFrames.OUR_MAC)
                    : ProbeFrames.writeLinkHeader(buf, LinkType.RAW_IP, null, null);
            int kind = random.nextInt(3);
            int size = 40 + random.nextInt(200);
            int check = 1 + random.nextInt(0xFFFE);
            int length = switch (kind) {
                case 0 -> ProbeFrames.udp(buf, linkLength, SRC, DST, 5, false, 1, 40_000, 33_434, check, check, size);
                case 1 -> ProbeFrames.icmpEcho(buf, linkLength, SRC, DST, 5, false, 1, 40_000, 2, check, check, size);
                default -> ProbeFrames.tcpSyn(buf, linkLength, SRC, DST, 5, false, 1, 40_000, 80, 0xFFFF_FFFFL, size);
            };
            Ipv4Packet ip = Ipv4Codec.decode(buf, linkLength, length - linkLength);
            byte[] payload = ip.payload();
            String what = "probe " + i + (ethernet ? " on Ethernet" : " raw") + " kind " + kind;
            switch (kind) {
                case 0 -> assertThat(UdpCodec.checksumValid(SRC, DST, payload, 0, payload.length)).as(what).isTrue();
                case 1 -> IcmpCodec.decode(payload, 0, payload.length);
                default -> assertThat(TcpCodec.checksumValid(SRC, DST, payload, 0, payload.length)).as(what).isTrue();
            }
        }
    }

    @Test
    void aSmallProbeAfterALargeOneOfAnotherKindStillVerifies() {
        ProbeFrames.tcpSyn(buf, link, SRC, DST, 9, true, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF_FFFFL, 1500);
        int udp = ProbeFrames.udp(buf, link, SRC, DST, 1, false, 1, 2, 3, 0x0101, 0x0202, 32);
        Ipv4Packet ip = strictIp(buf, udp);
        assertThat(UdpCodec.checksumValid(SRC, DST, ip.payload(), 0, ip.payload().length)).isTrue();

        ProbeFrames.tcpSyn(buf, link, SRC, DST, 9, true, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF_FFFFL, 1500);
        int echo = ProbeFrames.icmpEcho(buf, link, SRC, DST, 1, false, 1, 2, 3, 0xFFFE, 0x0202, 32);
        ip = strictIp(buf, echo);
        IcmpCodec.decode(ip.payload(), 0, ip.payload().length);
        assertThat(Bytes.u16(ip.payload(), 2)).isEqualTo(0xFFFE);
    }

    @Test
    void sizesOutsideTheMethodsMinimumOrTheBufferAreRefused() {
        assertThatThrownBy(() -> ProbeFrames.udp(buf, link, SRC, DST, 1, false, 1, 2, 3, 4, 5, 31))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32..1500");
        assertThatThrownBy(() -> ProbeFrames.icmpEcho(buf, link, SRC, DST, 1, false, 1, 2, 3, 4, 5, 31))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProbeFrames.tcpSyn(buf, link, SRC, DST, 1, false, 1, 2, 3, 4, 39))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40..1500");
        assertThatThrownBy(() -> ProbeFrames.udp(buf, link, SRC, DST, 1, false, 1, 2, 3, 4, 5, 1501))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ProbeFrames.udp(buf, link, SRC, DST, 1, false, 1, 2, 3, 4, 5, 1500)).isEqualTo(MAX_FRAME);
    }

    private static Ipv4Packet strictIp(byte[] frame, int length) {
        EthernetHeader eth = EthernetCodec.decode(frame, 0, length);
        assertThat(eth.etherType()).isEqualTo(EtherType.IPV4);
        return Ipv4Codec.decode(frame, eth.headerLength(), length - eth.headerLength());
    }

    private static void assertIpHeader(Ipv4Header h, int totalLength, int id, boolean df, int ttl, int protocol) {
        assertIpHeader(h, totalLength, id, df, ttl, protocol, SRC, DST);
    }

    private static void assertIpHeader(Ipv4Header h, int totalLength, int id, boolean df, int ttl, int protocol,
                                       int src, int dst) {
        assertThat(h.headerLength()).isEqualTo(20);
        assertThat(h.tos()).isZero();
        assertThat(h.totalLength()).isEqualTo(totalLength);
        assertThat(h.identification()).isEqualTo(id);
        assertThat(h.dontFragment()).isEqualTo(df);
        assertThat(h.isFragment()).isFalse();
        assertThat(h.ttl()).isEqualTo(ttl);
        assertThat(h.protocol()).isEqualTo(protocol);
        assertThat(h.source()).isEqualTo(src);
        assertThat(h.destination()).isEqualTo(dst);
    }
}
