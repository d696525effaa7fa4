package net.tracemesh.agent.capture;

/** Opens packet channels; the one place that picks the implementation. */
public final class PacketChannels {
    private PacketChannels() {
    }

    /**
     * Opens a channel on an interface.
     *
     * @throws CapturePermissionException without root or CAP_NET_RAW
     * @throws PacketIoException          for any other failure (unknown interface, no libpcap)
     */
    public static PacketChannel open(String interfaceName) {
        if (isLoopback(interfaceName)) {
            return LoopbackPacketChannel.open(interfaceName);
        }
        return Pcap4jPacketChannel.open(interfaceName);
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
