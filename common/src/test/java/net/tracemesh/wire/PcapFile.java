package net.tracemesh.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal reader of classic pcap files (not pcapng) with Ethernet link type, for replaying captures in tests.
 * Understands both byte orders and both microsecond and nanosecond timestamps.
 */
public final class PcapFile {
    /** Link type DLT_EN10MB / LINKTYPE_ETHERNET. */
    public static final int LINKTYPE_ETHERNET = 1;

    private static final int MAGIC_MICROS = 0xA1B2C3D4;
    private static final int MAGIC_NANOS = 0xA1B23C4D;
    private static final int GLOBAL_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;

    /**
     * One captured frame.
     *
     * @param timestampNanos capture time, nanoseconds since the epoch
     * @param originalLength length of the frame on the wire
     * @param data           the captured bytes (at most the snap length)
     */
    public record Record(long timestampNanos, int originalLength, byte[] data) {
    }

    private PcapFile() {
    }

    /** The frames of the classpath resource {@code captures/NAME.pcap}. */
    public static List<Record> readCapture(String name) {
        String resource = "/captures/" + name + ".pcap";
        try (InputStream in = PcapFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The frames of the Ethernet pcap file in {@code file}. */
    public static List<Record> read(byte[] file) {
        if (file.length < GLOBAL_HEADER_LENGTH) {
            throw new IllegalArgumentException("pcap file shorter than its global header");
        }
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.BIG_ENDIAN);
        int magic = buf.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            buf.order(ByteOrder.LITTLE_ENDIAN);
            magic = buf.getInt(0);
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw new IllegalArgumentException("not a pcap file: magic " + Integer.toHexString(magic));
            }
        }
        long fractionToNanos = magic == MAGIC_NANOS ? 1 : 1000;
        int major = buf.getShort(4) & 0xFFFF;
        if (major != 2) {
            throw new IllegalArgumentException("pcap version " + major + " is not 2");
        }
        long snapLength = buf.getInt(16) & 0xFFFF_FFFFL;
        int linkType = buf.getInt(20) & 0x0FFF_FFFF;
        if (linkType != LINKTYPE_ETHERNET) {
            throw new IllegalArgumentException("link type " + linkType + " is not Ethernet");
        }
        List<Record> records = new ArrayList<>();
        int p = GLOBAL_HEADER_LENGTH;
        while (p < file.length) {
            if (file.length - p < RECORD_HEADER_LENGTH) {
                throw new IllegalArgumentException("pcap record header cut short at offset " + p);
            }
            long seconds = buf.getInt(p) & 0xFFFF_FFFFL;
            long fraction = buf.getInt(p + 4) & 0xFFFF_FFFFL;
            long included = buf.getInt(p + 8) & 0xFFFF_FFFFL;
            long original = buf.getInt(p + 12) & 0xFFFF_FFFFL;
            p += RECORD_HEADER_LENGTH;
            if (included > snapLength || included > original || included > file.length - p) {
                throw new IllegalArgumentException("pcap record length " + included + " impossible at offset " + p);
            }
            byte[] data = new byte[(int) included];
            System.arraycopy(file, p, data, 0, data.length);
            records.add(new Record(seconds * 1_000_000_000L + fraction * fractionToNanos, (int) original, data));
            p += data.length;
        }
        return records;
    }
}
