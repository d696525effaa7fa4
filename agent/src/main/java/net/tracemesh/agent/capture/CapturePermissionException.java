package net.tracemesh.agent.capture;

/** The process may not open raw packet channels (it needs root or CAP_NET_RAW). */
public class CapturePermissionException extends PacketIoException {
    public CapturePermissionException(String message, Throwable cause) {
        super(message, cause);
    }
}
