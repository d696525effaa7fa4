package net.tracemesh.wire.icmp;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;

/**
 * One object of an RFC 4884 extension structure.
 *
 * @param classNum class number, {@link IcmpExtensionClass}, 0..255
 * @param cType    class sub-type, 0..255
 * @param payload  the object's bytes after its 4-byte header (a copy), at most 65531 bytes
 */
public record IcmpExtensionObject(int classNum, int cType, byte[] payload) {
    /** Length of an object header. */
    public static final int HEADER_LENGTH = 4;
    /** Most payload bytes an object can hold (its 16-bit length counts the header). */
    public static final int MAX_PAYLOAD = 0xFFFF - HEADER_LENGTH;

    public IcmpExtensionObject {
        Bytes.checkUnsigned("classNum", classNum, 0xFF);
        Bytes.checkUnsigned("cType", cType, 0xFF);
        payload = Bytes.copyOrEmpty(payload);
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("an extension object holds at most " + MAX_PAYLOAD
                    + " payload bytes, got " + payload.length);
        }
    }

    /** The payload (a copy). */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Length of the object on the wire, header included. */
    public int length() {
        return HEADER_LENGTH + payload.length;
    }

    /** Whether this is an RFC 4950 MPLS incoming label stack. */
    public boolean isMplsLabelStack() {
        return classNum == IcmpExtensionClass.MPLS_LABEL_STACK
                && cType == IcmpExtensionClass.MPLS_INCOMING_LABEL_STACK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpExtensionObject x && classNum == x.classNum && cType == x.cType
                && Arrays.equals(payload, x.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * classNum + cType) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "IcmpExtensionObject[" + IcmpExtensionClass.name(classNum) + ", c-type " + cType + ", "
                + payload.length + " bytes]";
    }
}
