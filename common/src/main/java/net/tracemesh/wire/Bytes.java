package net.tracemesh.wire;

import net.tracemesh.wire.MalformedPacketException.Reason;

/**
 * Big-endian reads and writes of unsigned fields, and the bounds check every decoder starts with. Reads do not
 * check bounds themselves: decoders check a whole range once with {@link #checkRange} and then read inside it.
 */
public final class Bytes {
    /** A shared empty array (it has no element to write to). */
    public static final byte[] EMPTY = new byte[0];

    private Bytes() {
    }

    /**
     * Checks that {@code [off, off + len)} lies inside {@code b}.
     *
     * @throws MalformedPacketException (TRUNCATED) if {@code b} is null, {@code off} or {@code len} is negative,
     *                                  or the range runs past the end of the array
     */
    public static void checkRange(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 0 || off > b.length - len) {
            throw new MalformedPacketException(Reason.TRUNCATED, "range outside the buffer");
        }
    }

    /** The unsigned byte at {@code off}. */
    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    /** The unsigned 16-bit big-endian value at {@code off}. */
    public static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    /** The 32-bit big-endian value at {@code off}, as a (possibly negative) int. */
    public static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    /** The unsigned 32-bit big-endian value at {@code off}. */
    public static long u32(byte[] b, int off) {
        return i32(b, off) & 0xFFFF_FFFFL;
    }

    /** Writes the low 16 bits of {@code v} big-endian at {@code off}. */
    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /** Writes {@code v} big-endian at {@code off}. */
    public static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** Writes the low 32 bits of {@code v} big-endian at {@code off}. */
    public static void put32(byte[] b, int off, long v) {
        put32(b, off, (int) v);
    }

    /** A copy of {@code b}, or an empty array for null. */
    public static byte[] copyOrEmpty(byte[] b) {
        return b == null ? EMPTY : b.clone();
    }

    /** Checks that {@code value} is in {@code [0, max]}; the message names the field. */
    public static int checkUnsigned(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " must be in 0.." + max + ", got " + value);
        }
        return value;
    }

    /** Checks that {@code value} is in {@code [0, 0xFFFFFFFF]}. */
    public static long checkUnsigned32(String field, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(field + " must be in 0..4294967295, got " + value);
        }
        return value;
    }
}
