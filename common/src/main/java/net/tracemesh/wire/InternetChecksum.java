package net.tracemesh.wire;

import java.util.Objects;

/**
 * The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of 16-bit big-endian words.
 *
 * <p>Sums can be built from pieces with {@link #sum}: each piece is summed as if it started on a 16-bit boundary of
 * the message, so every piece but the last must have an even length. {@link #finish} folds and complements.
 */
public final class InternetChecksum {
    private static final int WORD = 0xFFFF;

    private InternetChecksum() {
    }

    /** The checksum of {@code len} bytes from {@code off}: a value in 0..0xFFFF ready to store. */
    public static int checksum(byte[] b, int off, int len) {
        return finish(sum(0, b, off, len));
    }

    /**
     * Adds {@code len} bytes from {@code off} to a running sum. An odd last byte is padded with a zero byte.
     * The result is folded to 16 bits, so sums can be chained without overflow.
     *
     * @param initial a previous result of {@code sum} or {@link #pseudoHeaderSum}, or 0
     */
    public static int sum(int initial, byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        long acc = initial & 0xFFFF_FFFFL;
        int end = off + (len & ~1);
        int i = off;
        for (; i < end; i += 2) {
            acc += (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            acc += (b[i] & 0xFF) << 8;
        }
        return fold(acc);
    }

    /** Folds and complements a running sum into the 16-bit checksum value. */
    public static int finish(int sum) {
        return ~fold(sum & 0xFFFF_FFFFL) & WORD;
    }

    /**
     * The sum of the IPv4 pseudo-header used by UDP and TCP: source, destination, protocol and transport length.
     */
    public static int pseudoHeaderSum(int src, int dst, int protocol, int length) {
        long acc = (src >>> 16) + (src & WORD) + (dst >>> 16) + (dst & WORD) + (protocol & 0xFF) + (length & WORD);
        return fold(acc);
    }

    /**
     * The 16-bit word to write into a 16-bit aligned field, zero while the checksum was computed, so that the
     * message's checksum becomes {@code wantedChecksum}. This lets a prober choose the checksum of an ICMP or UDP
     * probe (Paris traceroute keeps the flow identifier there) and still send a valid message: store the wanted
     * value in the checksum field and the returned word in the payload.
     *
     * <p>In ones' complement arithmetic 0x0000 and 0xFFFF are both zero. A message whose other words do not all sum
     * to zero never computes to 0xFFFF; asking for 0xFFFF then gives a word that makes it compute to 0x0000, and the
     * message with 0xFFFF in its checksum field still verifies.
     *
     * @param checksumWithWordZero the checksum of the message with the field (and the checksum field) zero
     * @param wantedChecksum       the checksum wanted, 0..0xFFFF
     * @return the word, 0..0xFFFF
     */
    public static int compensatingWord(int checksumWithWordZero, int wantedChecksum) {
        Bytes.checkUnsigned("checksumWithWordZero", checksumWithWordZero, WORD);
        Bytes.checkUnsigned("wantedChecksum", wantedChecksum, WORD);
        // With S the sum of the other words, checksumWithWordZero = ~S. We need S + w = ~wanted, so
        // w = ~wanted - S = ~wanted + ~S in ones' complement arithmetic.
        return fold((long) checksumWithWordZero + (~wantedChecksum & WORD));
    }

    private static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & WORD) + (acc >>> 16);
        }
        return (int) acc;
    }
}
