package net.tracemesh.wire.icmp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Header;

/**
 * ICMP for IPv4 (RFC 792), with the RFC 1191 next-hop MTU, RFC 4884 extensions and RFC 4950 MPLS label stacks.
 *
 * <h2>Where the quoted datagram ends</h2>
 * For types 3, 11 and 12 the second byte of the word after the checksum is the RFC 4884 length attribute: the
 * length of the (zero padded) original datagram field in 32-bit words. When it is nonzero, shorter than the rest
 * of the message, and followed by a valid extension structure, the quote ends there and the objects are decoded.
 * When it is zero and the message has more than 128 bytes after its 8-byte header, the non-compliant layout that
 * RFC 4884 section 5 describes is tried: a valid extension header with a nonzero checksum at offset 128 of the
 * quote. In every other case (including an invalid extension structure) the whole rest of the message is the
 * quote and there are no extensions.
 */
public final class IcmpCodec {
    /** Length of the header every ICMP message starts with. */
    public static final int HEADER_LENGTH = 8;
    /** Largest message an IPv4 datagram with a 20-byte header can carry. */
    public static final int MAX_LENGTH = 0xFFFF - Ipv4Header.MIN_LENGTH;
    /** Length of the original datagram field that RFC 4884 requires at least, and that legacy senders used. */
    public static final int EXTENSION_QUOTE_LENGTH = 128;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int IDENTIFIER = 4;
    private static final int SEQUENCE = 6;
    private static final int POINTER = 4;
    private static final int GATEWAY = 4;
    private static final int RFC4884_LENGTH = 5;
    private static final int NEXT_HOP_MTU = 6;
    private static final int ORIGINATE = 8;
    private static final int RECEIVE = 12;
    private static final int TRANSMIT = 16;
    private static final int MASK = 8;
    private static final int TIMESTAMP_LENGTH = 20;
    private static final int ADDRESS_MASK_LENGTH = 12;
    private static final int UNKNOWN_REST = 4;
    private static final int MAX_LENGTH_ATTRIBUTE = 0xFF;

    private IcmpCodec() {
    }

    /**
     * Decodes the message in {@code b[off, off + len)} (normally the IPv4 payload) after verifying its checksum.
     * Known types shorter than their fixed part, and errors whose quoted IPv4 header is cut short, are rejected;
     * unknown types become {@link IcmpUnknown}.
     *
     * @throws MalformedPacketException if it is not a valid ICMP message
     */
    public static IcmpMessage decode(byte[] b, int off, int len) {
        Bytes.checkRange(b, off, len);
        if (len > MAX_LENGTH) {
            throw new MalformedPacketException(Reason.OVERSIZED, "ICMP message longer than 65515 bytes");
        }
        if (len < HEADER_LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "ICMP message shorter than 8 bytes");
        }
        if (InternetChecksum.checksum(b, off, len) != 0) {
            throw new MalformedPacketException(Reason.BAD_CHECKSUM, "ICMP checksum does not verify");
        }
        int type = Bytes.u8(b, off + TYPE);
        int code = Bytes.u8(b, off + CODE);
        return switch (type) {
            case IcmpType.ECHO_REPLY, IcmpType.ECHO_REQUEST -> new IcmpEcho(type, code,
                    Bytes.u16(b, off + IDENTIFIER), Bytes.u16(b, off + SEQUENCE),
                    Arrays.copyOfRange(b, off + HEADER_LENGTH, off + len));
            case IcmpType.DESTINATION_UNREACHABLE, IcmpType.SOURCE_QUENCH, IcmpType.REDIRECT,
                    IcmpType.TIME_EXCEEDED, IcmpType.PARAMETER_PROBLEM -> decodeError(b, off, len, type, code);
            case IcmpType.TIMESTAMP, IcmpType.TIMESTAMP_REPLY -> decodeTimestamp(b, off, len, type, code);
            case IcmpType.ADDRESS_MASK_REQUEST, IcmpType.ADDRESS_MASK_REPLY -> decodeAddressMask(b, off, len, type,
                    code);
            default -> new IcmpUnknown(type, code, Arrays.copyOfRange(b, off + UNKNOWN_REST, off + len));
        };
    }

    private static IcmpTimestamp decodeTimestamp(byte[] b, int off, int len, int type, int code) {
        if (len < TIMESTAMP_LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "ICMP timestamp shorter than 20 bytes");
        }
        return new IcmpTimestamp(type, code, Bytes.u16(b, off + IDENTIFIER), Bytes.u16(b, off + SEQUENCE),
                Bytes.u32(b, off + ORIGINATE), Bytes.u32(b, off + RECEIVE), Bytes.u32(b, off + TRANSMIT));
    }

    private static IcmpAddressMask decodeAddressMask(byte[] b, int off, int len, int type, int code) {
        if (len < ADDRESS_MASK_LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "ICMP address mask shorter than 12 bytes");
        }
        return new IcmpAddressMask(type, code, Bytes.u16(b, off + IDENTIFIER), Bytes.u16(b, off + SEQUENCE),
                Bytes.i32(b, off + MASK));
    }

    private static IcmpError decodeError(byte[] b, int off, int len, int type, int code) {
        int quoteOff = off + HEADER_LENGTH;
        int bodyLength = len - HEADER_LENGTH;
        int quoteLength = bodyLength;
        List<IcmpExtensionObject> extensions = List.of();
        if (IcmpType.isExtensible(type)) {
            int declared = Bytes.u8(b, off + RFC4884_LENGTH) * 4;
            List<IcmpExtensionObject> found = null;
            if (declared != 0) {
                if (declared < bodyLength) {
                    found = IcmpExtensionCodec.tryDecode(b, quoteOff + declared, bodyLength - declared, false);
                }
            } else if (bodyLength > EXTENSION_QUOTE_LENGTH) {
                declared = EXTENSION_QUOTE_LENGTH;
                found = IcmpExtensionCodec.tryDecode(b, quoteOff + declared, bodyLength - declared, true);
            }
            if (found != null) {
                quoteLength = declared;
                extensions = found;
            }
        }
        Ipv4Header header = Ipv4Codec.decodeQuotedHeader(b, quoteOff, quoteLength);
        byte[] transport = Arrays.copyOfRange(b, quoteOff + header.headerLength(), quoteOff + quoteLength);
        int nextHopMtu = type == IcmpType.DESTINATION_UNREACHABLE && code == UnreachableCode.FRAGMENTATION_NEEDED
                ? Bytes.u16(b, off + NEXT_HOP_MTU) : 0;
        int pointer = type == IcmpType.PARAMETER_PROBLEM ? Bytes.u8(b, off + POINTER) : 0;
        int gateway = type == IcmpType.REDIRECT ? Bytes.i32(b, off + GATEWAY) : 0;
        return new IcmpError(type, code, nextHopMtu, pointer, gateway, new QuotedDatagram(header, transport),
                extensions);
    }

    /**
     * Length of {@code m} on the wire. An error with extensions has its quote zero padded to a multiple of 4 bytes
     * and at least 128 bytes.
     */
    public static int encodedLength(IcmpMessage m) {
        if (m instanceof IcmpEcho e) {
            return HEADER_LENGTH + e.dataLength();
        } else if (m instanceof IcmpError e) {
            if (e.extensions().isEmpty()) {
                return HEADER_LENGTH + e.quoted().length();
            }
            return HEADER_LENGTH + paddedQuoteLength(e.quoted()) + IcmpExtensionCodec.encodedLength(e.extensions());
        } else if (m instanceof IcmpTimestamp) {
            return TIMESTAMP_LENGTH;
        } else if (m instanceof IcmpAddressMask) {
            return ADDRESS_MASK_LENGTH;
        } else {
            return UNKNOWN_REST + ((IcmpUnknown) Objects.requireNonNull(m, "message")).rest().length;
        }
    }

    private static int paddedQuoteLength(QuotedDatagram quoted) {
        return Math.max(EXTENSION_QUOTE_LENGTH, (quoted.length() + 3) & ~3);
    }

    /** {@code m} as a new array, with its checksum computed. */
    public static byte[] encode(IcmpMessage m) {
        byte[] out = new byte[encodedLength(m)];
        encode(m, out, 0);
        return out;
    }

    /**
     * Writes {@code m} at {@code out[off]} with its checksum computed. An error with extensions is written in the
     * RFC 4884 layout: length attribute set, quote zero padded (see {@link #encodedLength}), then the extension
     * structure with its checksum. The quoted IPv4 header is written exactly as given, checksum included.
     *
     * @return the length written
     * @throws IllegalArgumentException if the message would exceed 65515 bytes, or an error with extensions quotes
     *                                  more than 1020 bytes (the most the length attribute can describe)
     */
    public static int encode(IcmpMessage m, byte[] out, int off) {
        int length = encodedLength(m);
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("ICMP message would be " + length + " bytes, more than 65515");
        }
        Objects.checkFromIndexSize(off, length, out.length);
        Arrays.fill(out, off, off + length, (byte) 0);
        out[off + TYPE] = (byte) m.type();
        out[off + CODE] = (byte) m.code();
        if (m instanceof IcmpEcho e) {
            Bytes.put16(out, off + IDENTIFIER, e.identifier());
            Bytes.put16(out, off + SEQUENCE, e.sequence());
            System.arraycopy(e.data(), 0, out, off + HEADER_LENGTH, e.dataLength());
        } else if (m instanceof IcmpError e) {
            encodeError(e, out, off);
        } else if (m instanceof IcmpTimestamp t) {
            Bytes.put16(out, off + IDENTIFIER, t.identifier());
            Bytes.put16(out, off + SEQUENCE, t.sequence());
            Bytes.put32(out, off + ORIGINATE, t.originate());
            Bytes.put32(out, off + RECEIVE, t.receive());
            Bytes.put32(out, off + TRANSMIT, t.transmit());
        } else if (m instanceof IcmpAddressMask a) {
            Bytes.put16(out, off + IDENTIFIER, a.identifier());
            Bytes.put16(out, off + SEQUENCE, a.sequence());
            Bytes.put32(out, off + MASK, a.mask());
        } else {
            byte[] rest = ((IcmpUnknown) m).rest();
            System.arraycopy(rest, 0, out, off + UNKNOWN_REST, rest.length);
        }
        Bytes.put16(out, off + CHECKSUM, InternetChecksum.checksum(out, off, length));
        return length;
    }

    private static void encodeError(IcmpError e, byte[] out, int off) {
        switch (e.type()) {
            case IcmpType.DESTINATION_UNREACHABLE -> Bytes.put16(out, off + NEXT_HOP_MTU, e.nextHopMtu());
            case IcmpType.REDIRECT -> Bytes.put32(out, off + GATEWAY, e.gateway());
            case IcmpType.PARAMETER_PROBLEM -> out[off + POINTER] = (byte) e.pointer();
            default -> {
                // source quench and time exceeded have nothing before the length attribute
            }
        }
        QuotedDatagram quoted = e.quoted();
        int quoteOff = off + HEADER_LENGTH;
        int headerLength = Ipv4Codec.writeHeader(quoted.header(), out, quoteOff);
        System.arraycopy(quoted.transport(), 0, out, quoteOff + headerLength, quoted.transportLength());
        if (!e.extensions().isEmpty()) {
            int padded = paddedQuoteLength(quoted);
            if (padded / 4 > MAX_LENGTH_ATTRIBUTE) {
                throw new IllegalArgumentException("with extensions the quote can be at most 1020 bytes, got "
                        + quoted.length());
            }
            out[off + RFC4884_LENGTH] = (byte) (padded / 4);
            IcmpExtensionCodec.encode(e.extensions(), out, quoteOff + padded);
        }
    }
}
