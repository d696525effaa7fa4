package net.tracemesh.agent.capture;

/**
 * The channel for probes to this host itself (127/8 and its own addresses): bare IP packets sent through a
 * raw IP socket, so the kernel routes them as its own output; replies captured with pcap on the loopback
 * interface as Ethernet frames.
 */
final class LoopbackPacketChannel implements PacketChannel {
    private final PacketChannel capture;
    private final RawIpSocket socket;

    private LoopbackPacketChannel(PacketChannel capture, RawIpSocket socket) {
        this.capture = capture;
        this.socket = socket;
    }

    static LoopbackPacketChannel open(String interfaceName, int captureBufferBytes) {
        PacketChannel capture = Pcap4jPacketChannel.open(interfaceName, captureBufferBytes);
        try {
            return new LoopbackPacketChannel(capture, RawIpSocket.open());
        } catch (RuntimeException e) {
            capture.close();
            throw e;
        }
    }

    @Override
    public String interfaceName() {
        return capture.interfaceName();
    }

    @Override
    public LinkType linkType() {
        return LinkType.RAW_IP;
    }

    @Override
    public LinkType captureLinkType() {
        return capture.captureLinkType();
    }

    @Override
    public void send(byte[] frame, int length) {
        socket.send(frame, 0, length);
    }

    @Override
    public void startCapture(String filter, CaptureListener listener) {
        capture.startCapture(filter, listener);
    }

    @Override
    public long kernelDrops() {
        return capture.kernelDrops();
    }

    @Override
    public void close() {
        capture.close();
        socket.close();
    }
}
