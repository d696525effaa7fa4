package net.tracemesh.wire.icmp;

import java.util.Arrays;
import java.util.Objects;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.ipv4.Ipv4Header;

/**
 * The start of the datagram an ICMP error quotes: its IPv4 header, decoded leniently, and whatever bytes of the
 * transport header and data follow (none, the 8 that RFC 792 requires, or more; with RFC 4884 extensions the
 * zero padding up to the declared length is included).
 *
 * <p>The accessors read transport fields without checking the quoted protocol and return -1 when the quote is
 * too short to hold the field.
 *
 * @param header    the quoted IPv4 header
 * @param transport the bytes after the quoted header (a copy)
 */
public record QuotedDatagram(Ipv4Header header, byte[] transport) {

    public QuotedDatagram {
        Objects.requireNonNull(header, "header");
        transport = Bytes.copyOrEmpty(transport);
    }

    /** The bytes after the quoted header (a copy). */
    @Override
    public byte[] transport() {
        return transport.clone();
    }

    /** Number of bytes after the quoted header. */
    public int transportLength() {
        return transport.length;
    }

    /** Length of the quote: header plus transport bytes. */
    public int length() {
        return header.headerLength() + transport.length;
    }

    /** UDP or TCP source port (bytes 0-1), or -1. */
    public int sourcePort() {
        return u16(0);
    }

    /** UDP or TCP destination port (bytes 2-3), or -1. */
    public int destinationPort() {
        return u16(2);
    }

    /** UDP length field (bytes 4-5), or -1. */
    public int udpLength() {
        return u16(4);
    }

    /** UDP checksum field (bytes 6-7), or -1. */
    public int udpChecksum() {
        return u16(6);
    }

    /** TCP sequence number (bytes 4-7), or -1. */
    public long tcpSequence() {
        return transport.length < 8 ? -1 : Bytes.u32(transport, 4);
    }

    /** ICMP type (byte 0), or -1. */
    public int icmpType() {
        return transport.length < 1 ? -1 : Bytes.u8(transport, 0);
    }

    /** ICMP code (byte 1), or -1. */
    public int icmpCode() {
        return transport.length < 2 ? -1 : Bytes.u8(transport, 1);
    }

    /** ICMP checksum field (bytes 2-3), or -1. */
    public int icmpChecksum() {
        return u16(2);
    }

    /** ICMP echo identifier (bytes 4-5), or -1. */
    public int icmpIdentifier() {
        return u16(4);
    }

    /** ICMP echo sequence number (bytes 6-7), or -1. */
    public int icmpSequence() {
        return u16(6);
    }

    private int u16(int at) {
        return transport.length < at + 2 ? -1 : Bytes.u16(transport, at);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuotedDatagram q && header.equals(q.header) && Arrays.equals(transport, q.transport);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(transport);
    }

    @Override
    public String toString() {
        return "QuotedDatagram[" + header + ", " + transport.length + " transport bytes]";
    }
}
