package net.tracemesh.wire.tcp;

/** TCP control bits (the 13th header byte) and their one-letter names. */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private static final char[] LETTERS = {'F', 'S', 'R', 'P', 'A', 'U', 'E', 'C'};

    private TcpFlags() {
    }

    /**
     * The set flags as letters in bit order, F S R P A U E C: {@code "SA"} for SYN+ACK, {@code "RA"} for
     * RST+ACK, {@code ""} for none.
     */
    public static String format(int flags) {
        StringBuilder sb = new StringBuilder(LETTERS.length);
        for (int bit = 0; bit < LETTERS.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                sb.append(LETTERS[bit]);
            }
        }
        return sb.toString();
    }

    /** Whether every flag in {@code wanted} is set in {@code flags}. */
    public static boolean has(int flags, int wanted) {
        return (flags & wanted) == wanted;
    }
}
