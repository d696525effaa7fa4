package net.tracemesh.wire.icmp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;

/**
 * The RFC 4884 extension structure that may follow the quoted datagram of ICMP destination unreachable, time
 * exceeded and parameter problem, and the RFC 4950 MPLS label stack object.
 *
 * <p>The structure is a 4-byte header (version 2 in the top 4 bits, 12 reserved bits, a 16-bit checksum over the
 * whole structure, 0 meaning not computed) followed by one or more objects, each a 16-bit length counting its
 * 4-byte header, a class number, a C-type and the payload.
 */
public final class IcmpExtensionCodec {
    /** The extension structure's version. */
    public static final int VERSION = 2;
    /** Length of the extension header. */
    public static final int HEADER_LENGTH = 4;

    private static final int CHECKSUM = 2;

    private IcmpExtensionCodec() {
    }

    /**
     * Decodes the extension structure filling {@code b[off, off + len)}.
     *
     * @throws MalformedPacketException if it is not a valid structure
     */
    public static List<IcmpExtensionObject> decode(byte[] b, int off, int len) {
        Bytes.checkRange(b, off, len);
        List<IcmpExtensionObject> objects = tryDecode(b, off, len, false);
        if (objects == null) {
            throw new MalformedPacketException(Reason.BAD_FIELD, "not a valid ICMP extension structure");
        }
        return objects;
    }

    /**
     * The objects of the structure filling {@code b[off, off + len)}, or null if it is not valid: too short, not
     * version 2, a nonzero checksum that does not verify (or a zero one when {@code requireChecksum}), no object,
     * or an object whose length is below 4 or runs past the end. The range must lie inside {@code b}.
     */
    static List<IcmpExtensionObject> tryDecode(byte[] b, int off, int len, boolean requireChecksum) {
        if (len < HEADER_LENGTH + IcmpExtensionObject.HEADER_LENGTH || Bytes.u8(b, off) >>> 4 != VERSION) {
            return null;
        }
        if (Bytes.u16(b, off + CHECKSUM) == 0) {
            if (requireChecksum) {
                return null;
            }
        } else if (InternetChecksum.checksum(b, off, len) != 0) {
            return null;
        }
        List<IcmpExtensionObject> objects = new ArrayList<>(2);
        int p = off + HEADER_LENGTH;
        int end = off + len;
        while (p < end) {
            if (end - p < IcmpExtensionObject.HEADER_LENGTH) {
                return null;
            }
            int length = Bytes.u16(b, p);
            if (length < IcmpExtensionObject.HEADER_LENGTH || length > end - p) {
                return null;
            }
            objects.add(new IcmpExtensionObject(Bytes.u8(b, p + 2), Bytes.u8(b, p + 3),
                    Arrays.copyOfRange(b, p + IcmpExtensionObject.HEADER_LENGTH, p + length)));
            p += length;
        }
        return List.copyOf(objects);
    }

    /** Length of the structure holding {@code objects}. */
    public static int encodedLength(List<IcmpExtensionObject> objects) {
        int length = HEADER_LENGTH;
        for (IcmpExtensionObject object : objects) {
            length += object.length();
        }
        return length;
    }

    /**
     * Writes the structure holding {@code objects}, with its checksum, at {@code out[off]}.
     *
     * @return its length
     * @throws IllegalArgumentException if {@code objects} is empty (a structure holds at least one object)
     */
    public static int encode(List<IcmpExtensionObject> objects, byte[] out, int off) {
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("an ICMP extension structure holds at least one object");
        }
        int length = encodedLength(objects);
        Objects.checkFromIndexSize(off, length, out.length);
        out[off] = (byte) (VERSION << 4);
        out[off + 1] = 0;
        Bytes.put16(out, off + CHECKSUM, 0);
        int p = off + HEADER_LENGTH;
        for (IcmpExtensionObject object : objects) {
            Bytes.put16(out, p, object.length());
            out[p + 2] = (byte) object.classNum();
            out[p + 3] = (byte) object.cType();
            byte[] payload = object.payload();
            System.arraycopy(payload, 0, out, p + IcmpExtensionObject.HEADER_LENGTH, payload.length);
            p += object.length();
        }
        Bytes.put16(out, off + CHECKSUM, InternetChecksum.checksum(out, off, length));
        return length;
    }

    /** The structure holding {@code objects} as a new array. */
    public static byte[] encode(List<IcmpExtensionObject> objects) {
        byte[] out = new byte[encodedLength(objects)];
        encode(objects, out, 0);
        return out;
    }

    /**
     * The entries of an MPLS label stack object, top of stack first. Bytes after the last whole 4-byte entry are
     * ignored.
     */
    public static List<MplsLabelStackEntry> decodeMplsLabelStack(IcmpExtensionObject object) {
        byte[] payload = object.payload();
        List<MplsLabelStackEntry> entries = new ArrayList<>(payload.length / MplsLabelStackEntry.LENGTH);
        for (int p = 0; p + MplsLabelStackEntry.LENGTH <= payload.length; p += MplsLabelStackEntry.LENGTH) {
            entries.add(MplsLabelStackEntry.fromWord(Bytes.i32(payload, p)));
        }
        return List.copyOf(entries);
    }

    /** An MPLS incoming label stack object (class 1, C-type 1) holding {@code entries}, top of stack first. */
    public static IcmpExtensionObject encodeMplsLabelStack(List<MplsLabelStackEntry> entries) {
        byte[] payload = new byte[entries.size() * MplsLabelStackEntry.LENGTH];
        for (int i = 0; i < entries.size(); i++) {
            Bytes.put32(payload, i * MplsLabelStackEntry.LENGTH, entries.get(i).toWord());
        }
        return new IcmpExtensionObject(IcmpExtensionClass.MPLS_LABEL_STACK,
                IcmpExtensionClass.MPLS_INCOMING_LABEL_STACK, payload);
    }
}
