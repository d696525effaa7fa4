package net.tracemesh.wire.tcp;

import java.util.Arrays;
import java.util.Objects;

/**
 * A TCP segment.
 *
 * @param header  the header
 * @param payload the data after the header (a copy)
 */
public record TcpSegment(TcpHeader header, byte[] payload) {

    public TcpSegment {
        Objects.requireNonNull(header, "header");
        payload = payload == null ? new byte[0] : payload.clone();
    }

    /** The payload (a copy). */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Number of payload bytes. */
    public int payloadLength() {
        return payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpSegment s && header.equals(s.header) && Arrays.equals(payload, s.payload);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "TcpSegment[" + header + ", " + payload.length + " payload bytes]";
    }
}
