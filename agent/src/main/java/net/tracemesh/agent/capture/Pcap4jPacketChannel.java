package net.tracemesh.agent.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PacketChannel} over pcap4j 1.x / libpcap. Two handles: one only sends (its filter accepts nothing,
 * so it buffers nothing), one only captures, on its own thread, in immediate mode with a short read timeout
 * so that the loop always notices a stop request. Reads are non-blocking with a short wait of our own.
 * pcap4j opens, configures and closes the handles; the per-frame reads and sends go through {@link DirectPcap}
 * (falling back to pcap4j's own calls if its handle is not reachable), under a lock that close() takes exclusively.
 */
final class Pcap4jPacketChannel implements PacketChannel {
    private static final Logger LOG = LoggerFactory.getLogger(Pcap4jPacketChannel.class);
    private static final String LIB_PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final List<String> LIB_CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/libpcap.so", "/usr/lib/x86_64-linux-gnu/libpcap.so.1",
            "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8", "/usr/lib/aarch64-linux-gnu/libpcap.so",
            "/usr/lib/aarch64-linux-gnu/libpcap.so.1", "/usr/lib/aarch64-linux-gnu/libpcap.so.0.8",
            "/usr/lib64/libpcap.so.1", "/usr/lib/libpcap.so.1", "/usr/lib/libpcap.so.0.8");
    /** Link header, VLAN tag and slack above the MTU. */
    private static final int SNAPLEN_OVER_MTU = 64;
    private static final int MAX_SNAPLEN = 65_535;
    private static final long MIN_IDLE_WAIT_NANOS = 20_000;
    private static final long MAX_IDLE_WAIT_NANOS = 1_000_000;
    private static final int READ_TIMEOUT_MS = 5;
    /** A filter no real frame can pass: frames of at most one byte. */
    private static final String MATCH_NOTHING = "less 1";

    private final String interfaceName;
    private final LinkType linkType;
    private final PcapHandle sendHandle;
    private final PcapHandle captureHandle;
    /** Sends without pcap4j's per-frame copy of the whole buffer; null if pcap4j's handle is not reachable. */
    private final DirectPcap directSend;
    private final AtomicBoolean capturing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held (shared) around every direct libpcap call, exclusively while the handles close. */
    private final ReentrantReadWriteLock handlesInUse = new ReentrantReadWriteLock();
    private volatile boolean stopRequested;
    private Thread captureThread;

    private Pcap4jPacketChannel(String interfaceName, LinkType linkType, PcapHandle sendHandle,
                                PcapHandle captureHandle) {
        this.interfaceName = interfaceName;
        this.linkType = linkType;
        this.sendHandle = sendHandle;
        this.captureHandle = captureHandle;
        this.directSend = DirectPcap.over(sendHandle, libraryName());
    }

    private static String libraryName() {
        return System.getProperty(LIB_PROPERTY, "pcap");
    }

    static Pcap4jPacketChannel open(String interfaceName, int captureBufferBytes) {
        locateLibpcap();
        PcapHandle send = null;
        PcapHandle capture = null;
        try {
            send = new PcapHandle.Builder(interfaceName)
                    .snaplen(64).timeoutMillis(READ_TIMEOUT_MS).immediateMode(true)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS).build();
            send.setFilter(MATCH_NOTHING, BpfProgram.BpfCompileMode.OPTIMIZE);
            // The ring holds buffer / snaplen frames: a snaplen just above the MTU keeps thousands of them
            // (65535 would leave a few hundred and lose replies in bursts).
            capture = new PcapHandle.Builder(interfaceName)
                    .snaplen(snaplenFor(interfaceName)).timeoutMillis(READ_TIMEOUT_MS).immediateMode(true)
                    .bufferSize(captureBufferBytes)
                    .timestampPrecision(PcapHandle.TimestampPrecision.MICRO)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS).build();
            // Non-blocking reads with our own short wait: a blocking pcap_next can sleep forever on a quiet
            // interface while holding the handle's lock, and then close() never returns.
            capture.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            LinkType type = linkTypeOf(capture.getDlt(), interfaceName);
            return new Pcap4jPacketChannel(interfaceName, type, send, capture);
        } catch (PcapNativeException | NotOpenException | RuntimeException | LinkageError e) {
            closeQuietly(send);
            closeQuietly(capture);
            throw translate(interfaceName, e);
        }
    }

    private static int snaplenFor(String interfaceName) {
        try {
            java.net.NetworkInterface ni = java.net.NetworkInterface.getByName(interfaceName);
            if (ni != null && ni.getMTU() > 0) {
                return Math.min(MAX_SNAPLEN, ni.getMTU() + SNAPLEN_OVER_MTU);
            }
        } catch (java.net.SocketException e) {
            // fall through to the largest snaplen
        }
        return MAX_SNAPLEN;
    }

    private static PacketIoException translate(String interfaceName, Throwable e) {
        if (e instanceof PacketIoException pio) {
            return pio;
        }
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (isJnaFailure(e, lower)) {
            // JNA unpacks its own native library into a temporary directory first: an unwritable or noexec
            // directory fails here, long before libpcap is looked for.
            return new PacketIoException("JNA cannot load its native library (" + message + "): set -Djna.tmpdir"
                    + " (or java.io.tmpdir) to a directory this user can write, on a file system without noexec", e);
        }
        if (lower.contains("permission") || lower.contains("not permitted")) {
            // Capture without promiscuous mode needs CAP_NET_RAW only (tested as a non-root user in the lab).
            return new CapturePermissionException("no permission for raw capture on " + interfaceName
                    + ": run as root or grant CAP_NET_RAW", e);
        }
        // Later opens in the same JVM see pcap4j's native mappings as a class that cannot be initialised.
        if (e instanceof UnsatisfiedLinkError || lower.contains("unable to load library")
                || (e instanceof LinkageError && lower.contains("org.pcap4j"))) {
            return new PacketIoException("libpcap is not installed (install the libpcap0.8 package)", e);
        }
        return new PacketIoException("cannot open raw channel on " + interfaceName + ": " + message, e);
    }

    /**
     * True when JNA's own dispatch library failed to load (first time: an UnsatisfiedLinkError naming it or the
     * temporary directory; later in the same JVM: the class {@code com.sun.jna.Native} cannot be initialised).
     */
    private static boolean isJnaFailure(Throwable e, String lower) {
        if (!(e instanceof LinkageError)) {
            return false;
        }
        return lower.contains("jnidispatch") || lower.contains("jna temporary directory")
                || lower.contains("failed to map segment") || lower.contains("com.sun.jna.native");
    }

    private static void locateLibpcap() {
        if (System.getProperty(LIB_PROPERTY) != null) {
            return;
        }
        for (String candidate : LIB_CANDIDATES) {
            if (Files.isReadable(Path.of(candidate))) {
                System.setProperty(LIB_PROPERTY, candidate);
                return;
            }
        }
    }

    private static LinkType linkTypeOf(DataLinkType dlt, String interfaceName) {
        if (DataLinkType.EN10MB.equals(dlt)) {
            return LinkType.ETHERNET;
        }
        if (DataLinkType.RAW.equals(dlt) || dlt.value() == 12 || dlt.value() == 14 || dlt.value() == 228) {
            return LinkType.RAW_IP;
        }
        throw new PacketIoException("interface " + interfaceName + " has link type " + dlt
                + ", which tracemesh cannot probe through (Ethernet or raw IP only)");
    }

    @Override
    public String interfaceName() {
        return interfaceName;
    }

    @Override
    public LinkType linkType() {
        return linkType;
    }

    @Override
    public void send(byte[] frame, int length) {
        if (directSend != null) {
            if (!enterHandles()) {
                throw new PacketIoException("send on " + interfaceName + " failed: the channel is closed");
            }
            try {
                directSend.send(frame, length);
                return;
            } catch (PacketIoException e) {
                throw new PacketIoException("send on " + interfaceName + " failed: " + e.getMessage(), e);
            } finally {
                handlesInUse.readLock().unlock();
            }
        }
        try {
            sendHandle.sendPacket(frame, length);
        } catch (PcapNativeException | NotOpenException e) {
            throw new PacketIoException("send on " + interfaceName + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void startCapture(String filter, CaptureListener listener) {
        if (!capturing.compareAndSet(false, true)) {
            throw new IllegalStateException("capture already started on " + interfaceName);
        }
        try {
            captureHandle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            if (!"lo".equals(interfaceName)) {
                captureHandle.setDirection(PcapHandle.PcapDirection.IN);
            }
        } catch (PcapNativeException | NotOpenException e) {
            throw new PacketIoException("cannot set capture filter '" + filter + "' on " + interfaceName
                    + ": " + e.getMessage(), e);
        }
        captureThread = new Thread(() -> captureLoop(listener), "tracemesh-capture-" + interfaceName);
        captureThread.setDaemon(true);
        captureThread.start();
    }

    private void captureLoop(CaptureListener listener) {
        DirectPcap direct = DirectPcap.over(captureHandle, libraryName());
        if (direct == null) {
            LOG.debug("capture on {} reads through pcap4j (its pcap_t is not reachable)", interfaceName);
        }
        long idleNanos = 0;
        boolean readFailureLogged = false;
        while (!stopRequested) {
            byte[] frame;
            long micros;
            try {
                if (direct != null) {
                    if (!enterHandles()) {
                        return;
                    }
                    try {
                        frame = direct.next();
                        micros = direct.micros();
                    } finally {
                        handlesInUse.readLock().unlock();
                    }
                } else {
                    frame = captureHandle.getNextRawPacket();
                    micros = frame == null ? 0 : pcap4jTimestamp();
                }
            } catch (NotOpenException e) {
                return;
            } catch (PacketIoException e) {
                // as pcap4j's own read did: a failed read is no frame, and the loop goes on (said once)
                if (!readFailureLogged) {
                    LOG.warn("capture on {}: a read failed ({}); reading goes on", interfaceName, e.getMessage());
                    readFailureLogged = true;
                }
                frame = null;
                micros = 0;
            }
            if (frame == null) {
                // Nothing buffered: back off from 20 µs up to 1 ms. Timestamps come from the kernel, so
                // this wait never shows in RTTs.
                idleNanos = Math.min(MAX_IDLE_WAIT_NANOS, Math.max(MIN_IDLE_WAIT_NANOS, idleNanos * 2));
                LockSupport.parkNanos(idleNanos);
                continue;
            }
            idleNanos = 0;
            try {
                listener.onFrame(frame, micros);
            } catch (RuntimeException e) {
                LOG.warn("capture listener failed on {}", interfaceName, e);
            }
        }
    }

    /**
     * Takes the shared hold on the handles for a direct libpcap call; false, holding nothing, once the channel is
     * closed or closing. The caller releases the read lock after the call.
     */
    private boolean enterHandles() {
        if (!handlesInUse.readLock().tryLock()) {
            return false;
        }
        if (closed.get()) {
            handlesInUse.readLock().unlock();
            return false;
        }
        return true;
    }

    /** pcap4j 1.x keeps the timestamp of the last packet per thread: read it right after the packet. */
    private long pcap4jTimestamp() {
        Timestamp ts = captureHandle.getTimestamp();
        return Math.floorDiv(ts.getTime(), 1000L) * 1_000_000L + ts.getNanos() / 1000;
    }

    @Override
    public long kernelDrops() {
        if (!capturing.get() || closed.get()) {
            return 0;
        }
        try {
            PcapStat stat = captureHandle.getStats();
            return stat.getNumPacketsDropped();
        } catch (PcapNativeException | NotOpenException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopRequested = true;
        Thread t = captureThread;
        if (t != null) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // the direct calls hold the read lock: no libpcap call is under way on a handle being closed
        handlesInUse.writeLock().lock();
        try {
            closeQuietly(captureHandle);
            closeQuietly(sendHandle);
        } finally {
            handlesInUse.writeLock().unlock();
        }
    }

    private static void closeQuietly(PcapHandle handle) {
        if (handle != null && handle.isOpen()) {
            handle.close();
        }
    }
}
