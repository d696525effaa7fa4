package net.tracemesh.wire.udp;

import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP datagram.
 *
 * @param header  the header
 * @param payload the data after the header, up to the header's length (a copy)
 */
public record UdpDatagram(UdpHeader header, byte[] payload) {

    public UdpDatagram {
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
        return o instanceof UdpDatagram d && header.equals(d.header) && Arrays.equals(payload, d.payload);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "UdpDatagram[" + header + ", " + payload.length + " payload bytes]";
    }
}
