package net.tracemesh.wire.icmp;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;

/**
 * An echo request or reply.
 *
 * @param type       {@link IcmpType#ECHO_REQUEST} or {@link IcmpType#ECHO_REPLY}
 * @param code       code, 0..255 (0 in practice)
 * @param identifier identifier, 0..65535
 * @param sequence   sequence number, 0..65535
 * @param data       the data after the 8-byte header (a copy; null means none)
 */
public record IcmpEcho(int type, int code, int identifier, int sequence, byte[] data) implements IcmpMessage {

    public IcmpEcho {
        if (type != IcmpType.ECHO_REQUEST && type != IcmpType.ECHO_REPLY) {
            throw new IllegalArgumentException("an echo message has type 0 or 8, got " + type);
        }
        Bytes.checkUnsigned("code", code, 0xFF);
        Bytes.checkUnsigned("identifier", identifier, 0xFFFF);
        Bytes.checkUnsigned("sequence", sequence, 0xFFFF);
        data = Bytes.copyOrEmpty(data);
    }

    /** An echo request with code 0. */
    public static IcmpEcho request(int identifier, int sequence, byte[] data) {
        return new IcmpEcho(IcmpType.ECHO_REQUEST, 0, identifier, sequence, data);
    }

    /** An echo reply with code 0. */
    public static IcmpEcho reply(int identifier, int sequence, byte[] data) {
        return new IcmpEcho(IcmpType.ECHO_REPLY, 0, identifier, sequence, data);
    }

    /** The data (a copy). */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Number of data bytes. */
    public int dataLength() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpEcho e && type == e.type && code == e.code && identifier == e.identifier
                && sequence == e.sequence && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * type + code) + identifier) + sequence) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IcmpEcho[" + IcmpType.name(type) + ", code " + code + ", id " + identifier + ", seq " + sequence
                + ", " + data.length + " data bytes]";
    }
}
