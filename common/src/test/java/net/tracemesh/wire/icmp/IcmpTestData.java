package net.tracemesh.wire.icmp;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Header;

/** Quoted datagrams and byte helpers shared by the ICMP tests. */
final class IcmpTestData {
    static final int PROBER = Ipv4Address.parse("198.18.1.2");
    static final int TARGET = Ipv4Address.parse("198.18.9.2");
    static final int GATEWAY = Ipv4Address.parse("198.18.1.254");

    private IcmpTestData() {
    }

    /** The header of a probe as a router quotes it: TTL 1, checksum as sent. */
    static Ipv4Header probeHeader(int protocol, int totalLength) {
        return new Ipv4Header(0, totalLength, 0x1234, true, false, 0, 1, protocol, 0xABCD, PROBER, TARGET, null);
    }

    /** A quoted UDP probe with {@code extra} payload bytes after the UDP header. */
    static QuotedDatagram udpQuote(int extra) {
        byte[] transport = new byte[8 + extra];
        Bytes.put16(transport, 0, 40000);
        Bytes.put16(transport, 2, 33435);
        Bytes.put16(transport, 4, 8 + extra);
        Bytes.put16(transport, 6, 0x5A5A);
        for (int i = 8; i < transport.length; i++) {
            transport[i] = (byte) i;
        }
        return new QuotedDatagram(probeHeader(IpProtocol.UDP, 28 + extra), transport);
    }

    /** A quoted ICMP echo request probe with 8 quoted bytes. */
    static QuotedDatagram icmpQuote() {
        byte[] transport = {8, 0, (byte) 0xBE, (byte) 0xEF, 0x12, 0x34, 0x00, 0x07};
        return new QuotedDatagram(probeHeader(IpProtocol.ICMP, 60), transport);
    }

    /** A quoted TCP SYN probe with 20 quoted bytes. */
    static QuotedDatagram tcpQuote() {
        byte[] transport = new byte[20];
        Bytes.put16(transport, 0, 40001);
        Bytes.put16(transport, 2, 443);
        Bytes.put32(transport, 4, 0xDEADBEEF);
        transport[12] = 0x50;
        transport[13] = 0x02;
        return new QuotedDatagram(probeHeader(IpProtocol.TCP, 40), transport);
    }

    /** A quote padded with zeros to {@code length} bytes, as an RFC 4884 sender pads it. */
    static QuotedDatagram padded(QuotedDatagram q, int length) {
        return new QuotedDatagram(q.header(), Arrays.copyOf(q.transport(), length - q.header().headerLength()));
    }

    /** Recomputes the ICMP checksum of {@code b[0, len)} in place. */
    static byte[] fixIcmpChecksum(byte[] b) {
        if (b.length >= 4) {
            Bytes.put16(b, 2, 0);
            Bytes.put16(b, 2, InternetChecksum.checksum(b, 0, b.length));
        }
        return b;
    }
}
