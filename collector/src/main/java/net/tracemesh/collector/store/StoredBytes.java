package net.tracemesh.collector.store;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The pieces the store's binary column formats share: unsigned varints (seven bits a byte, least significant first)
 * and a reader that refuses to read past the end, naming what it was reading.
 */
final class StoredBytes {
    private StoredBytes() {
    }

    /** Writes {@code value}, which must not be negative, as an unsigned varint. */
    static void writeVarint(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Reads one encoding front to back; every read past its end is an {@link IllegalArgumentException}. */
    static final class Reader {
        private final byte[] bytes;
        private final String what;
        private int position;

        private Reader(byte[] bytes, String what) {
            this.bytes = bytes;
            this.what = what;
        }

        /**
         * A reader of an encoding whose first byte names its format, past that byte.
         *
         * @param what   what the bytes hold, for messages ("hop")
         * @param format the one format this build reads
         * @throws IllegalArgumentException if there are no bytes, or they start with another format
         */
        static Reader open(byte[] bytes, String what, int format) {
            if (bytes == null) {
                throw new IllegalArgumentException("no " + what + " bytes");
            }
            Reader in = new Reader(bytes, what + " bytes");
            int first = in.u8();
            if (first != format) {
                throw new IllegalArgumentException("unknown " + what + " format " + first);
            }
            return in;
        }

        int u8() {
            if (position >= bytes.length) {
                throw new IllegalArgumentException(what + " end early, at byte " + position);
            }
            return bytes[position++] & 0xFF;
        }

        byte[] bytes(int n) {
            if (n < 0 || bytes.length - position < n) {
                throw new IllegalArgumentException(what + " end early, at byte " + position);
            }
            byte[] out = Arrays.copyOfRange(bytes, position, position + n);
            position += n;
            return out;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint too long at byte " + position);
        }

        int remaining() {
            return bytes.length - position;
        }
    }
}
