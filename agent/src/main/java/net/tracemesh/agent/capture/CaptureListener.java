package net.tracemesh.agent.capture;

/**
 * Receives captured frames on the capture thread. Implementations must be quick and must never throw:
 * hand the work off instead.
 */
@FunctionalInterface
public interface CaptureListener {
    /**
     * @param frame           the captured frame; owned by the listener from now on
     * @param timestampMicros the kernel's capture time, microseconds since the epoch
     */
    void onFrame(byte[] frame, long timestampMicros);
}
