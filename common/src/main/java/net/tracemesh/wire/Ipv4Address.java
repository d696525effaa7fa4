package net.tracemesh.wire;

/** IPv4 addresses as ints (the address's 32 bits, most significant byte first). */
public final class Ipv4Address {
    private Ipv4Address() {
    }

    /**
     * Parses dotted-quad notation: four decimal numbers 0..255, one to three digits each, without leading zeros
     * (which some parsers read as octal).
     *
     * @throws IllegalArgumentException if {@code dotted} is not an IPv4 address in that notation
     */
    public static int parse(String dotted) {
        if (dotted == null) {
            throw new IllegalArgumentException("IPv4 address is null");
        }
        int addr = 0;
        int parts = 0;
        int i = 0;
        int n = dotted.length();
        while (true) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 4 && dotted.charAt(i) >= '0' && dotted.charAt(i) <= '9') {
                value = value * 10 + (dotted.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && dotted.charAt(start) == '0')) {
                throw invalid(dotted);
            }
            addr = addr << 8 | value;
            parts++;
            if (parts == 4) {
                if (i != n) {
                    throw invalid(dotted);
                }
                return addr;
            }
            if (i >= n || dotted.charAt(i) != '.') {
                throw invalid(dotted);
            }
            i++;
        }
    }

    private static IllegalArgumentException invalid(String dotted) {
        return new IllegalArgumentException("not an IPv4 address (expected four numbers 0-255 like 198.18.0.1): \""
                + dotted + "\"");
    }

    /** Dotted-quad notation of {@code addr}. */
    public static String format(int addr) {
        return (addr >>> 24) + "." + (addr >>> 16 & 0xFF) + "." + (addr >>> 8 & 0xFF) + "." + (addr & 0xFF);
    }

    /** The address stored big-endian at {@code off}. */
    public static int read(byte[] b, int off) {
        return Bytes.i32(b, off);
    }

    /** Stores {@code addr} big-endian at {@code off}. */
    public static void write(byte[] b, int off, int addr) {
        Bytes.put32(b, off, addr);
    }

    /**
     * Whether {@code addr} is in {@code prefix/len}.
     *
     * @param len prefix length, 0..32
     */
    public static boolean inPrefix(int addr, int prefix, int len) {
        if (len < 0 || len > 32) {
            throw new IllegalArgumentException("prefix length must be in 0..32, got " + len);
        }
        if (len == 0) {
            return true;
        }
        int mask = -1 << (32 - len);
        return (addr & mask) == (prefix & mask);
    }
}
