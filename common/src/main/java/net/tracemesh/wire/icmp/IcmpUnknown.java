package net.tracemesh.wire.icmp;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;

/**
 * A message of a type not listed in {@link IcmpType}, kept as bytes.
 *
 * @param type a type without a record of its own, 0..255
 * @param code code, 0..255
 * @param rest every byte after the checksum (a copy), at least 4 (every ICMP message has an 8-byte header)
 */
public record IcmpUnknown(int type, int code, byte[] rest) implements IcmpMessage {
    private static final int MIN_REST = 4;

    public IcmpUnknown {
        Bytes.checkUnsigned("type", type, 0xFF);
        if (IcmpType.isKnown(type)) {
            throw new IllegalArgumentException("type " + type + " (" + IcmpType.name(type)
                    + ") has its own record");
        }
        Bytes.checkUnsigned("code", code, 0xFF);
        rest = Bytes.copyOrEmpty(rest);
        if (rest.length < MIN_REST) {
            throw new IllegalArgumentException("an ICMP message has at least 4 bytes after its checksum, got "
                    + rest.length);
        }
    }

    /** The bytes after the checksum (a copy). */
    @Override
    public byte[] rest() {
        return rest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpUnknown u && type == u.type && code == u.code && Arrays.equals(rest, u.rest);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + code) + Arrays.hashCode(rest);
    }

    @Override
    public String toString() {
        return "IcmpUnknown[type " + type + ", code " + code + ", " + rest.length + " bytes]";
    }
}
