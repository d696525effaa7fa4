package net.tracemesh.wire.udp;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;
import net.tracemesh.wire.ipv4.IpProtocol;

/** UDP datagrams over IPv4 (RFC 768). */
public final class UdpCodec {
    /** Largest datagram the length field can describe. */
    public static final int MAX_LENGTH = 0xFFFF;

    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;
    /** A computed checksum of 0 is sent as all ones: 0 on the wire means "no checksum". */
    private static final int ZERO_CHECKSUM_ON_WIRE = 0xFFFF;

    private UdpCodec() {
    }

    /**
     * Decodes the datagram in {@code b[off, off + len)} (normally the IPv4 payload). The payload runs to the
     * header's length field; bytes after it are ignored. The checksum is not verified here: it needs the IP
     * addresses, see {@link #checksumValid}.
     *
     * @throws MalformedPacketException if the length field is below 8 or above {@code len}, or {@code len} exceeds
     *                                  65535
     */
    public static UdpDatagram decode(byte[] b, int off, int len) {
        Bytes.checkRange(b, off, len);
        if (len > MAX_LENGTH) {
            throw new MalformedPacketException(Reason.OVERSIZED, "UDP datagram longer than 65535 bytes");
        }
        if (len < UdpHeader.LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "UDP datagram shorter than 8 bytes");
        }
        int length = Bytes.u16(b, off + LENGTH);
        if (length < UdpHeader.LENGTH) {
            throw new MalformedPacketException(Reason.BAD_TOTAL_LENGTH, "UDP length field below 8");
        }
        if (length > len) {
            throw new MalformedPacketException(Reason.TRUNCATED, "UDP datagram shorter than its length field");
        }
        UdpHeader header = new UdpHeader(Bytes.u16(b, off + SOURCE_PORT), Bytes.u16(b, off + DESTINATION_PORT),
                length, Bytes.u16(b, off + CHECKSUM));
        return new UdpDatagram(header, Arrays.copyOfRange(b, off + UdpHeader.LENGTH, off + length));
    }

    /**
     * Whether the checksum of the datagram in {@code b[off, off + len)}, sent from {@code src} to {@code dst},
     * verifies. {@code len} is the datagram's length (its length field). A checksum field of 0 means the sender
     * computed none, and counts as valid. Ranges outside the buffer or shorter than a header are not valid.
     */
    public static boolean checksumValid(int src, int dst, byte[] b, int off, int len) {
        if (b == null || off < 0 || len < UdpHeader.LENGTH || len > MAX_LENGTH || off > b.length - len) {
            return false;
        }
        if (Bytes.u16(b, off + CHECKSUM) == 0) {
            return true;
        }
        int sum = InternetChecksum.pseudoHeaderSum(src, dst, IpProtocol.UDP, len);
        return InternetChecksum.finish(InternetChecksum.sum(sum, b, off, len)) == 0;
    }

    /**
     * The checksum for the datagram in {@code b[off, off + len)} whose checksum field is zero, as it goes on the
     * wire (a computed 0 becomes 0xFFFF).
     */
    public static int computeChecksum(int src, int dst, byte[] b, int off, int len) {
        int sum = InternetChecksum.pseudoHeaderSum(src, dst, IpProtocol.UDP, len);
        int checksum = InternetChecksum.finish(InternetChecksum.sum(sum, b, off, len));
        return checksum == 0 ? ZERO_CHECKSUM_ON_WIRE : checksum;
    }

    /**
     * A datagram from {@code sport} to {@code dport} carrying {@code payload}, with its checksum computed for
     * addresses {@code src} and {@code dst}.
     *
     * @throws IllegalArgumentException if a port is out of range or the datagram would exceed 65535 bytes
     */
    public static byte[] encode(int src, int dst, int sport, int dport, byte[] payload) {
        byte[] data = payload == null ? Bytes.EMPTY : payload;
        int length = UdpHeader.LENGTH + data.length;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("UDP datagram would be " + length + " bytes, more than 65535");
        }
        Bytes.checkUnsigned("sport", sport, 0xFFFF);
        Bytes.checkUnsigned("dport", dport, 0xFFFF);
        byte[] out = new byte[length];
        Bytes.put16(out, SOURCE_PORT, sport);
        Bytes.put16(out, DESTINATION_PORT, dport);
        Bytes.put16(out, LENGTH, length);
        System.arraycopy(data, 0, out, UdpHeader.LENGTH, data.length);
        Bytes.put16(out, CHECKSUM, computeChecksum(src, dst, out, 0, length));
        return out;
    }
}
