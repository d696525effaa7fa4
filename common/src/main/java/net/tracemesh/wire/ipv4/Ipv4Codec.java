package net.tracemesh.wire.ipv4;

import java.util.Arrays;
import java.util.Objects;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;

/** IPv4 headers and datagrams (RFC 791). */
public final class Ipv4Codec {
    /** The version field's value. */
    public static final int VERSION = 4;
    /** Largest datagram the total length field can describe. */
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;

    private static final int VERSION_IHL = 0;
    private static final int TOS = 1;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENTIFICATION = 4;
    private static final int FLAGS_FRAGMENT = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SOURCE = 12;
    private static final int DESTINATION = 16;
    private static final int OPTIONS = 20;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;

    private Ipv4Codec() {
    }

    /**
     * Decodes a datagram strictly: version 4, header length at least 20 bytes, total length at least the header
     * length and at most {@code len} (bytes after the total length, such as Ethernet padding, are ignored), and a
     * header checksum that verifies.
     *
     * @throws MalformedPacketException if any of these does not hold, or if {@code len} exceeds 65535
     */
    public static Ipv4Packet decode(byte[] b, int off, int len) {
        Bytes.checkRange(b, off, len);
        if (len > MAX_TOTAL_LENGTH) {
            throw new MalformedPacketException(Reason.OVERSIZED, "IPv4 datagram longer than 65535 bytes");
        }
        int headerLength = checkHeader(b, off, len);
        int totalLength = Bytes.u16(b, off + TOTAL_LENGTH);
        if (totalLength < headerLength) {
            throw new MalformedPacketException(Reason.BAD_TOTAL_LENGTH, "IPv4 total length shorter than header");
        }
        if (totalLength > len) {
            throw new MalformedPacketException(Reason.TRUNCATED, "IPv4 datagram shorter than its total length");
        }
        if (InternetChecksum.checksum(b, off, headerLength) != 0) {
            throw new MalformedPacketException(Reason.BAD_CHECKSUM, "IPv4 header checksum does not verify");
        }
        Ipv4Header header = readHeader(b, off, headerLength);
        return new Ipv4Packet(header, Arrays.copyOfRange(b, off + headerLength, off + totalLength));
    }

    /**
     * Decodes the header of a datagram quoted in an ICMP error, leniently: the checksum is not checked, and the
     * total length may be anything (the quote usually holds only the start of the datagram, and some routers
     * rewrite the field).
     *
     * @throws MalformedPacketException if the header itself is cut short (fewer than 20 bytes, or fewer than its
     *                                  header length), its version is not 4, or its header length is below 20
     */
    public static Ipv4Header decodeQuotedHeader(byte[] b, int off, int len) {
        Bytes.checkRange(b, off, len);
        int headerLength = checkHeader(b, off, len);
        return readHeader(b, off, headerLength);
    }

    /** Checks version and header length; returns the header length in bytes. */
    private static int checkHeader(byte[] b, int off, int len) {
        if (len < Ipv4Header.MIN_LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "IPv4 header shorter than 20 bytes");
        }
        int versionIhl = Bytes.u8(b, off + VERSION_IHL);
        if (versionIhl >>> 4 != VERSION) {
            throw new MalformedPacketException(Reason.BAD_VERSION, "IP version is not 4");
        }
        int headerLength = (versionIhl & 0x0F) * 4;
        if (headerLength < Ipv4Header.MIN_LENGTH) {
            throw new MalformedPacketException(Reason.BAD_HEADER_LENGTH, "IPv4 header length below 20 bytes");
        }
        if (headerLength > len) {
            throw new MalformedPacketException(Reason.TRUNCATED, "IPv4 header shorter than its header length");
        }
        return headerLength;
    }

    private static Ipv4Header readHeader(byte[] b, int off, int headerLength) {
        int flagsFragment = Bytes.u16(b, off + FLAGS_FRAGMENT);
        byte[] options = headerLength == Ipv4Header.MIN_LENGTH ? null
                : Arrays.copyOfRange(b, off + OPTIONS, off + headerLength);
        return new Ipv4Header(
                Bytes.u8(b, off + TOS),
                Bytes.u16(b, off + TOTAL_LENGTH),
                Bytes.u16(b, off + IDENTIFICATION),
                (flagsFragment & FLAG_DF) != 0,
                (flagsFragment & FLAG_MF) != 0,
                flagsFragment & Ipv4Header.MAX_FRAGMENT_OFFSET,
                Bytes.u8(b, off + TTL),
                Bytes.u8(b, off + PROTOCOL),
                Bytes.u16(b, off + CHECKSUM),
                Ipv4Address.read(b, off + SOURCE),
                Ipv4Address.read(b, off + DESTINATION),
                options);
    }

    /**
     * Writes {@code h} at {@code out[off]} with a freshly computed header checksum ({@code h.checksum()} is
     * ignored). The total length is written as given.
     *
     * @return the header length
     */
    public static int encodeHeader(Ipv4Header h, byte[] out, int off) {
        int length = writeHeader(h, out, off);
        Bytes.put16(out, off + CHECKSUM, 0);
        Bytes.put16(out, off + CHECKSUM, InternetChecksum.checksum(out, off, length));
        return length;
    }

    /**
     * Writes every field of {@code h} as given, including its checksum field, at {@code out[off]}: for quoting a
     * header exactly, or for making packets with wrong checksums.
     *
     * @return the header length
     */
    public static int writeHeader(Ipv4Header h, byte[] out, int off) {
        int length = h.headerLength();
        Objects.checkFromIndexSize(off, length, out.length);
        out[off + VERSION_IHL] = (byte) (VERSION << 4 | h.ihl());
        out[off + TOS] = (byte) h.tos();
        Bytes.put16(out, off + TOTAL_LENGTH, h.totalLength());
        Bytes.put16(out, off + IDENTIFICATION, h.identification());
        Bytes.put16(out, off + FLAGS_FRAGMENT, (h.dontFragment() ? FLAG_DF : 0) | (h.moreFragments() ? FLAG_MF : 0)
                | h.fragmentOffset());
        out[off + TTL] = (byte) h.ttl();
        out[off + PROTOCOL] = (byte) h.protocol();
        Bytes.put16(out, off + CHECKSUM, h.checksum());
        Ipv4Address.write(out, off + SOURCE, h.source());
        Ipv4Address.write(out, off + DESTINATION, h.destination());
        if (h.optionsLength() > 0) {
            System.arraycopy(h.options(), 0, out, off + OPTIONS, h.optionsLength());
        }
        return length;
    }

    /**
     * A whole datagram: the header with its total length set to header plus payload ({@code h.totalLength()} is
     * ignored) and a computed checksum, then the payload.
     *
     * @throws IllegalArgumentException if the datagram would exceed 65535 bytes
     */
    public static byte[] encode(Ipv4Header h, byte[] payload) {
        byte[] data = payload == null ? Bytes.EMPTY : payload;
        int total = h.headerLength() + data.length;
        if (total > MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException("IPv4 datagram would be " + total + " bytes, more than 65535");
        }
        byte[] out = new byte[total];
        int headerLength = encodeHeader(h.withTotalLength(total), out, 0);
        System.arraycopy(data, 0, out, headerLength, data.length);
        return out;
    }

    /** {@code p} as bytes: see {@link #encode(Ipv4Header, byte[])}. */
    public static byte[] encode(Ipv4Packet p) {
        return encode(p.header(), p.payload());
    }
}
