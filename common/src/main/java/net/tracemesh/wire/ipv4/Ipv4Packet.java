package net.tracemesh.wire.ipv4;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 datagram (or fragment).
 *
 * @param header  the header
 * @param payload the bytes after the header, up to the header's total length (a copy)
 */
public record Ipv4Packet(Ipv4Header header, byte[] payload) {

    public Ipv4Packet {
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
        return o instanceof Ipv4Packet p && header.equals(p.header) && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Ipv4Packet[" + header + ", " + payload.length + " payload bytes]";
    }
}
