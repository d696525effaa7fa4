package net.tracemesh.agent.capture;

/** Opening, filtering or sending on a raw packet channel failed. The message is fit for a user. */
public class PacketIoException extends RuntimeException {
    public PacketIoException(String message) {
        super(message);
    }

    public PacketIoException(String message, Throwable cause) {
        super(message, cause);
    }
}
