package net.tracemesh.collector.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.wire.Ipv4Address;

/**
 * The compact binary form in which a trace's hop records are kept in the store ({@code applied_traces.hops}): about
 * 12 bytes per hop record instead of a row each.
 *
 * <p>Layout: a format byte ({@link #FORMAT}), the number of hops as a varint, then per hop: TTL, probe and reply TTL
 * (one byte each), the address (4 bytes, network order), the RTT in nanoseconds (unsigned varint), a flags byte, and
 * what the flags announce: ICMP type and, if present, code (a byte each) or the TCP flags (length byte and ASCII), the next-hop
 * MTU (2 bytes), the MPLS stack (entry count, then per entry 3 bytes of label, TC and S, and a TTL byte).
 *
 * <p>RTTs are kept to the nanosecond: a decoded RTT is the encoded one rounded to the nearest nanosecond, which is
 * finer than any capture clock. Everything else round-trips exactly.
 */
public final class HopsCodec {
    /** The first byte of every encoding, so the layout can change later without guessing. */
    public static final int FORMAT = 1;
    private static final int FLAG_ICMP = 1;
    private static final int FLAG_MTU = 2;
    private static final int FLAG_MPLS = 4;
    private static final int FLAG_ICMP_CODE = 8;
    private static final int KNOWN_FLAGS = FLAG_ICMP | FLAG_MTU | FLAG_MPLS | FLAG_ICMP_CODE;
    private static final double NANOS_PER_MS = 1_000_000.0;
    private static final int MAX_HOPS = 1 << 20;

    private HopsCodec() {
    }

    /** The encoding of {@code hops}, in their order. */
    public static byte[] encode(List<HopRecord> hops) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + hops.size() * 14);
        out.write(FORMAT);
        StoredBytes.writeVarint(out, hops.size());
        for (HopRecord h : hops) {
            out.write(h.ttl());
            out.write(h.probe());
            out.write(h.replyTtl());
            int a = Ipv4Address.parse(h.addr());
            out.write(a >>> 24);
            out.write(a >>> 16);
            out.write(a >>> 8);
            out.write(a);
            StoredBytes.writeVarint(out, Math.round(h.rttMs() * NANOS_PER_MS));
            int flags = (h.icmpType() != null ? FLAG_ICMP : 0) | (h.mtu() != null ? FLAG_MTU : 0)
                    | (h.mpls() != null ? FLAG_MPLS : 0) | (h.icmpCode() != null ? FLAG_ICMP_CODE : 0);
            out.write(flags);
            if (h.icmpType() != null) {
                out.write(h.icmpType());
                if (h.icmpCode() != null) {
                    out.write(h.icmpCode());
                }
            } else {
                byte[] tcp = h.tcpFlags().getBytes(StandardCharsets.US_ASCII);
                if (tcp.length > 255 || !tcpFlags(tcp, -1).equals(h.tcpFlags())) {
                    throw new IllegalArgumentException("TCP flags are up to 255 printable ASCII characters, got "
                            + h.tcpFlags());
                }
                out.write(tcp.length);
                out.write(tcp, 0, tcp.length);
            }
            if (h.mtu() != null) {
                out.write(h.mtu() >>> 8);
                out.write(h.mtu());
            }
            if (h.mpls() != null) {
                if (h.mpls().size() > 255) {
                    throw new IllegalArgumentException("an MPLS stack of more than 255 entries");
                }
                out.write(h.mpls().size());
                for (MplsLabel l : h.mpls()) {
                    int word = l.label() << 4 | l.tc() << 1 | (l.s() ? 1 : 0);
                    out.write(word >>> 16);
                    out.write(word >>> 8);
                    out.write(word);
                    out.write(l.ttl());
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * The hop records of an encoding.
     *
     * @throws IllegalArgumentException if the bytes are not an encoding of this format (truncated, trailing bytes,
     *                                  unknown format or flags, or a field out of range)
     */
    public static List<HopRecord> decode(byte[] bytes) {
        StoredBytes.Reader in = StoredBytes.Reader.open(bytes, "hop", FORMAT);
        long count = in.varint();
        if (count > MAX_HOPS || count > bytes.length) {
            throw new IllegalArgumentException("implausible hop count " + count + " in " + bytes.length + " bytes");
        }
        List<HopRecord> hops = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int ttl = in.u8();
            int probe = in.u8();
            int replyTtl = in.u8();
            int addr = in.u8() << 24 | in.u8() << 16 | in.u8() << 8 | in.u8();
            double rtt = in.varint() / NANOS_PER_MS;
            int flags = in.u8();
            if ((flags & ~KNOWN_FLAGS) != 0) {
                throw new IllegalArgumentException("unknown hop flags " + flags + " at hop " + i);
            }
            if ((flags & (FLAG_ICMP | FLAG_ICMP_CODE)) == FLAG_ICMP_CODE) {
                throw new IllegalArgumentException("an ICMP code without an ICMP type at hop " + i);
            }
            Integer type = null;
            Integer code = null;
            String tcp = null;
            if ((flags & FLAG_ICMP) != 0) {
                type = in.u8();
                code = (flags & FLAG_ICMP_CODE) != 0 ? in.u8() : null;
            } else {
                tcp = tcpFlags(in.bytes(in.u8()), i);
            }
            Integer mtu = (flags & FLAG_MTU) != 0 ? in.u8() << 8 | in.u8() : null;
            List<MplsLabel> mpls = null;
            if ((flags & FLAG_MPLS) != 0) {
                int n = in.u8();
                mpls = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    int word = in.u8() << 16 | in.u8() << 8 | in.u8();
                    mpls.add(new MplsLabel(word >>> 4, word >>> 1 & 7, (word & 1) != 0, in.u8()));
                }
            }
            hops.add(new HopRecord(ttl, Ipv4Address.format(addr), rtt, type, code, replyTtl, probe, mtu, mpls, tcp));
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the last hop");
        }
        return hops;
    }

    /** TCP flags from their bytes, which must be printable ASCII. */
    private static String tcpFlags(byte[] b, int hop) {
        for (byte c : b) {
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("TCP flags with a byte that is not printable ASCII at hop " + hop);
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }
}
