package net.tracemesh.agent.capture;

/**
 * Sends complete link-layer frames on one interface and captures the frames a kernel filter lets through.
 * This is the only door to raw packets: the rest of the agent does not know which library is behind it.
 */
public interface PacketChannel extends AutoCloseable {
    /** The interface's name. */
    String interfaceName();

    /** The framing of frames given to {@link #send}. */
    LinkType linkType();

    /** The framing of captured frames (the same as {@link #linkType()} unless sending bypasses the link layer). */
    default LinkType captureLinkType() {
        return linkType();
    }

    /**
     * Sends the first {@code length} bytes of {@code frame}. Not thread-safe: one sending thread per channel.
     *
     * @throws PacketIoException when the kernel refuses the frame
     */
    void send(byte[] frame, int length);

    /**
     * Starts capturing on a thread of its own, inbound frames only, through the given BPF filter expression.
     * Can be called once.
     */
    void startCapture(String filter, CaptureListener listener);

    /** Frames the kernel dropped because the capture buffer was full, since the capture started. */
    long kernelDrops();

    /** Stops capture (waiting for the capture thread) and releases the handles. Idempotent. */
    @Override
    void close();
}
