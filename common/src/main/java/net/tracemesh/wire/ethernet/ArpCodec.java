package net.tracemesh.wire.ethernet;

import java.util.Arrays;
import java.util.Objects;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;

/** ARP (RFC 826) for IPv4 addresses over Ethernet: hardware type 1, protocol type 0x0800, lengths 6 and 4. */
public final class ArpCodec {
    /** Length of an IPv4-over-Ethernet ARP packet. */
    public static final int LENGTH = 28;
    /** Hardware type of Ethernet. */
    public static final int HARDWARE_ETHERNET = 1;
    private static final int IPV4_LENGTH = 4;

    private static final int HTYPE = 0;
    private static final int PTYPE = 2;
    private static final int HLEN = 4;
    private static final int PLEN = 5;
    private static final int OPER = 6;
    private static final int SHA = 8;
    private static final int SPA = 14;
    private static final int THA = 18;
    private static final int TPA = 24;

    private ArpCodec() {
    }

    /**
     * Decodes the ARP packet in {@code b[off, off + len)}; bytes after the 28 ARP bytes (Ethernet padding) are
     * ignored.
     *
     * @throws MalformedPacketException if it is shorter than 28 bytes or not IPv4 over Ethernet
     */
    public static ArpPacket decode(byte[] b, int off, int len) {
        Bytes.checkRange(b, off, len);
        if (len < LENGTH) {
            throw new MalformedPacketException(Reason.TRUNCATED, "ARP packet shorter than 28 bytes");
        }
        if (Bytes.u16(b, off + HTYPE) != HARDWARE_ETHERNET || Bytes.u16(b, off + PTYPE) != EtherType.IPV4
                || Bytes.u8(b, off + HLEN) != MacAddress.LENGTH || Bytes.u8(b, off + PLEN) != IPV4_LENGTH) {
            throw new MalformedPacketException(Reason.BAD_FIELD, "ARP packet not for IPv4 over Ethernet");
        }
        return new ArpPacket(Bytes.u16(b, off + OPER),
                Arrays.copyOfRange(b, off + SHA, off + SHA + MacAddress.LENGTH),
                Ipv4Address.read(b, off + SPA),
                Arrays.copyOfRange(b, off + THA, off + THA + MacAddress.LENGTH),
                Ipv4Address.read(b, off + TPA));
    }

    /** Writes {@code p} at {@code out[off]} and returns its length, 28. */
    public static int encode(ArpPacket p, byte[] out, int off) {
        Objects.checkFromIndexSize(off, LENGTH, out.length);
        Bytes.put16(out, off + HTYPE, HARDWARE_ETHERNET);
        Bytes.put16(out, off + PTYPE, EtherType.IPV4);
        out[off + HLEN] = MacAddress.LENGTH;
        out[off + PLEN] = IPV4_LENGTH;
        Bytes.put16(out, off + OPER, p.operation());
        System.arraycopy(p.senderMac(), 0, out, off + SHA, MacAddress.LENGTH);
        Ipv4Address.write(out, off + SPA, p.senderIp());
        System.arraycopy(p.targetMac(), 0, out, off + THA, MacAddress.LENGTH);
        Ipv4Address.write(out, off + TPA, p.targetIp());
        return LENGTH;
    }

    /** {@code p} as a new 28-byte array. */
    public static byte[] encode(ArpPacket p) {
        byte[] out = new byte[LENGTH];
        encode(p, out, 0);
        return out;
    }
}
