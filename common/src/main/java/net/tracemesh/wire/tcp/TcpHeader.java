package net.tracemesh.wire.tcp;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;

/**
 * A TCP header (RFC 9293). The four reserved bits before the flags are not represented.
 *
 * @param sourcePort      source port, 0..65535
 * @param destinationPort destination port, 0..65535
 * @param sequence        sequence number, 0..2^32-1
 * @param acknowledgement acknowledgement number, 0..2^32-1
 * @param flags           control bits, {@link TcpFlags}, 0..255
 * @param window          window, 0..65535
 * @param checksum        checksum field, 0..65535; as found when decoded, ignored by {@link TcpCodec#encode}
 * @param urgentPointer   urgent pointer, 0..65535
 * @param options         option bytes, kept undecoded: a multiple of 4 up to 40 bytes (null means none)
 */
public record TcpHeader(int sourcePort, int destinationPort, long sequence, long acknowledgement, int flags,
                        int window, int checksum, int urgentPointer, byte[] options) {
    /** Length of a header without options. */
    public static final int MIN_LENGTH = 20;
    /** Length of a header with the most options. */
    public static final int MAX_LENGTH = 60;

    public TcpHeader {
        Bytes.checkUnsigned("sourcePort", sourcePort, 0xFFFF);
        Bytes.checkUnsigned("destinationPort", destinationPort, 0xFFFF);
        Bytes.checkUnsigned32("sequence", sequence);
        Bytes.checkUnsigned32("acknowledgement", acknowledgement);
        Bytes.checkUnsigned("flags", flags, 0xFF);
        Bytes.checkUnsigned("window", window, 0xFFFF);
        Bytes.checkUnsigned("checksum", checksum, 0xFFFF);
        Bytes.checkUnsigned("urgentPointer", urgentPointer, 0xFFFF);
        options = Bytes.copyOrEmpty(options);
        if (options.length % 4 != 0 || options.length > MAX_LENGTH - MIN_LENGTH) {
            throw new IllegalArgumentException("options must be a multiple of 4 bytes, at most 40, got "
                    + options.length);
        }
    }

    /** Header length in bytes: 20 plus the options. */
    public int headerLength() {
        return MIN_LENGTH + options.length;
    }

    /** Option bytes (a copy). */
    @Override
    public byte[] options() {
        return options.clone();
    }

    /** Number of option bytes. */
    public int optionsLength() {
        return options.length;
    }

    /** Whether every flag in {@code wanted} is set. */
    public boolean has(int wanted) {
        return TcpFlags.has(flags, wanted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpHeader h && sourcePort == h.sourcePort && destinationPort == h.destinationPort
                && sequence == h.sequence && acknowledgement == h.acknowledgement && flags == h.flags
                && window == h.window && checksum == h.checksum && urgentPointer == h.urgentPointer
                && Arrays.equals(options, h.options);
    }

    @Override
    public int hashCode() {
        int h = sourcePort;
        h = 31 * h + destinationPort;
        h = 31 * h + Long.hashCode(sequence);
        h = 31 * h + Long.hashCode(acknowledgement);
        h = 31 * h + flags;
        h = 31 * h + window;
        h = 31 * h + checksum;
        h = 31 * h + urgentPointer;
        return 31 * h + Arrays.hashCode(options);
    }

    @Override
    public String toString() {
        return "TcpHeader[" + sourcePort + " > " + destinationPort + ", [" + TcpFlags.format(flags) + "], seq "
                + sequence + ", ack " + acknowledgement + ", win " + window + ", sum "
                + String.format("0x%04x", checksum) + ", urg " + urgentPointer
                + (options.length > 0 ? ", " + options.length + " option bytes" : "") + "]";
    }
}
