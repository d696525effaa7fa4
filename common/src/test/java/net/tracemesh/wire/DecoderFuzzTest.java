package net.tracemesh.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import net.tracemesh.wire.ethernet.ArpCodec;
import net.tracemesh.wire.ethernet.ArpOperation;
import net.tracemesh.wire.ethernet.ArpPacket;
import net.tracemesh.wire.ethernet.EtherType;
import net.tracemesh.wire.ethernet.EthernetCodec;
import net.tracemesh.wire.ethernet.EthernetHeader;
import net.tracemesh.wire.ethernet.MacAddress;
import net.tracemesh.wire.icmp.IcmpCodec;
import net.tracemesh.wire.icmp.IcmpError;
import net.tracemesh.wire.icmp.IcmpExtensionClass;
import net.tracemesh.wire.icmp.IcmpExtensionCodec;
import net.tracemesh.wire.icmp.IcmpExtensionObject;
import net.tracemesh.wire.icmp.IcmpMessage;
import net.tracemesh.wire.icmp.IcmpTimestamp;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.MplsLabelStackEntry;
import net.tracemesh.wire.icmp.QuotedDatagram;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Header;
import net.tracemesh.wire.ipv4.Ipv4Packet;
import net.tracemesh.wire.tcp.TcpCodec;
import net.tracemesh.wire.tcp.TcpFlags;
import net.tracemesh.wire.tcp.TcpHeader;
import net.tracemesh.wire.udp.UdpCodec;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated packets (real captures and round-tripped encodings, with bit flips, byte changes,
 * lying length fields, truncation and extension, often with checksums fixed up so the mutation reaches the inner
 * layers) through every decoder. Nothing may escape but a decoded message or {@link MalformedPacketException}.
 */
class DecoderFuzzTest {
    private static final long SEED = 0x7EAC_E5E5L;
    private static final int ROUNDS = 150_000;
    private static final int[] INTERESTING_16 = {0, 1, 4, 7, 8, 19, 20, 27, 28, 0x7F, 0x80, 0xFF, 0x100, 0x5DC,
            0x7FFF, 0x8000, 0xFFFE, 0xFFFF};

    private final Random random = new Random(SEED);
    private long decodedMessages;
    private long rejected;
    private long withExtensions;

    @Test
    void nothingButMalformedPacketExceptionEscapes() {
        List<byte[]> frames = seedFrames();
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input;
            if (round % 10 == 0) {
                input = new byte[random.nextInt(120)];
                random.nextBytes(input);
            } else {
                input = mutate(frames.get(random.nextInt(frames.size())));
            }
            try {
                decodeFrame(input);
                decodeAnywhere(input);
            } catch (MalformedPacketException expected) {
                rejected++;
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("round " + round + " input " + HexFormat.of().formatHex(input), e);
            }
        }
        // the mutations must reach the decoders' success paths as well as their failures
        assertThat(decodedMessages).isGreaterThan(ROUNDS / 4);
        assertThat(rejected).isGreaterThan(ROUNDS / 10);
        assertThat(withExtensions).isGreaterThan(ROUNDS / 100);
    }

    /** The Ethernet frames the mutations start from: every capture, and encodings of every kind of packet. */
    private static List<byte[]> seedFrames() {
        List<byte[]> frames = new ArrayList<>();
        for (String name : Captures.NAMES) {
            frames.addAll(Captures.frames(name));
        }
        int src = Ipv4Address.parse("198.18.1.2");
        int dst = Ipv4Address.parse("198.18.9.2");
        byte[] mac = MacAddress.parse("02:00:5e:10:00:01");
        Ipv4Header probe = new Ipv4Header(0, 60, 0x4242, false, false, 0, 1, IpProtocol.UDP, 0x1111, src, dst, null);
        byte[] udp = UdpCodec.encode(src, dst, 40000, 33435, new byte[32]);
        byte[] quote = Arrays.copyOf(udp, 108);
        IcmpExtensionObject mpls = IcmpExtensionCodec.encodeMplsLabelStack(List.of(
                new MplsLabelStackEntry(24001, 5, false, 254), new MplsLabelStackEntry(3, 0, true, 1)));
        IcmpExtensionObject ifInfo = new IcmpExtensionObject(IcmpExtensionClass.INTERFACE_INFORMATION, 0x0C,
                new byte[] {0, 0, 0, 2, 0, 1, 0, 0, (byte) 198, 18, 2, 1});
        List<IcmpMessage> icmp = List.of(
                IcmpError.timeExceeded(0, new QuotedDatagram(probe, quote)).withExtensions(List.of(mpls, ifInfo)),
                IcmpError.fragmentationNeeded(1400, new QuotedDatagram(probe, quote)).withExtensions(List.of(mpls)),
                new IcmpError(IcmpType.PARAMETER_PROBLEM, 0, 0, 21, 0, new QuotedDatagram(probe, udp), null),
                new IcmpError(IcmpType.REDIRECT, 1, 0, 0, src + 1, new QuotedDatagram(probe, udp), null),
                new IcmpTimestamp(IcmpType.TIMESTAMP_REPLY, 0, 1, 2, 3, 4, 5));
        for (IcmpMessage m : icmp) {
            frames.add(frame(mac, Ipv4Codec.encode(Ipv4Header.of(0xC0, 0, 7, false, 64, IpProtocol.ICMP, dst, src),
                    IcmpCodec.encode(m))));
        }
        // legacy (non RFC 4884) layout: the same message with its length attribute cleared
        byte[] legacy = IcmpCodec.encode(icmp.get(0));
        legacy[5] = 0;
        fixIcmpChecksum(legacy);
        frames.add(frame(mac, Ipv4Codec.encode(Ipv4Header.of(0, 0, 8, false, 64, IpProtocol.ICMP, dst, src), legacy)));
        TcpHeader syn = new TcpHeader(40001, 80, 12345, 0, TcpFlags.SYN, 65535, 0, 0,
                HexFormat.of().parseHex("020405b40402080a0000000100000000"));
        frames.add(frame(mac, Ipv4Codec.encode(new Ipv4Header(0, 0, 9, true, false, 0, 64, IpProtocol.TCP, 0, src, dst,
                new byte[] {1, 1, 1, 0}), TcpCodec.encode(src, dst, syn, new byte[5]))));
        byte[] arp = new byte[42];
        EthernetCodec.encode(mac, mac, EtherType.ARP, arp, 0);
        ArpCodec.encode(new ArpPacket(ArpOperation.REPLY, mac, src, mac, dst), arp, 14);
        frames.add(arp);
        byte[] tagged = frame(mac, Ipv4Codec.encode(probe, udp));
        byte[] withTag = new byte[tagged.length + 4];
        System.arraycopy(tagged, 0, withTag, 0, 12);
        Bytes.put16(withTag, 12, EtherType.VLAN);
        Bytes.put16(withTag, 14, 100);
        System.arraycopy(tagged, 12, withTag, 16, tagged.length - 12);
        frames.add(withTag);
        return frames;
    }

    private static byte[] frame(byte[] mac, byte[] ipv4) {
        byte[] frame = new byte[14 + ipv4.length];
        EthernetCodec.encode(mac, mac, EtherType.IPV4, frame, 0);
        System.arraycopy(ipv4, 0, frame, 14, ipv4.length);
        return frame;
    }

    private byte[] mutate(byte[] seed) {
        byte[] b = seed.clone();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations && b.length > 0; i++) {
            switch (random.nextInt(8)) {
                case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 3 -> {
                    byte[] longer = Arrays.copyOf(b, b.length + 1 + random.nextInt(64));
                    for (int j = b.length; j < longer.length; j++) {
                        longer[j] = (byte) random.nextInt(256);
                    }
                    b = longer;
                }
                case 4 -> {
                    if (b.length >= 2) {
                        Bytes.put16(b, random.nextInt(b.length - 1), INTERESTING_16[random.nextInt(
                                INTERESTING_16.length)]);
                    }
                }
                case 5 -> b[random.nextInt(b.length)] = (byte) (random.nextBoolean() ? 0 : 0xFF);
                case 6 -> {
                    // a field deep inside: the quoted header, the RFC 4884 length or the extension area
                    int at = 14 + 20 + new int[] {1, 5, 8, 9, 16, 136, 137, 140, 144}[random.nextInt(9)];
                    if (at < b.length) {
                        b[at] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    int at = random.nextInt(b.length);
                    int len = random.nextInt(b.length - at + 1);
                    Arrays.fill(b, at, at + len, (byte) 0);
                }
            }
        }
        if (random.nextInt(3) != 0) {
            fixChecksums(b);
        }
        return b;
    }

    /** Repairs the IPv4 header and ICMP checksums where the layout allows, so the inner layers get tested. */
    private static void fixChecksums(byte[] frame) {
        if (frame.length < 14 + 20 || Bytes.u16(frame, 12) != EtherType.IPV4) {
            return;
        }
        int ip = 14;
        int headerLength = (frame[ip] & 0xF) * 4;
        if (headerLength < 20 || ip + headerLength > frame.length) {
            return;
        }
        Bytes.put16(frame, ip + 10, 0);
        Bytes.put16(frame, ip + 10, InternetChecksum.checksum(frame, ip, headerLength));
        int total = Math.min(Bytes.u16(frame, ip + 2), frame.length - ip);
        int transport = ip + headerLength;
        int length = total - headerLength;
        if (length < 8) {
            return;
        }
        if ((frame[ip + 9] & 0xFF) == IpProtocol.ICMP) {
            Bytes.put16(frame, transport + 2, 0);
            Bytes.put16(frame, transport + 2, InternetChecksum.checksum(frame, transport, length));
        }
    }

    /** The capture path: Ethernet, then ARP or IPv4, then the transport, then what an ICMP error quotes. */
    private void decodeFrame(byte[] frame) {
        EthernetHeader eth = EthernetCodec.decode(frame, 0, frame.length);
        int off = eth.headerLength();
        int len = frame.length - off;
        if (eth.etherType() == EtherType.ARP) {
            ArpCodec.decode(frame, off, len);
            decodedMessages++;
            return;
        }
        Ipv4Packet ip = Ipv4Codec.decode(frame, off, len);
        int ihl = ip.header().headerLength();
        int src = ip.header().source();
        int dst = ip.header().destination();
        byte[] payload = ip.payload();
        switch (ip.header().protocol()) {
            case IpProtocol.ICMP -> {
                IcmpMessage m = IcmpCodec.decode(frame, off + ihl, payload.length);
                decodedMessages++;
                checkReencoding(m);
                if (m instanceof IcmpError e) {
                    decodeQuote(e.quoted());
                    if (!e.mplsLabelStack().isEmpty() || !e.extensions().isEmpty()) {
                        withExtensions++;
                    }
                }
            }
            case IpProtocol.UDP -> {
                UdpCodec.checksumValid(src, dst, payload, 0, payload.length);
                UdpCodec.decode(payload, 0, payload.length);
                decodedMessages++;
            }
            case IpProtocol.TCP -> {
                TcpCodec.checksumValid(src, dst, payload, 0, payload.length);
                TcpCodec.decode(payload, 0, payload.length);
                decodedMessages++;
            }
            default -> decodedMessages++;
        }
        // re-encoding a decoded datagram gives the same header, apart from a recomputed checksum
        Ipv4Packet again = Ipv4Codec.decode(Ipv4Codec.encode(ip), 0, ihl + payload.length);
        assertThat(again.header().withChecksum(0)).isEqualTo(ip.header().withChecksum(0));
    }

    private void decodeQuote(QuotedDatagram quote) {
        byte[] transport = quote.transport();
        quote.sourcePort();
        quote.tcpSequence();
        quote.icmpSequence();
        try {
            switch (quote.header().protocol()) {
                case IpProtocol.ICMP -> IcmpCodec.decode(transport, 0, transport.length);
                case IpProtocol.UDP -> UdpCodec.decode(transport, 0, transport.length);
                case IpProtocol.TCP -> TcpCodec.decode(transport, 0, transport.length);
                default -> {
                }
            }
        } catch (MalformedPacketException expected) {
            // quotes are usually cut short: rejected like any other input
        }
    }

    private static void checkReencoding(IcmpMessage m) {
        byte[] bytes = IcmpCodec.encode(m);
        IcmpMessage again = IcmpCodec.decode(bytes, 0, bytes.length);
        assertThat(again.type()).isEqualTo(m.type());
        assertThat(again.code()).isEqualTo(m.code());
    }

    /** Every decoder on arbitrary ranges of the input, including ranges outside it. */
    private void decodeAnywhere(byte[] b) {
        int off = random.nextInt(b.length + 3) - 1;
        int len = random.nextInt(b.length + 3) - 1;
        if (random.nextInt(50) == 0) {
            len = random.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        }
        int decoder = random.nextInt(8);
        try {
            switch (decoder) {
                case 0 -> Ipv4Codec.decode(b, off, len);
                case 1 -> Ipv4Codec.decodeQuotedHeader(b, off, len);
                case 2 -> IcmpCodec.decode(b, off, len);
                case 3 -> UdpCodec.decode(b, off, len);
                case 4 -> TcpCodec.decode(b, off, len);
                case 5 -> ArpCodec.decode(b, off, len);
                case 6 -> IcmpExtensionCodec.decode(b, off, len);
                default -> EthernetCodec.decode(b, off, len);
            }
            UdpCodec.checksumValid(0, 0, b, off, len);
            TcpCodec.checksumValid(0, 0, b, off, len);
        } catch (MalformedPacketException expected) {
            rejected++;
        }
    }

    private static void fixIcmpChecksum(byte[] m) {
        Bytes.put16(m, 2, 0);
        Bytes.put16(m, 2, InternetChecksum.checksum(m, 0, m.length));
    }
}
