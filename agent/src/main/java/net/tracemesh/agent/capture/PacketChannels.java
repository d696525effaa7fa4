package net.tracemesh.agent.capture;

/** Opens packet channels; the one place that picks the implementation. */
public final class PacketChannels {
    /**
     * The kernel's capture ring for one-shot runs, which probe as fast as they are allowed: it holds
     * buffer / snaplen frames (about 20,000 at a 1500-byte MTU), enough for the reply bursts of a bulk run.
     * The ring is mapped into the process and counts in its RSS once the kernel has gone round it.
     */
    public static final int DEFAULT_CAPTURE_BUFFER_BYTES = 32 << 20;

    private PacketChannels() {
    }

    /** Opens a channel on an interface with the default capture ring. */
    public static PacketChannel open(String interfaceName) {
        return open(interfaceName, DEFAULT_CAPTURE_BUFFER_BYTES);
    }

    /**
     * Opens a channel on an interface.
     *
     * @param captureBufferBytes size of the kernel's capture ring
     * @throws CapturePermissionException without root or CAP_NET_RAW
     * @throws PacketIoException          for any other failure (unknown interface, no libpcap)
     */
    public static PacketChannel open(String interfaceName, int captureBufferBytes) {
        if (isLoopback(interfaceName)) {
            return LoopbackPacketChannel.open(interfaceName, captureBufferBytes);
        }
        return Pcap4jPacketChannel.open(interfaceName, captureBufferBytes);
    }

    private static boolean isLoopback(String interfaceName) {
        try {
            java.net.NetworkInterface ni = java.net.NetworkInterface.getByName(interfaceName);
            return ni != null && ni.isLoopback();
        } catch (java.net.SocketException e) {
            return false;
        }
    }
}
