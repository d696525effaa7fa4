package net.tracemesh.agent.capture;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteOrder;

/**
 * A raw IPv4 socket ({@code IPPROTO_RAW}: we write the whole IP header) for the probes a link-layer frame
 * cannot carry: Linux drops frames injected toward the host's own addresses on input (127/8 as "local net",
 * its other addresses as "local source"), while packets sent through the IP output path are delivered.
 */
final class RawIpSocket implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;
    private static final int EPERM = 1;
    private static final int EACCES = 13;
    private static final int SOCKADDR_IN_LENGTH = 16;

    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final LibC LIBC = Native.load("c", LibC.class);

    private final int fd;
    private final byte[] address = new byte[SOCKADDR_IN_LENGTH];
    private final byte[] packet = new byte[65_535];
    private boolean closed;

    private RawIpSocket(int fd) {
        this.fd = fd;
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            address[0] = AF_INET;
        } else {
            address[1] = AF_INET;
        }
    }

    static RawIpSocket open() {
        try {
            return new RawIpSocket(LIBC.socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EPERM || e.getErrorCode() == EACCES) {
                throw new CapturePermissionException("no permission for a raw IP socket: run as root or grant"
                        + " CAP_NET_RAW", e);
            }
            throw new PacketIoException("cannot open a raw IP socket: " + e.getMessage(), e);
        }
    }

    /** Sends the IPv4 packet at {@code offset} (its header names the destination). */
    void send(byte[] buffer, int offset, int length) {
        if (length < 20) {
            throw new PacketIoException("not an IPv4 packet: " + length + " bytes");
        }
        System.arraycopy(buffer, offset, packet, 0, length);
        System.arraycopy(packet, 16, address, 4, 4);
        try {
            LIBC.sendto(fd, packet, new NativeLong(length), 0, address, SOCKADDR_IN_LENGTH);
        } catch (LastErrorException e) {
            throw new PacketIoException("raw IP send failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LIBC.close(fd);
            } catch (LastErrorException e) {
                // nothing left to release
            }
        }
    }
}
