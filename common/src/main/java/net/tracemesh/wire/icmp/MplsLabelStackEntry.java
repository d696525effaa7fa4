package net.tracemesh.wire.icmp;

import net.tracemesh.wire.Bytes;

/**
 * One entry of an MPLS label stack quoted in an ICMP extension (RFC 4950): label (20 bits), traffic class
 * (3 bits, formerly EXP), bottom-of-stack flag, and TTL.
 *
 * @param label        label, 0..2^20-1
 * @param trafficClass traffic class, 0..7
 * @param bottomOfStack the S bit
 * @param ttl          TTL, 0..255
 */
public record MplsLabelStackEntry(int label, int trafficClass, boolean bottomOfStack, int ttl) {
    /** Length of an entry on the wire. */
    public static final int LENGTH = 4;
    /** Largest label. */
    public static final int MAX_LABEL = 0xFFFFF;

    public MplsLabelStackEntry {
        Bytes.checkUnsigned("label", label, MAX_LABEL);
        Bytes.checkUnsigned("trafficClass", trafficClass, 7);
        Bytes.checkUnsigned("ttl", ttl, 0xFF);
    }

    /** The entry from its 32-bit wire form. */
    public static MplsLabelStackEntry fromWord(int word) {
        return new MplsLabelStackEntry(word >>> 12, word >>> 9 & 0x7, (word >>> 8 & 1) != 0, word & 0xFF);
    }

    /** The 32-bit wire form. */
    public int toWord() {
        return label << 12 | trafficClass << 9 | (bottomOfStack ? 1 << 8 : 0) | ttl;
    }
}
