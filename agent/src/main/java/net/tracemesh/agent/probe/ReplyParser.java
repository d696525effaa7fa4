package net.tracemesh.agent.probe;

import java.util.List;
import net.tracemesh.agent.capture.LinkType;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.ethernet.EtherType;
import net.tracemesh.wire.ethernet.EthernetCodec;
import net.tracemesh.wire.ethernet.EthernetHeader;
import net.tracemesh.wire.icmp.IcmpCodec;
import net.tracemesh.wire.icmp.IcmpEcho;
import net.tracemesh.wire.icmp.IcmpError;
import net.tracemesh.wire.icmp.IcmpMessage;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.QuotedDatagram;
import net.tracemesh.wire.icmp.UnreachableCode;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Header;
import net.tracemesh.wire.ipv4.Ipv4Packet;
import net.tracemesh.wire.tcp.TcpCodec;
import net.tracemesh.wire.tcp.TcpFlags;
import net.tracemesh.wire.tcp.TcpHeader;

/**
 * Turns a captured frame into a {@link Reply}: a pure function of the bytes (no state, safe on any thread).
 * Frames that cannot be ours (ARP, our own outgoing probes seen on loopback, other ICMP types) give null
 * without being counted; broken ones give null and are counted by reason.
 */
public final class ReplyParser {
    private ReplyParser() {
    }

    public static Reply parse(byte[] frame, LinkType linkType, long timestampMicros, DropCounters drops) {
        try {
            int offset = 0;
            if (linkType == LinkType.ETHERNET) {
                EthernetHeader eth = EthernetCodec.decode(frame, 0, frame.length);
                if (eth.etherType() != EtherType.IPV4) {
                    return null;
                }
                offset = eth.headerLength();
            }
            Ipv4Packet packet = Ipv4Codec.decode(frame, offset, frame.length - offset);
            Ipv4Header ip = packet.header();
            if (ip.moreFragments() || ip.fragmentOffset() != 0) {
                return null;
            }
            byte[] payload = packet.payload();
            return switch (ip.protocol()) {
                case IpProtocol.ICMP -> icmp(ip, IcmpCodec.decode(payload, 0, payload.length), timestampMicros, drops);
                case IpProtocol.TCP -> tcp(ip, payload, timestampMicros, drops);
                default -> null;
            };
        } catch (MalformedPacketException e) {
            drops.increment(e.reason() == MalformedPacketException.Reason.BAD_CHECKSUM
                    ? DropReason.BAD_CHECKSUM : DropReason.MALFORMED);
            return null;
        }
    }

    private static Reply icmp(Ipv4Header ip, IcmpMessage message, long ts, DropCounters drops) {
        if (message instanceof IcmpEcho echo) {
            if (echo.type() != IcmpType.ECHO_REPLY) {
                return null;
            }
            byte[] data = echo.data();
            int check = data.length >= ProbeFrames.IDENTITY_BYTES ? ((data[2] & 0xFF) << 8) | (data[3] & 0xFF) : -1;
            return new Reply(ts, ip.source(), ip.ttl(), ReplyKind.ECHO_REPLY, echo.type(), echo.code(), 0, List.of(),
                    0, ip.destination(), ip.source(), IpProtocol.ICMP, echo.identifier(), echo.sequence(), check,
                    -1, -1);
        }
        // A redirect is advice to the sender, not an answer: the router forwards the probe all the same.
        if (!(message instanceof IcmpError error) || error.type() == IcmpType.REDIRECT) {
            return null;
        }
        QuotedDatagram quoted = error.quoted();
        Ipv4Header probe = quoted.header();
        int mtu = error.type() == IcmpType.DESTINATION_UNREACHABLE
                && error.code() == UnreachableCode.FRAGMENTATION_NEEDED ? error.nextHopMtu() : 0;
        int tag;
        int token;
        int check;
        int flow;
        switch (probe.protocol()) {
            case IpProtocol.UDP -> {
                if (quoted.udpChecksum() < 0) {
                    drops.increment(DropReason.SHORT_QUOTE);
                    return null;
                }
                tag = quoted.sourcePort();
                flow = quoted.destinationPort();
                token = probe.identification();
                check = quoted.udpChecksum();
            }
            case IpProtocol.ICMP -> {
                if (quoted.icmpSequence() < 0) {
                    drops.increment(DropReason.SHORT_QUOTE);
                    return null;
                }
                if (quoted.icmpType() != IcmpType.ECHO_REQUEST) {
                    return null;
                }
                tag = quoted.icmpIdentifier();
                token = quoted.icmpSequence();
                check = probe.identification();
                flow = quoted.icmpChecksum();
            }
            case IpProtocol.TCP -> {
                if (quoted.tcpSequence() < 0) {
                    drops.increment(DropReason.SHORT_QUOTE);
                    return null;
                }
                tag = quoted.sourcePort();
                flow = quoted.destinationPort();
                token = ProbeIdentity.tokenOfTcpSequence(quoted.tcpSequence());
                check = ProbeIdentity.checkOfTcpSequence(quoted.tcpSequence());
            }
            default -> {
                return null;
            }
        }
        return new Reply(ts, ip.source(), ip.ttl(), ReplyKind.ICMP_ERROR, error.type(), error.code(), mtu,
                error.mplsLabelStack(), 0, probe.source(), probe.destination(), probe.protocol(), tag, token, check,
                flow, probe.totalLength());
    }

    private static Reply tcp(Ipv4Header ip, byte[] segment, long ts, DropCounters drops) {
        if (!TcpCodec.checksumValid(ip.source(), ip.destination(), segment, 0, segment.length)) {
            drops.increment(DropReason.BAD_CHECKSUM);
            return null;
        }
        TcpHeader tcp = TcpCodec.decode(segment, 0, segment.length).header();
        int flags = tcp.flags();
        boolean synAck = (flags & (TcpFlags.SYN | TcpFlags.ACK)) == (TcpFlags.SYN | TcpFlags.ACK);
        boolean reset = (flags & TcpFlags.RST) != 0;
        if (!synAck && !reset) {
            return null;
        }
        // ack = sequence + 1 for a SYN without data; a RST to a SYN carrying data also counts the data, which
        // only the trace knows the size of (see TraceTask).
        long probeSequence = (tcp.acknowledgement() - 1) & 0xFFFFFFFFL;
        return new Reply(ts, ip.source(), ip.ttl(), ReplyKind.TCP, -1, -1, 0, List.of(), flags, ip.destination(),
                ip.source(), IpProtocol.TCP, tcp.destinationPort(), ProbeIdentity.tokenOfTcpSequence(probeSequence),
                ProbeIdentity.checkOfTcpSequence(probeSequence), tcp.sourcePort(), -1);
    }
}
