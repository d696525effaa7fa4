package net.tracemesh.wire.tcp;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;
import net.tracemesh.wire.ipv4.IpProtocol;

/** TCP segments over IPv4. */
public final class TcpCodec {
    /** Largest segment an IPv4 datagram can carry. */
    public static final int MAX_LENGTH = 0xFFFF - 20;

    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int SEQUENCE = 4;
    private static final int ACKNOWLEDGEMENT = 8;
    private static final int DATA_OFFSET = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    private static final int URGENT_POINTER = 18;
    private static final int OPTIONS = 20;

    private TcpCodec() {
    }

    /**
     * Decodes the segment in {@code b[off, off + len)}; {@code len} is the IPv4 payload length (TCP has no length
     * field of its own). The checksum is not verified here: it needs the IP addresses, see {@link #checksumValid}.
     *
     * @throws MalformedPacketException if the data offset is below 5 words or runs past {@code len}, or {@code len}
     *                                  exceeds 65515
     */
    public static TcpSegment decode(byte[] b, int off, int len) {
        Bytes.checkRange(b, off, len);
        if (len > MAX_LENGTH) {
            throw new MalformedPacketException(Reason.OVERSIZED, "TCP segment longer than 65515 bytes");
        }
        if (len < TcpHeader.MIN_LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "TCP segment shorter than 20 bytes");
        }
        int headerLength = (Bytes.u8(b, off + DATA_OFFSET) >>> 4) * 4;
        if (headerLength < TcpHeader.MIN_LENGTH) {
            throw new MalformedPacketException(Reason.BAD_HEADER_LENGTH, "TCP data offset below 5");
        }
        if (headerLength > len) {
            throw new MalformedPacketException(Reason.TRUNCATED, "TCP segment shorter than its data offset");
        }
        byte[] options = headerLength == TcpHeader.MIN_LENGTH ? null
                : Arrays.copyOfRange(b, off + OPTIONS, off + headerLength);
        TcpHeader header = new TcpHeader(
                Bytes.u16(b, off + SOURCE_PORT),
                Bytes.u16(b, off + DESTINATION_PORT),
                Bytes.u32(b, off + SEQUENCE),
                Bytes.u32(b, off + ACKNOWLEDGEMENT),
                Bytes.u8(b, off + FLAGS),
                Bytes.u16(b, off + WINDOW),
                Bytes.u16(b, off + CHECKSUM),
                Bytes.u16(b, off + URGENT_POINTER),
                options);
        return new TcpSegment(header, Arrays.copyOfRange(b, off + headerLength, off + len));
    }

    /**
     * Whether the checksum of the segment in {@code b[off, off + len)}, sent from {@code src} to {@code dst},
     * verifies. Ranges outside the buffer or shorter than a header are not valid.
     */
    public static boolean checksumValid(int src, int dst, byte[] b, int off, int len) {
        if (b == null || off < 0 || len < TcpHeader.MIN_LENGTH || len > MAX_LENGTH || off > b.length - len) {
            return false;
        }
        int sum = InternetChecksum.pseudoHeaderSum(src, dst, IpProtocol.TCP, len);
        return InternetChecksum.finish(InternetChecksum.sum(sum, b, off, len)) == 0;
    }

    /**
     * A segment with header {@code h} and {@code payload}, its checksum computed for addresses {@code src} and
     * {@code dst} ({@code h.checksum()} is ignored).
     *
     * @throws IllegalArgumentException if the segment would exceed 65515 bytes
     */
    public static byte[] encode(int src, int dst, TcpHeader h, byte[] payload) {
        byte[] data = payload == null ? Bytes.EMPTY : payload;
        int headerLength = h.headerLength();
        int length = headerLength + data.length;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("TCP segment would be " + length + " bytes, more than 65515");
        }
        byte[] out = new byte[length];
        Bytes.put16(out, SOURCE_PORT, h.sourcePort());
        Bytes.put16(out, DESTINATION_PORT, h.destinationPort());
        Bytes.put32(out, SEQUENCE, h.sequence());
        Bytes.put32(out, ACKNOWLEDGEMENT, h.acknowledgement());
        out[DATA_OFFSET] = (byte) (headerLength / 4 << 4);
        out[FLAGS] = (byte) h.flags();
        Bytes.put16(out, WINDOW, h.window());
        Bytes.put16(out, URGENT_POINTER, h.urgentPointer());
        System.arraycopy(h.options(), 0, out, OPTIONS, h.optionsLength());
        System.arraycopy(data, 0, out, headerLength, data.length);
        int sum = InternetChecksum.pseudoHeaderSum(src, dst, IpProtocol.TCP, length);
        Bytes.put16(out, CHECKSUM, InternetChecksum.finish(InternetChecksum.sum(sum, out, 0, length)));
        return out;
    }
}
