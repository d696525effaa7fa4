package net.tracemesh.agent.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import org.pcap4j.core.PcapHandle;

/**
 * The per-frame calls on a pcap4j handle ({@code pcap_next_ex}, {@code pcap_sendpacket}) made straight to libpcap,
 * without pcap4j's per-frame costs: pcap4j 1.x allocates a native packet header, with its cleaner registration, for
 * every frame it reads, and hands a Java array to JNA for every frame it sends, which copies the whole array in and
 * out (the engine's frame buffer fits the largest probe, 64 KiB). Here the read's out-parameters are reused and its
 * header read in place, and a frame is sent from a native buffer that receives only its own bytes.
 *
 * <p>pcap4j still opens, configures and closes the handle. A {@code DirectPcap} is used by one thread at a time, and
 * the channel stops that thread before it closes the handle.
 */
final class DirectPcap {
    /** {@code pcap_next_ex}'s result when a frame was read. */
    private static final int FRAME_READ = 1;
    /** {@code pcap_next_ex}'s result when no frame is buffered (non-blocking mode or the read timeout). */
    private static final int NONE_BUFFERED = 0;
    /** Offsets in {@code struct pcap_pkthdr}: a {@code struct timeval} (two C longs), then caplen and len. */
    private static final int TV_USEC_OFFSET = Native.LONG_SIZE;
    private static final int CAPLEN_OFFSET = 2 * Native.LONG_SIZE;
    private static final int FIRST_SEND_BUFFER = 2048;

    private final Pointer pcap;
    private final long[] header = new long[1];
    private final long[] data = new long[1];
    private long micros;
    private Memory sendBuffer;

    private DirectPcap(Pointer pcap) {
        this.pcap = pcap;
    }

    /**
     * Direct calls on {@code handle}'s {@code pcap_t}, or null when this pcap4j build does not expose it as expected
     * (the caller then goes through pcap4j).
     */
    static DirectPcap over(PcapHandle handle, String libraryName) {
        try {
            Field f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
            Object pcap = f.get(handle);
            if (!(pcap instanceof Pointer p)) {
                return null;
            }
            LibPcap.bind(libraryName);
            return new DirectPcap(p);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * The next buffered frame, or null if none is buffered.
     *
     * @throws PacketIoException if libpcap reports an error
     */
    byte[] next() {
        int rc = LibPcap.pcap_next_ex(pcap, header, data);
        if (rc == NONE_BUFFERED) {
            return null;
        }
        if (rc != FRAME_READ) {
            throw new PacketIoException("pcap_next_ex failed with " + rc + ": " + LibPcap.pcap_geterr(pcap));
        }
        Pointer h = new Pointer(header[0]);
        micros = cLong(h, 0) * 1_000_000L + cLong(h, TV_USEC_OFFSET);
        return new Pointer(data[0]).getByteArray(0, h.getInt(CAPLEN_OFFSET));
    }

    /** A C {@code long} at {@code offset} (read without the NativeLong and Long objects JNA would make). */
    private static long cLong(Pointer p, long offset) {
        return Native.LONG_SIZE == Long.BYTES ? p.getLong(offset) : p.getInt(offset);
    }

    /** The capture timestamp of the frame {@link #next} returned last, in microseconds since the epoch. */
    long micros() {
        return micros;
    }

    /**
     * Sends the first {@code length} bytes of {@code frame}.
     *
     * @throws PacketIoException if libpcap refuses the frame
     */
    void send(byte[] frame, int length) {
        if (sendBuffer == null || sendBuffer.size() < length) {
            sendBuffer = new Memory(Math.max(FIRST_SEND_BUFFER, Integer.highestOneBit(Math.max(1, length - 1)) << 1));
        }
        sendBuffer.write(0, frame, 0, length);
        if (LibPcap.pcap_sendpacket(pcap, sendBuffer, length) != 0) {
            throw new PacketIoException(LibPcap.pcap_geterr(pcap));
        }
    }

    /** The libpcap functions called per frame, bound by JNA's direct mapping. */
    private static final class LibPcap {
        private static boolean bound;

        private LibPcap() {
        }

        static synchronized void bind(String libraryName) {
            if (!bound) {
                Native.register(LibPcap.class, NativeLibrary.getInstance(libraryName));
                bound = true;
            }
        }

        static native int pcap_next_ex(Pointer pcap, long[] header, long[] data);

        static native int pcap_sendpacket(Pointer pcap, Pointer frame, int length);

        static native String pcap_geterr(Pointer pcap);
    }
}
