package net.tracemesh.agent.probe;

import java.util.Arrays;
import net.tracemesh.wire.ethernet.EtherType;
import net.tracemesh.wire.ethernet.EthernetCodec;
import net.tracemesh.wire.ethernet.MacAddress;
import net.tracemesh.wire.icmp.IcmpCodec;
import net.tracemesh.wire.icmp.IcmpEcho;
import net.tracemesh.wire.icmp.IcmpError;
import net.tracemesh.wire.icmp.QuotedDatagram;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Header;
import net.tracemesh.wire.ipv4.Ipv4Packet;
import net.tracemesh.wire.tcp.TcpCodec;
import net.tracemesh.wire.tcp.TcpFlags;
import net.tracemesh.wire.tcp.TcpHeader;
import net.tracemesh.wire.tcp.TcpSegment;

/**
 * Builds the frames that come back for probes, with the common encoders only: ICMP errors quoting a probe frame,
 * echo replies, TCP answers to a SYN. Frames arrive on Ethernet, addressed to our MAC from the gateway's.
 */
public final class ReplyFrames {
    public static final byte[] OUR_MAC = MacAddress.parse("02:00:00:00:00:01");
    public static final byte[] GATEWAY_MAC = MacAddress.parse("02:00:00:00:00:fe");
    /** What RFC 792 requires a router to quote after the IP header. */
    public static final int RFC792_QUOTE = 8;

    private ReplyFrames() {
    }

    /** The probe as a router quotes it: its IP header as sent, then the first {@code transportBytes} after it. */
    public static QuotedDatagram quote(byte[] probeFrame, int linkLength, int transportBytes) {
        Ipv4Header header = Ipv4Codec.decodeQuotedHeader(probeFrame, linkLength, probeFrame.length - linkLength);
        int from = linkLength + header.headerLength();
        int to = Math.min(probeFrame.length, from + transportBytes);
        return new QuotedDatagram(header, Arrays.copyOfRange(probeFrame, from, to));
    }

    /** The probe as Linux routers quote it: as much as fits in 576 bytes. */
    public static QuotedDatagram quoteAsLinux(byte[] probeFrame, int linkLength) {
        return quote(probeFrame, linkLength, 576 - 20 - 8 - 20);
    }

    /** An IPv4 datagram with a correct header checksum. */
    public static byte[] ip(int src, int dst, int ttl, int protocol, byte[] payload) {
        return Ipv4Codec.encode(Ipv4Header.of(0, 0, 0x1234, false, ttl, protocol, src, dst), payload);
    }

    /** An IPv4 datagram in an Ethernet frame toward us. */
    public static byte[] ethernet(byte[] datagram) {
        byte[] frame = new byte[14 + datagram.length];
        EthernetCodec.encode(OUR_MAC, GATEWAY_MAC, EtherType.IPV4, frame, 0);
        System.arraycopy(datagram, 0, frame, 14, datagram.length);
        return frame;
    }

    /** An ICMP error from {@code from} to {@code to}, in an Ethernet frame. */
    public static byte[] icmpError(int from, int to, int replyTtl, IcmpError error) {
        return ethernet(ip(from, to, replyTtl, IpProtocol.ICMP, IcmpCodec.encode(error)));
    }

    /** The echo reply a host sends for the echo request in {@code probeFrame}: same identifier, sequence and data. */
    public static byte[] echoReply(byte[] probeFrame, int linkLength, int replyTtl) {
        Ipv4Packet probe = Ipv4Codec.decode(probeFrame, linkLength, probeFrame.length - linkLength);
        IcmpEcho request = (IcmpEcho) IcmpCodec.decode(probe.payload(), 0, probe.payload().length);
        IcmpEcho reply = IcmpEcho.reply(request.identifier(), request.sequence(), request.data());
        return ethernet(ip(probe.header().destination(), probe.header().source(), replyTtl, IpProtocol.ICMP,
                IcmpCodec.encode(reply)));
    }

    /**
     * The TCP answer ({@code flags}, e.g. SYN+ACK or RST+ACK) of the destination to the SYN in {@code probeFrame},
     * acknowledging the SYN only (sequence + 1), as a listener does.
     */
    public static byte[] tcpAnswer(byte[] probeFrame, int linkLength, int flags, int replyTtl) {
        return tcpAnswer(probeFrame, linkLength, flags, replyTtl, false);
    }

    /**
     * The RST+ACK Linux sends for a SYN to a closed port: it acknowledges the SYN and any data it carried
     * (tcp_v4_send_reset: ack = seq + SYN + FIN + payload length).
     */
    public static byte[] tcpResetAsLinux(byte[] probeFrame, int linkLength, int replyTtl) {
        return tcpAnswer(probeFrame, linkLength, TcpFlags.RST | TcpFlags.ACK, replyTtl, true);
    }

    private static byte[] tcpAnswer(byte[] probeFrame, int linkLength, int flags, int replyTtl, boolean ackData) {
        Ipv4Packet probe = Ipv4Codec.decode(probeFrame, linkLength, probeFrame.length - linkLength);
        TcpSegment syn = TcpCodec.decode(probe.payload(), 0, probe.payload().length);
        int src = probe.header().destination();
        int dst = probe.header().source();
        long acknowledged = 1 + (ackData ? syn.payload().length : 0);
        TcpHeader answer = new TcpHeader(syn.header().destinationPort(), syn.header().sourcePort(), 0x1000_0000L,
                (syn.header().sequence() + acknowledged) & 0xFFFF_FFFFL, flags, 29_200, 0, 0, null);
        return ethernet(ip(src, dst, replyTtl, IpProtocol.TCP, TcpCodec.encode(src, dst, answer, null)));
    }
}
