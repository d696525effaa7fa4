package net.tracemesh.wire.ipv4;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Ipv4Address;

/**
 * An IPv4 header (RFC 791). The version is always 4 and the header length follows from the options. The reserved
 * flag bit is not represented: decoders ignore it and encoders write it as zero.
 *
 * @param tos            type of service byte (DSCP and ECN), 0..255
 * @param totalLength    total length field, 0..65535; as found in the packet, even when it cannot be right (quoted
 *                       headers are decoded leniently)
 * @param identification identification, 0..65535
 * @param dontFragment   the DF flag
 * @param moreFragments  the MF flag
 * @param fragmentOffset fragment offset in 8-byte units, 0..8191
 * @param ttl            time to live, 0..255
 * @param protocol       {@link IpProtocol}, 0..255
 * @param checksum       header checksum field, 0..65535; as found when decoded, ignored by
 *                       {@link Ipv4Codec#encodeHeader}
 * @param source         source address
 * @param destination    destination address
 * @param options        option bytes, a multiple of 4 up to 40 bytes (null means none)
 */
public record Ipv4Header(int tos, int totalLength, int identification, boolean dontFragment, boolean moreFragments,
                         int fragmentOffset, int ttl, int protocol, int checksum, int source, int destination,
                         byte[] options) {
    /** Length of a header without options. */
    public static final int MIN_LENGTH = 20;
    /** Length of a header with the most options. */
    public static final int MAX_LENGTH = 60;
    /** Largest value of the fragment offset field. */
    public static final int MAX_FRAGMENT_OFFSET = 0x1FFF;

    public Ipv4Header {
        Bytes.checkUnsigned("tos", tos, 0xFF);
        Bytes.checkUnsigned("totalLength", totalLength, 0xFFFF);
        Bytes.checkUnsigned("identification", identification, 0xFFFF);
        Bytes.checkUnsigned("fragmentOffset", fragmentOffset, MAX_FRAGMENT_OFFSET);
        Bytes.checkUnsigned("ttl", ttl, 0xFF);
        Bytes.checkUnsigned("protocol", protocol, 0xFF);
        Bytes.checkUnsigned("checksum", checksum, 0xFFFF);
        options = Bytes.copyOrEmpty(options);
        if (options.length % 4 != 0 || options.length > MAX_LENGTH - MIN_LENGTH) {
            throw new IllegalArgumentException("options must be a multiple of 4 bytes, at most 40, got "
                    + options.length);
        }
    }

    /** A header without options whose checksum {@link Ipv4Codec#encodeHeader} will compute. */
    public static Ipv4Header of(int tos, int totalLength, int identification, boolean dontFragment, int ttl,
                                int protocol, int source, int destination) {
        return new Ipv4Header(tos, totalLength, identification, dontFragment, false, 0, ttl, protocol, 0, source,
                destination, null);
    }

    /** Header length in bytes: 20 plus the options. */
    public int headerLength() {
        return MIN_LENGTH + options.length;
    }

    /** Value of the IHL field: header length in 32-bit words. */
    public int ihl() {
        return headerLength() / 4;
    }

    /** Whether this is a fragment of a larger datagram (MF set or a nonzero offset). */
    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    /** Option bytes (a copy). */
    @Override
    public byte[] options() {
        return options.clone();
    }

    /** Number of option bytes. */
    public int optionsLength() {
        return options.length;
    }

    /** This header with another total length. */
    public Ipv4Header withTotalLength(int newTotalLength) {
        return new Ipv4Header(tos, newTotalLength, identification, dontFragment, moreFragments, fragmentOffset, ttl,
                protocol, checksum, source, destination, options);
    }

    /** This header with another checksum field. */
    public Ipv4Header withChecksum(int newChecksum) {
        return new Ipv4Header(tos, totalLength, identification, dontFragment, moreFragments, fragmentOffset, ttl,
                protocol, newChecksum, source, destination, options);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Header h && tos == h.tos && totalLength == h.totalLength
                && identification == h.identification && dontFragment == h.dontFragment
                && moreFragments == h.moreFragments && fragmentOffset == h.fragmentOffset && ttl == h.ttl
                && protocol == h.protocol && checksum == h.checksum && source == h.source
                && destination == h.destination && Arrays.equals(options, h.options);
    }

    @Override
    public int hashCode() {
        int h = tos;
        h = 31 * h + totalLength;
        h = 31 * h + identification;
        h = 31 * h + (dontFragment ? 1 : 0);
        h = 31 * h + (moreFragments ? 1 : 0);
        h = 31 * h + fragmentOffset;
        h = 31 * h + ttl;
        h = 31 * h + protocol;
        h = 31 * h + checksum;
        h = 31 * h + source;
        h = 31 * h + destination;
        return 31 * h + Arrays.hashCode(options);
    }

    @Override
    public String toString() {
        return "Ipv4Header[" + Ipv4Address.format(source) + " > " + Ipv4Address.format(destination) + ", "
                + IpProtocol.name(protocol) + ", tos " + tos + ", ttl " + ttl + ", id " + identification
                + ", len " + totalLength + (dontFragment ? ", DF" : "") + (moreFragments ? ", MF" : "")
                + ", off " + fragmentOffset + ", sum " + String.format("0x%04x", checksum)
                + (options.length > 0 ? ", " + options.length + " option bytes" : "") + "]";
    }
}
