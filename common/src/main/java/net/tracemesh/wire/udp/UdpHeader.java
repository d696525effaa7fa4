package net.tracemesh.wire.udp;

import net.tracemesh.wire.Bytes;

/**
 * A UDP header (RFC 768).
 *
 * @param sourcePort      source port, 0..65535
 * @param destinationPort destination port, 0..65535
 * @param length          length field: header plus data, 0..65535
 * @param checksum        checksum field, 0..65535 (0: none was computed)
 */
public record UdpHeader(int sourcePort, int destinationPort, int length, int checksum) {
    /** Length of the header. */
    public static final int LENGTH = 8;

    public UdpHeader {
        Bytes.checkUnsigned("sourcePort", sourcePort, 0xFFFF);
        Bytes.checkUnsigned("destinationPort", destinationPort, 0xFFFF);
        Bytes.checkUnsigned("length", length, 0xFFFF);
        Bytes.checkUnsigned("checksum", checksum, 0xFFFF);
    }
}
