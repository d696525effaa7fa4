package net.tracemesh.agent.probe;

import java.util.Arrays;
import net.tracemesh.agent.capture.LinkType;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.ethernet.EtherType;
import net.tracemesh.wire.ethernet.EthernetCodec;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.tcp.TcpFlags;

/**
 * Writes probe frames into a reusable buffer: the link header once per egress, then per probe only the
 * IP header and the transport header plus four identity bytes are patched. The rest of the payload is
 * zero and stays zero (nothing but these writers touches the buffer), so checksums need only cover the
 * patched bytes: a zero word adds nothing to a ones'-complement sum.
 *
 * <p>Payload layout of UDP and ICMP probes: word 0 compensates the checksum (Paris traceroute's technique,
 * so the checksum can be chosen), word 1 holds the probe's check.
 */
public final class ProbeFrames {
    public static final int IPV4_HEADER = 20;
    public static final int UDP_HEADER = 8;
    public static final int ICMP_HEADER = 8;
    public static final int TCP_HEADER = 20;
    /** Compensation word and check word at the start of UDP and ICMP payloads. */
    public static final int IDENTITY_BYTES = 4;
    /** The most bytes after the link header any writer patches. */
    private static final int PATCHED_EXTENT = IPV4_HEADER + TCP_HEADER + IDENTITY_BYTES;
    /** The longest link header written (Ethernet with one VLAN tag). */
    private static final int MAX_LINK_HEADER = 18;
    private static final int TCP_WINDOW = 64_240;

    private ProbeFrames() {
    }

    /** Writes the link-layer header for probes leaving through an egress; returns its length. */
    public static int writeLinkHeader(byte[] buf, LinkType type, byte[] destinationMac, byte[] sourceMac) {
        if (type == LinkType.RAW_IP) {
            return 0;
        }
        return EthernetCodec.encode(destinationMac, sourceMac, EtherType.IPV4, buf, 0);
    }

    /** A UDP probe whose checksum is forced to {@code wantedChecksum}; returns the frame length. */
    public static int udp(byte[] buf, int linkLength, int src, int dst, int ttl, boolean dontFragment, int ipId,
                          int sourcePort, int destinationPort, int wantedChecksum, int check, int size) {
        requireSize(size, IPV4_HEADER + UDP_HEADER + IDENTITY_BYTES, buf.length - linkLength);
        int ip = linkLength;
        clearPatchedArea(buf, ip);
        writeIpv4(buf, ip, size, ipId, dontFragment, ttl, IpProtocol.UDP, src, dst);
        int udp = ip + IPV4_HEADER;
        int udpLength = size - IPV4_HEADER;
        putShort(buf, udp, sourcePort);
        putShort(buf, udp + 2, destinationPort);
        putShort(buf, udp + 4, udpLength);
        putShort(buf, udp + 8 + 2, check);
        int sum = InternetChecksum.pseudoHeaderSum(src, dst, IpProtocol.UDP, udpLength);
        sum = InternetChecksum.sum(sum, buf, udp, UDP_HEADER + IDENTITY_BYTES);
        int compensation = InternetChecksum.compensatingWord(InternetChecksum.finish(sum), wantedChecksum);
        putShort(buf, udp + 8, compensation);
        putShort(buf, udp + 6, wantedChecksum);
        return linkLength + size;
    }

    /**
     * An ICMP echo request. With {@code wantedChecksum} in 1..0xFFFE the checksum is forced to it (Paris);
     * with -1 it is the natural checksum and the compensation word stays zero.
     */
    public static int icmpEcho(byte[] buf, int linkLength, int src, int dst, int ttl, boolean dontFragment,
                               int ipId, int identifier, int sequence, int wantedChecksum, int check, int size) {
        requireSize(size, IPV4_HEADER + ICMP_HEADER + IDENTITY_BYTES, buf.length - linkLength);
        int ip = linkLength;
        clearPatchedArea(buf, ip);
        writeIpv4(buf, ip, size, ipId, dontFragment, ttl, IpProtocol.ICMP, src, dst);
        int icmp = ip + IPV4_HEADER;
        buf[icmp] = (byte) IcmpType.ECHO_REQUEST;
        buf[icmp + 1] = 0;
        putShort(buf, icmp + 4, identifier);
        putShort(buf, icmp + 6, sequence);
        putShort(buf, icmp + 8 + 2, check);
        int natural = InternetChecksum.checksum(buf, icmp, ICMP_HEADER + IDENTITY_BYTES);
        if (wantedChecksum < 0) {
            putShort(buf, icmp + 2, natural);
        } else {
            putShort(buf, icmp + 8, InternetChecksum.compensatingWord(natural, wantedChecksum));
            putShort(buf, icmp + 2, wantedChecksum);
        }
        return linkLength + size;
    }

    /** A TCP SYN (zero payload beyond the header when {@code size} is larger than the headers). */
    public static int tcpSyn(byte[] buf, int linkLength, int src, int dst, int ttl, boolean dontFragment, int ipId,
                             int sourcePort, int destinationPort, long sequence, int size) {
        requireSize(size, IPV4_HEADER + TCP_HEADER, buf.length - linkLength);
        int ip = linkLength;
        clearPatchedArea(buf, ip);
        writeIpv4(buf, ip, size, ipId, dontFragment, ttl, IpProtocol.TCP, src, dst);
        int tcp = ip + IPV4_HEADER;
        int tcpLength = size - IPV4_HEADER;
        putShort(buf, tcp, sourcePort);
        putShort(buf, tcp + 2, destinationPort);
        putInt(buf, tcp + 4, (int) sequence);
        putInt(buf, tcp + 8, 0);
        buf[tcp + 12] = (byte) ((TCP_HEADER / 4) << 4);
        buf[tcp + 13] = (byte) TcpFlags.SYN;
        putShort(buf, tcp + 14, TCP_WINDOW);
        int sum = InternetChecksum.pseudoHeaderSum(src, dst, IpProtocol.TCP, tcpLength);
        sum = InternetChecksum.sum(sum, buf, tcp, TCP_HEADER);
        putShort(buf, tcp + 16, InternetChecksum.finish(sum));
        return linkLength + size;
    }

    private static void writeIpv4(byte[] buf, int off, int totalLength, int id, boolean dontFragment, int ttl,
                                  int protocol, int src, int dst) {
        buf[off] = 0x45;
        buf[off + 1] = 0;
        putShort(buf, off + 2, totalLength);
        putShort(buf, off + 4, id);
        putShort(buf, off + 6, dontFragment ? 0x4000 : 0);
        buf[off + 8] = (byte) ttl;
        buf[off + 9] = (byte) protocol;
        putShort(buf, off + 10, 0);
        Ipv4Address.write(buf, off + 12, src);
        Ipv4Address.write(buf, off + 16, dst);
        putShort(buf, off + 10, InternetChecksum.checksum(buf, off, IPV4_HEADER));
    }

    /**
     * Zeroes every byte any writer may have patched, for any link header length, so a raw-IP probe written
     * after an Ethernet one (or the other way round) still finds a zero payload.
     */
    private static void clearPatchedArea(byte[] buf, int ip) {
        Arrays.fill(buf, ip, Math.min(buf.length, Math.max(ip, MAX_LINK_HEADER) + PATCHED_EXTENT), (byte) 0);
    }

    private static void requireSize(int size, int minimum, int room) {
        if (size < minimum || size > room) {
            throw new IllegalArgumentException("probe size must be " + minimum + ".." + room + " bytes, got " + size);
        }
    }

    static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

}
