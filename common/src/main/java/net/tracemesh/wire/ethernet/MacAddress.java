package net.tracemesh.wire.ethernet;

/** 48-bit MAC addresses as 6-byte arrays. */
public final class MacAddress {
    /** Length of a MAC address in bytes. */
    public static final int LENGTH = 6;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MacAddress() {
    }

    /**
     * Parses six two-digit hexadecimal bytes separated by colons or hyphens ({@code 02:00:5e:10:00:01}).
     *
     * @throws IllegalArgumentException if {@code text} is not a MAC address in that notation
     */
    public static byte[] parse(String text) {
        if (text == null || text.length() != 17) {
            throw invalid(text);
        }
        char separator = text.charAt(2);
        if (separator != ':' && separator != '-') {
            throw invalid(text);
        }
        byte[] mac = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int p = i * 3;
            int hi = Character.digit(text.charAt(p), 16);
            int lo = Character.digit(text.charAt(p + 1), 16);
            if (hi < 0 || lo < 0 || (i < LENGTH - 1 && text.charAt(p + 2) != separator)) {
                throw invalid(text);
            }
            mac[i] = (byte) (hi << 4 | lo);
        }
        return mac;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a MAC address (expected six hex bytes like 02:00:5e:10:00:01): \""
                + text + "\"");
    }

    /** Lower-case colon notation of a 6-byte address. */
    public static String format(byte[] mac) {
        if (mac == null || mac.length != LENGTH) {
            throw new IllegalArgumentException("a MAC address has 6 bytes");
        }
        return format(mac, 0);
    }

    /** Lower-case colon notation of the 6 bytes at {@code off}. */
    public static String format(byte[] b, int off) {
        char[] out = new char[17];
        for (int i = 0; i < LENGTH; i++) {
            int v = b[off + i] & 0xFF;
            out[i * 3] = HEX[v >>> 4];
            out[i * 3 + 1] = HEX[v & 0xF];
            if (i < LENGTH - 1) {
                out[i * 3 + 2] = ':';
            }
        }
        return new String(out);
    }

    /** Checks that {@code mac} is 6 bytes and returns a copy. */
    static byte[] checkedCopy(String field, byte[] mac) {
        return check(field, mac).clone();
    }

    /** Checks that {@code mac} is 6 bytes. */
    static byte[] check(String field, byte[] mac) {
        if (mac == null || mac.length != LENGTH) {
            throw new IllegalArgumentException(field + " must be a 6-byte MAC address");
        }
        return mac;
    }
}
