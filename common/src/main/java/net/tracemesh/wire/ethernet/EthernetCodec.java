package net.tracemesh.wire.ethernet;

import java.util.Arrays;
import java.util.Objects;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;

/** Ethernet II headers (DLT_EN10MB frames without the frame check sequence). */
public final class EthernetCodec {
    private static final int DESTINATION = 0;
    private static final int SOURCE = 6;
    private static final int TYPE = 12;
    private static final int VLAN_TAG_LENGTH = 4;

    private EthernetCodec() {
    }

    /**
     * Decodes the header of the frame in {@code b[off, off + len)}. One 802.1Q tag is skipped: the header then
     * reports the encapsulated EtherType and a length of 18.
     *
     * @throws MalformedPacketException if the frame is shorter than its header
     */
    public static EthernetHeader decode(byte[] b, int off, int len) {
        Bytes.checkRange(b, off, len);
        if (len < EthernetHeader.LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "Ethernet frame shorter than 14 bytes");
        }
        int etherType = Bytes.u16(b, off + TYPE);
        int headerLength = EthernetHeader.LENGTH;
        if (etherType == EtherType.VLAN) {
            if (len < EthernetHeader.TAGGED_LENGTH) {
                throw new MalformedPacketException(Reason.TRUNCATED, "802.1Q frame shorter than 18 bytes");
            }
            etherType = Bytes.u16(b, off + TYPE + VLAN_TAG_LENGTH);
            headerLength = EthernetHeader.TAGGED_LENGTH;
        }
        byte[] destination = Arrays.copyOfRange(b, off + DESTINATION, off + DESTINATION + MacAddress.LENGTH);
        byte[] source = Arrays.copyOfRange(b, off + SOURCE, off + SOURCE + MacAddress.LENGTH);
        return new EthernetHeader(destination, source, etherType, headerLength);
    }

    /**
     * Writes an untagged header at {@code out[off]}.
     *
     * @return the header length, 14
     */
    public static int encode(byte[] dst, byte[] src, int etherType, byte[] out, int off) {
        MacAddress.check("dst", dst);
        MacAddress.check("src", src);
        Bytes.checkUnsigned("etherType", etherType, 0xFFFF);
        Objects.checkFromIndexSize(off, EthernetHeader.LENGTH, out.length);
        System.arraycopy(dst, 0, out, off + DESTINATION, MacAddress.LENGTH);
        System.arraycopy(src, 0, out, off + SOURCE, MacAddress.LENGTH);
        Bytes.put16(out, off + TYPE, etherType);
        return EthernetHeader.LENGTH;
    }

    /** An untagged header as a new 14-byte array. */
    public static byte[] encode(byte[] dst, byte[] src, int etherType) {
        byte[] out = new byte[EthernetHeader.LENGTH];
        encode(dst, src, etherType, out, 0);
        return out;
    }
}
