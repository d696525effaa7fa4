package net.tracemesh.wire.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import net.tracemesh.wire.Captures;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Header;
import net.tracemesh.wire.ipv4.Ipv4Packet;
import net.tracemesh.wire.udp.UdpCodec;
import org.junit.jupiter.api.Test;

/** ICMP messages captured from Linux in network namespaces (see capture-lab.sh beside the captures). */
class IcmpCaptureTest {

    /** The ICMP message of frame {@code index}, after checking it re-encodes to the captured bytes. */
    private static IcmpMessage icmp(String capture, int index) {
        Ipv4Packet ip = Captures.ipv4(capture, index);
        assertThat(ip.header().protocol()).isEqualTo(IpProtocol.ICMP);
        byte[] payload = ip.payload();
        IcmpMessage m = IcmpCodec.decode(payload, 0, payload.length);
        assertThat(IcmpCodec.encode(m)).as("re-encoded %s", capture).isEqualTo(payload);
        return m;
    }

    private static IcmpError error(String capture, int type, int code) {
        IcmpMessage m = icmp(capture, 1);
        assertThat(m).isInstanceOf(IcmpError.class);
        assertThat(m.type()).isEqualTo(type);
        assertThat(m.code()).isEqualTo(code);
        IcmpError e = (IcmpError) m;
        assertThat(e.extensions()).isEmpty();
        assertThat(e.mplsLabelStack()).isEmpty();
        assertThat(e.gateway()).isZero();
        Ipv4Header outer = Captures.ipv4(capture, 1).header();
        assertThat(outer.tos()).isEqualTo(0xC0);
        assertThat(outer.destination()).isEqualTo(Captures.PROBER);
        // the quote is the probe as the sender sent it, apart from what routers rewrite
        Ipv4Header probe = Captures.ipv4(capture, 0).header();
        Ipv4Header quoted = e.quoted().header();
        assertThat(quoted.identification()).isEqualTo(probe.identification());
        assertThat(quoted.source()).isEqualTo(probe.source());
        assertThat(quoted.destination()).isEqualTo(probe.destination());
        assertThat(quoted.protocol()).isEqualTo(probe.protocol());
        assertThat(quoted.totalLength()).isEqualTo(probe.totalLength());
        assertThat(quoted.dontFragment()).isEqualTo(probe.dontFragment());
        return e;
    }

    @Test
    void echoRequestAndReply() {
        for (int seq = 1; seq <= 2; seq++) {
            IcmpEcho request = (IcmpEcho) icmp("echo", 2 * seq - 2);
            assertThat(request.type()).isEqualTo(IcmpType.ECHO_REQUEST);
            assertThat(request.code()).isZero();
            assertThat(request.identifier()).isEqualTo(8130);
            assertThat(request.sequence()).isEqualTo(seq);
            assertThat(request.dataLength()).isEqualTo(56);
            IcmpEcho reply = (IcmpEcho) icmp("echo", 2 * seq - 1);
            assertThat(reply.type()).isEqualTo(IcmpType.ECHO_REPLY);
            assertThat(reply.identifier()).isEqualTo(8130);
            assertThat(reply.sequence()).isEqualTo(seq);
            assertThat(reply.data()).isEqualTo(request.data());
        }
        byte[] first = Captures.ipv4("echo", 0).payload();
        assertThat(HexFormat.of().formatHex(first, 0, 8)).isEqualTo("080098ff1fc20001");
    }

    @Test
    void timeExceededQuotingUdpProbe() {
        IcmpError e = error("time-exceeded-udp", IcmpType.TIME_EXCEEDED, TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT);
        assertThat(Captures.ipv4("time-exceeded-udp", 1).header().source()).isEqualTo(Captures.ROUTER);
        Ipv4Header q = e.quoted().header();
        assertThat(q.ttl()).isEqualTo(1);
        assertThat(q.identification()).isEqualTo(49847);
        assertThat(q.checksum()).isEqualTo(0x67D1);
        assertThat(q.totalLength()).isEqualTo(60);
        assertThat(q.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(q.destination()).isEqualTo(Captures.TARGET);
        // Linux quotes the whole 60-byte probe, far more than the 8 bytes RFC 792 asks for
        assertThat(e.quoted().transportLength()).isEqualTo(40);
        assertThat(e.quoted().sourcePort()).isEqualTo(60764);
        assertThat(e.quoted().destinationPort()).isEqualTo(53);
        assertThat(e.quoted().udpLength()).isEqualTo(40);
        assertThat(e.quoted().udpChecksum()).isEqualTo(0x8DDE);
        byte[] transport = e.quoted().transport();
        assertThat(UdpCodec.checksumValid(q.source(), q.destination(), transport, 0, 40)).isTrue();
        assertThat(e.nextHopMtu()).isZero();
        assertThat(e.pointer()).isZero();
    }

    @Test
    void timeExceededQuotingIcmpProbe() {
        IcmpError e = error("time-exceeded-icmp", IcmpType.TIME_EXCEEDED, TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT);
        QuotedDatagram q = e.quoted();
        assertThat(q.header().ttl()).isEqualTo(1);
        assertThat(q.header().identification()).isEqualTo(46250);
        assertThat(q.icmpType()).isEqualTo(IcmpType.ECHO_REQUEST);
        assertThat(q.icmpCode()).isZero();
        assertThat(q.icmpChecksum()).isEqualTo(0x62A7);
        assertThat(q.icmpIdentifier()).isEqualTo(8146);
        assertThat(q.icmpSequence()).isEqualTo(1);
        byte[] quotedIcmp = q.transport();
        assertThat(IcmpCodec.decode(quotedIcmp, 0, quotedIcmp.length)).isInstanceOf(IcmpEcho.class);
    }

    @Test
    void timeExceededQuotingTcpProbe() {
        IcmpError e = error("time-exceeded-tcp", IcmpType.TIME_EXCEEDED, TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT);
        QuotedDatagram q = e.quoted();
        assertThat(q.header().ttl()).isEqualTo(1);
        assertThat(q.header().identification()).isEqualTo(35292);
        assertThat(q.header().protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(q.sourcePort()).isEqualTo(59469);
        assertThat(q.destinationPort()).isEqualTo(80);
        assertThat(q.tcpSequence()).isEqualTo(1358152282L);
        assertThat(q.transportLength()).isEqualTo(40);
    }

    @Test
    void timeExceededQuotingHeaderWithOptionsAndStaleChecksum() {
        IcmpError e = error("time-exceeded-ip-options", IcmpType.TIME_EXCEEDED,
                TimeExceededCode.TTL_EXCEEDED_IN_TRANSIT);
        Ipv4Header q = e.quoted().header();
        assertThat(q.headerLength()).isEqualTo(60);
        byte[] options = q.options();
        assertThat(options[0]).isEqualTo((byte) 1);  // NOP
        assertThat(options[1]).isEqualTo((byte) 7);  // record route
        assertThat(Ipv4Address.read(options, 4)).isEqualTo(Captures.PROBER);
        assertThat(Ipv4Address.read(options, 8)).isEqualTo(Captures.ROUTER);
        // the router recorded its address into the options but quotes the checksum as sent: lenient decoding
        assertThat(q.checksum()).isEqualTo(0x3C49);
        byte[] quotedHeader = new byte[60];
        Ipv4Codec.writeHeader(q, quotedHeader, 0);
        assertThat(InternetChecksum.checksum(quotedHeader, 0, 60)).isNotZero();
        assertThat(e.quoted().icmpIdentifier()).isEqualTo(8162);
        assertThat(e.quoted().icmpSequence()).isEqualTo(1);
        assertThat(e.quoted().transportLength()).isEqualTo(64);
        // the error's own header echoes the record route option
        assertThat(Captures.ipv4("time-exceeded-ip-options", 1).header().headerLength()).isEqualTo(60);
    }

    @Test
    void portUnreachableFromTheTarget() {
        IcmpError e = error("port-unreachable", IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.PORT);
        assertThat(Captures.ipv4("port-unreachable", 1).header().source()).isEqualTo(Captures.TARGET);
        assertThat(e.quoted().header().ttl()).isEqualTo(1); // sent with TTL 2, one router on the way
        assertThat(e.quoted().sourcePort()).isEqualTo(49935);
        assertThat(e.quoted().destinationPort()).isEqualTo(53);
        assertThat(e.nextHopMtu()).isZero();
        assertThat(UnreachableCode.tracerouteAnnotation(e.code(), e.nextHopMtu())).isEmpty();
    }

    @Test
    void hostUnreachableFromUnreachableRoute() {
        IcmpError e = error("host-unreachable", IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.HOST);
        assertThat(Captures.ipv4("host-unreachable", 1).header().source()).isEqualTo(Captures.ROUTER);
        assertThat(e.quoted().header().destination()).isEqualTo(Ipv4Address.parse("198.18.9.1"));
        assertThat(e.quoted().icmpType()).isEqualTo(IcmpType.ECHO_REQUEST);
        assertThat(e.quoted().icmpIdentifier()).isEqualTo(8178);
        assertThat(e.quoted().icmpSequence()).isEqualTo(1);
        assertThat(UnreachableCode.tracerouteAnnotation(e.code(), 0)).isEqualTo("!H");
    }

    @Test
    void adminProhibitedFromProhibitRoute() {
        IcmpError e = error("admin-prohibited", IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.ADMIN_PROHIBITED);
        assertThat(e.quoted().header().destination()).isEqualTo(Ipv4Address.parse("198.18.10.1"));
        assertThat(e.quoted().icmpIdentifier()).isEqualTo(8186);
        assertThat(UnreachableCode.tracerouteAnnotation(e.code(), 0)).isEqualTo("!X");
    }

    @Test
    void netUnreachableWithoutRoute() {
        IcmpError e = error("net-unreachable", IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.NET);
        assertThat(e.quoted().header().destination()).isEqualTo(Ipv4Address.parse("198.18.200.1"));
        assertThat(e.quoted().header().ttl()).isEqualTo(2); // no route: rejected before the TTL is decremented
        assertThat(e.quoted().sourcePort()).isEqualTo(55170);
        assertThat(e.quoted().destinationPort()).isEqualTo(53);
        assertThat(UnreachableCode.tracerouteAnnotation(e.code(), 0)).isEqualTo("!N");
    }

    @Test
    void fragmentationNeededWithNextHopMtu() {
        IcmpError e = error("frag-needed", IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.FRAGMENTATION_NEEDED);
        assertThat(e.nextHopMtu()).isEqualTo(600);
        assertThat(Captures.ipv4("frag-needed", 1).header().totalLength()).isEqualTo(576);
        Ipv4Header q = e.quoted().header();
        assertThat(q.totalLength()).isEqualTo(1028); // more than was quoted
        assertThat(q.dontFragment()).isTrue();
        assertThat(e.quoted().length()).isEqualTo(576 - 20 - 8);
        assertThat(e.quoted().icmpIdentifier()).isEqualTo(8202);
        assertThat(UnreachableCode.tracerouteAnnotation(e.code(), e.nextHopMtu())).isEqualTo("!F600");
    }

    @Test
    void parameterProblemWithPointer() {
        IcmpError e = error("parameter-problem", IcmpType.PARAMETER_PROBLEM,
                ParameterProblemCode.POINTER_INDICATES_ERROR);
        assertThat(e.pointer()).isEqualTo(21); // the length octet of the record route option
        Ipv4Header q = e.quoted().header();
        assertThat(q.headerLength()).isEqualTo(24);
        assertThat(q.options()).containsExactly(7, 2, 0, 1);
        assertThat(q.identification()).isEqualTo(0x4242);
        assertThat(e.quoted().sourcePort()).isEqualTo(33434);
        assertThat(e.quoted().destinationPort()).isEqualTo(33435);
        assertThat(e.quoted().udpLength()).isEqualTo(12);
        assertThat(e.quoted().udpChecksum()).isZero();
    }

    @Test
    void timestampRequestAndReply() {
        IcmpTimestamp request = (IcmpTimestamp) icmp("timestamp", 0);
        assertThat(request).isEqualTo(new IcmpTimestamp(IcmpType.TIMESTAMP, 0, 0x1234, 1, 12345678, 0, 0));
        IcmpTimestamp reply = (IcmpTimestamp) icmp("timestamp", 1);
        assertThat(reply.type()).isEqualTo(IcmpType.TIMESTAMP_REPLY);
        assertThat(reply.identifier()).isEqualTo(0x1234);
        assertThat(reply.sequence()).isEqualTo(1);
        assertThat(reply.originate()).isEqualTo(12345678);
        assertThat(reply.receive()).isEqualTo(0x02278F9BL);
        assertThat(reply.transmit()).isEqualTo(0x02278F9BL);
        assertThat(reply.receive()).isLessThan(24L * 3600 * 1000); // milliseconds since midnight UT
    }
}
