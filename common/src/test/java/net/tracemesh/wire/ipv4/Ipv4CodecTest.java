package net.tracemesh.wire.ipv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Captures;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class Ipv4CodecTest {
    private static final int SRC = Ipv4Address.parse("198.18.1.2");
    private static final int DST = Ipv4Address.parse("198.18.2.2");
    /** Record route option: type 7, length 7, pointer 4, one empty slot; then end of options. */
    private static final byte[] RECORD_ROUTE = {7, 7, 4, 0, 0, 0, 0, 0};

    static void assertMalformed(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MalformedPacketException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static Ipv4Header header(byte[] options) {
        return new Ipv4Header(0x10, 0, 0xBEEF, false, true, 185, 3, IpProtocol.UDP, 0, SRC, DST, options);
    }

    @Test
    void roundTripsHeadersWithOptionsFlagsAndFragmentOffset() {
        Ipv4Header h = header(RECORD_ROUTE);
        byte[] payload = {1, 2, 3, 4, 5};
        byte[] bytes = Ipv4Codec.encode(h, payload);
        assertThat(bytes).hasSize(28 + 5);
        assertThat(bytes[0]).isEqualTo((byte) 0x47);
        assertThat(Bytes.u16(bytes, 6)).isEqualTo(0x2000 | 185);
        assertThat(InternetChecksum.checksum(bytes, 0, 28)).isZero();
        Ipv4Packet p = Ipv4Codec.decode(bytes, 0, bytes.length);
        assertThat(p.header()).isEqualTo(h.withTotalLength(33).withChecksum(Bytes.u16(bytes, 10)));
        assertThat(p.header().headerLength()).isEqualTo(28);
        assertThat(p.header().ihl()).isEqualTo(7);
        assertThat(p.header().options()).isEqualTo(RECORD_ROUTE);
        assertThat(p.header().isFragment()).isTrue();
        assertThat(p.payload()).isEqualTo(payload);
        assertThat(Ipv4Codec.encode(p)).isEqualTo(bytes);
    }

    @Test
    void roundTripsRandomHeaders() {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] options = new byte[4 * random.nextInt(11)];
            random.nextBytes(options);
            Ipv4Header h = new Ipv4Header(random.nextInt(256), 0, random.nextInt(65536), random.nextBoolean(),
                    random.nextBoolean(), random.nextInt(8192), random.nextInt(256), random.nextInt(256), 0,
                    random.nextInt(), random.nextInt(), options);
            byte[] payload = new byte[random.nextInt(100)];
            random.nextBytes(payload);
            byte[] bytes = Ipv4Codec.encode(h, payload);
            Ipv4Packet p = Ipv4Codec.decode(bytes, 0, bytes.length);
            assertThat(p.header().withChecksum(0)).isEqualTo(h.withTotalLength(bytes.length));
            assertThat(p.payload()).isEqualTo(payload);
            assertThat(Ipv4Codec.decodeQuotedHeader(bytes, 0, h.headerLength())).isEqualTo(p.header());
        }
    }

    @Test
    void encodeHeaderComputesChecksumAndWriteHeaderKeepsIt() {
        Ipv4Header h = Ipv4Header.of(0, 60, 0xC2B7, false, 1, IpProtocol.UDP, SRC, DST).withChecksum(0x1111);
        byte[] out = new byte[24];
        assertThat(Ipv4Codec.encodeHeader(h, out, 2)).isEqualTo(20);
        // the header of the UDP probe captured in time-exceeded-udp.pcap
        assertThat(Arrays.copyOfRange(out, 2, 22))
                .isEqualTo(HexFormat.of().parseHex("4500003cc2b700000111" + "67d1" + "c6120102c6120202"));
        assertThat(Ipv4Codec.writeHeader(h, out, 2)).isEqualTo(20);
        assertThat(Bytes.u16(out, 12)).isEqualTo(0x1111);
    }

    @Test
    void decodesCapturedEchoRequestAndReply() {
        Ipv4Packet request = Captures.ipv4("echo", 0);
        Ipv4Header h = request.header();
        assertThat(h.source()).isEqualTo(Captures.PROBER);
        assertThat(h.destination()).isEqualTo(Captures.TARGET);
        assertThat(h.tos()).isZero();
        assertThat(h.totalLength()).isEqualTo(84);
        assertThat(h.identification()).isEqualTo(45956);
        assertThat(h.dontFragment()).isTrue();
        assertThat(h.moreFragments()).isFalse();
        assertThat(h.fragmentOffset()).isZero();
        assertThat(h.ttl()).isEqualTo(64);
        assertThat(h.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(h.optionsLength()).isZero();
        assertThat(request.payloadLength()).isEqualTo(64);

        Ipv4Header reply = Captures.ipv4("echo", 1).header();
        assertThat(reply.source()).isEqualTo(Captures.TARGET);
        assertThat(reply.destination()).isEqualTo(Captures.PROBER);
        assertThat(reply.identification()).isEqualTo(54216);
        assertThat(reply.dontFragment()).isFalse();
        assertThat(reply.ttl()).isEqualTo(63);
    }

    @Test
    void decodesCapturedHeaderWithRecordRouteOptions() {
        Ipv4Packet error = Captures.ipv4("time-exceeded-ip-options", 1);
        Ipv4Header h = error.header();
        assertThat(h.headerLength()).isEqualTo(60);
        assertThat(h.tos()).isEqualTo(0xC0);
        assertThat(h.totalLength()).isEqualTo(192);
        assertThat(h.identification()).isEqualTo(404);
        assertThat(h.checksum()).isEqualTo(0x8C45);
        byte[] options = h.options();
        assertThat(options[0]).isEqualTo((byte) 7);   // record route
        assertThat(options[1]).isEqualTo((byte) 39);  // length
        assertThat(options[2]).isEqualTo((byte) 16);  // pointer after three recorded addresses
        assertThat(Ipv4Address.read(options, 3)).isEqualTo(Captures.PROBER);
        assertThat(Ipv4Address.read(options, 7)).isEqualTo(Captures.ROUTER);
        assertThat(Ipv4Address.read(options, 11)).isEqualTo(Captures.ROUTER);
        assertThat(options[39]).isZero();              // end of options
        assertThat(error.payloadLength()).isEqualTo(132);
    }

    @Test
    void decodesCapturedFragmentationProbe() {
        Ipv4Header h = Captures.ipv4("frag-needed", 0).header();
        assertThat(h.totalLength()).isEqualTo(1028);
        assertThat(h.identification()).isZero();
        assertThat(h.dontFragment()).isTrue();
    }

    @Test
    void ignoresLinkLayerPaddingAfterTotalLength() {
        byte[] bytes = Ipv4Codec.encode(header(null), new byte[6]);
        byte[] padded = Arrays.copyOf(bytes, 46);
        Ipv4Packet p = Ipv4Codec.decode(padded, 0, padded.length);
        assertThat(p.payloadLength()).isEqualTo(6);
        assertThat(p.header().totalLength()).isEqualTo(26);
    }

    @Test
    void rejectsEveryTruncation() {
        byte[] bytes = Ipv4Codec.encode(header(RECORD_ROUTE), new byte[30]);
        for (int len = 0; len < bytes.length; len++) {
            int n = len;
            assertMalformed(() -> Ipv4Codec.decode(bytes, 0, n), Reason.TRUNCATED);
            if (n < 28) {
                assertMalformed(() -> Ipv4Codec.decodeQuotedHeader(bytes, 0, n), Reason.TRUNCATED);
            } else {
                assertThat(Ipv4Codec.decodeQuotedHeader(bytes, 0, n).totalLength()).isEqualTo(58);
            }
        }
    }

    @Test
    void rejectsBadChecksumsAndEveryHeaderBitFlip() {
        byte[] bytes = Ipv4Codec.encode(header(RECORD_ROUTE), new byte[8]);
        for (int bit = 0; bit < 28 * 8; bit++) {
            byte[] bad = bytes.clone();
            bad[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            assertThatThrownBy(() -> Ipv4Codec.decode(bad, 0, bad.length)).isInstanceOf(MalformedPacketException.class);
        }
        byte[] bad = bytes.clone();
        bad[11] ^= 1;
        assertMalformed(() -> Ipv4Codec.decode(bad, 0, bad.length), Reason.BAD_CHECKSUM);
        bad[11] ^= 1;
        bad[8] ^= 1;
        assertMalformed(() -> Ipv4Codec.decode(bad, 0, bad.length), Reason.BAD_CHECKSUM);
        // the lenient decoder accepts it
        assertThat(Ipv4Codec.decodeQuotedHeader(bad, 0, bad.length).ttl()).isEqualTo(2);
    }

    @Test
    void rejectsWrongVersionHeaderLengthAndTotalLength() {
        byte[] bytes = Ipv4Codec.encode(header(null), new byte[8]);
        byte[] v6 = withFixedChecksum(bytes, 0, 0x65);
        assertMalformed(() -> Ipv4Codec.decode(v6, 0, v6.length), Reason.BAD_VERSION);
        assertMalformed(() -> Ipv4Codec.decodeQuotedHeader(v6, 0, v6.length), Reason.BAD_VERSION);
        for (int ihl = 0; ihl < 5; ihl++) {
            byte[] shortIhl = withFixedChecksum(bytes, 0, 0x40 | ihl);
            assertMalformed(() -> Ipv4Codec.decode(shortIhl, 0, shortIhl.length), Reason.BAD_HEADER_LENGTH);
            assertMalformed(() -> Ipv4Codec.decodeQuotedHeader(shortIhl, 0, shortIhl.length),
                    Reason.BAD_HEADER_LENGTH);
        }
        byte[] longIhl = withFixedChecksum(Arrays.copyOf(bytes, bytes.length + 20), 0, 0x48);
        assertMalformed(() -> Ipv4Codec.decode(longIhl, 0, longIhl.length), Reason.BAD_TOTAL_LENGTH);
        byte[] ihlPastEnd = withFixedChecksum(bytes, 0, 0x4F);
        assertMalformed(() -> Ipv4Codec.decode(ihlPastEnd, 0, ihlPastEnd.length), Reason.TRUNCATED);
        assertMalformed(() -> Ipv4Codec.decodeQuotedHeader(ihlPastEnd, 0, ihlPastEnd.length), Reason.TRUNCATED);
        for (int total : new int[] {0, 1, 19}) {
            byte[] tooShort = withFixedChecksum16(bytes, 2, total);
            assertMalformed(() -> Ipv4Codec.decode(tooShort, 0, tooShort.length), Reason.BAD_TOTAL_LENGTH);
            assertThat(Ipv4Codec.decodeQuotedHeader(tooShort, 0, tooShort.length).totalLength()).isEqualTo(total);
        }
        for (int total : new int[] {29, 1500, 65535}) {
            byte[] lying = withFixedChecksum16(bytes, 2, total);
            assertMalformed(() -> Ipv4Codec.decode(lying, 0, lying.length), Reason.TRUNCATED);
            assertThat(Ipv4Codec.decodeQuotedHeader(lying, 0, lying.length).totalLength()).isEqualTo(total);
        }
    }

    @Test
    void rejectsOversizedInputAndRangesOutsideTheBuffer() {
        byte[] huge = new byte[70_000];
        byte[] bytes = Ipv4Codec.encode(header(null), new byte[8]);
        System.arraycopy(bytes, 0, huge, 0, bytes.length);
        assertMalformed(() -> Ipv4Codec.decode(huge, 0, 65536), Reason.OVERSIZED);
        assertThat(Ipv4Codec.decode(huge, 0, 65535).payloadLength()).isEqualTo(8);
        assertMalformed(() -> Ipv4Codec.decode(bytes, 1, bytes.length), Reason.TRUNCATED);
        assertMalformed(() -> Ipv4Codec.decode(bytes, -1, 20), Reason.TRUNCATED);
        assertMalformed(() -> Ipv4Codec.decode(bytes, 0, -20), Reason.TRUNCATED);
        assertMalformed(() -> Ipv4Codec.decode(null, 0, 0), Reason.TRUNCATED);
        assertMalformed(() -> Ipv4Codec.decodeQuotedHeader(bytes, Integer.MAX_VALUE, 20), Reason.TRUNCATED);
    }

    @Test
    void headerValidatesItsFields() {
        assertThatThrownBy(() -> new Ipv4Header(256, 0, 0, false, false, 0, 0, 0, 0, 0, 0, null))
                .hasMessageContaining("tos");
        assertThatThrownBy(() -> new Ipv4Header(0, 65536, 0, false, false, 0, 0, 0, 0, 0, 0, null))
                .hasMessageContaining("totalLength");
        assertThatThrownBy(() -> new Ipv4Header(0, 0, -1, false, false, 0, 0, 0, 0, 0, 0, null))
                .hasMessageContaining("identification");
        assertThatThrownBy(() -> new Ipv4Header(0, 0, 0, false, false, 8192, 0, 0, 0, 0, 0, null))
                .hasMessageContaining("fragmentOffset");
        assertThatThrownBy(() -> new Ipv4Header(0, 0, 0, false, false, 0, 256, 0, 0, 0, 0, null))
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> new Ipv4Header(0, 0, 0, false, false, 0, 0, 256, 0, 0, 0, null))
                .hasMessageContaining("protocol");
        assertThatThrownBy(() -> new Ipv4Header(0, 0, 0, false, false, 0, 0, 0, 0x10000, 0, 0, null))
                .hasMessageContaining("checksum");
        assertThatThrownBy(() -> header(new byte[3])).hasMessageContaining("options");
        assertThatThrownBy(() -> header(new byte[44])).hasMessageContaining("options");
        byte[] options = RECORD_ROUTE.clone();
        Ipv4Header h = header(options);
        options[0] = 0;
        assertThat(h.options()[0]).isEqualTo((byte) 7);
        h.options()[0] = 0;
        assertThat(h.options()[0]).isEqualTo((byte) 7);
        assertThat(h.toString()).contains("198.18.1.2 > 198.18.2.2", "UDP", "MF", "8 option bytes");
    }

    @Test
    void encodeRejectsDatagramsOver65535Bytes() {
        assertThatThrownBy(() -> Ipv4Codec.encode(header(null), new byte[65516]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Ipv4Codec.encode(header(null), new byte[65515])).hasSize(65535);
    }

    /** {@code bytes} with byte {@code at} set to {@code value} and the header checksum fixed up. */
    private static byte[] withFixedChecksum(byte[] bytes, int at, int value) {
        byte[] b = bytes.clone();
        b[at] = (byte) value;
        return fixChecksum(b);
    }

    private static byte[] withFixedChecksum16(byte[] bytes, int at, int value) {
        byte[] b = bytes.clone();
        Bytes.put16(b, at, value);
        return fixChecksum(b);
    }

    private static byte[] fixChecksum(byte[] b) {
        int headerLength = Math.max(20, Math.min((b[0] & 0xF) * 4, b.length));
        Bytes.put16(b, 10, 0);
        Bytes.put16(b, 10, InternetChecksum.checksum(b, 0, headerLength));
        return b;
    }
}
