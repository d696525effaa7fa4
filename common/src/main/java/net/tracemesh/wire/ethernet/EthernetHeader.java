package net.tracemesh.wire.ethernet;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;

/**
 * An Ethernet II header.
 *
 * @param destination  destination MAC address, 6 bytes
 * @param source       source MAC address, 6 bytes
 * @param etherType    type of the payload (after any 802.1Q tag), 0..0xFFFF
 * @param headerLength where the payload starts: 14, or 18 when an 802.1Q tag was skipped
 */
public record EthernetHeader(byte[] destination, byte[] source, int etherType, int headerLength) {
    /** Length of an untagged header. */
    public static final int LENGTH = 14;
    /** Length of a header with one 802.1Q tag. */
    public static final int TAGGED_LENGTH = 18;

    public EthernetHeader {
        destination = MacAddress.checkedCopy("destination", destination);
        source = MacAddress.checkedCopy("source", source);
        Bytes.checkUnsigned("etherType", etherType, 0xFFFF);
        if (headerLength != LENGTH && headerLength != TAGGED_LENGTH) {
            throw new IllegalArgumentException("headerLength must be 14 or 18, got " + headerLength);
        }
    }

    @Override
    public byte[] destination() {
        return destination.clone();
    }

    @Override
    public byte[] source() {
        return source.clone();
    }

    /** Whether an 802.1Q tag was skipped. */
    public boolean tagged() {
        return headerLength == TAGGED_LENGTH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EthernetHeader h && Arrays.equals(destination, h.destination)
                && Arrays.equals(source, h.source) && etherType == h.etherType && headerLength == h.headerLength;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(destination) + Arrays.hashCode(source)) + etherType) + headerLength;
    }

    @Override
    public String toString() {
        return "EthernetHeader[" + MacAddress.format(source) + " > " + MacAddress.format(destination) + ", "
                + EtherType.name(etherType) + (tagged() ? ", 802.1Q" : "") + "]";
    }
}
