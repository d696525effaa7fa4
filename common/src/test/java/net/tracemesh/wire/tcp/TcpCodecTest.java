package net.tracemesh.wire.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import net.tracemesh.wire.Captures;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Packet;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TcpCodecTest {
    private static final int SRC = Ipv4Address.parse("198.18.1.2");
    private static final int DST = Ipv4Address.parse("198.18.2.2");
    /** MSS 560, SACK permitted, timestamps, NOP, window scale 10: what Linux put in the captured SYNs. */
    private static final String SYN_OPTIONS_PREFIX = "02040230" + "0402" + "080a";

    private static void assertMalformed(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MalformedPacketException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void roundTrips() {
        Random random = new Random(31);
        for (int i = 0; i < 1000; i++) {
            byte[] options = new byte[4 * random.nextInt(11)];
            random.nextBytes(options);
            TcpHeader h = new TcpHeader(random.nextInt(65536), random.nextInt(65536), random.nextLong() >>> 32,
                    random.nextLong() >>> 32, random.nextInt(256), random.nextInt(65536), 0, random.nextInt(65536),
                    options);
            byte[] payload = new byte[random.nextInt(50)];
            random.nextBytes(payload);
            byte[] bytes = TcpCodec.encode(SRC, DST, h, payload);
            TcpSegment s = TcpCodec.decode(bytes, 0, bytes.length);
            assertThat(s.header().checksum()).isEqualTo((bytes[16] & 0xFF) << 8 | (bytes[17] & 0xFF));
            assertThat(s.header()).isEqualTo(new TcpHeader(h.sourcePort(), h.destinationPort(), h.sequence(),
                    h.acknowledgement(), h.flags(), h.window(), s.header().checksum(), h.urgentPointer(), options));
            assertThat(s.payload()).isEqualTo(payload);
            assertThat(TcpCodec.checksumValid(SRC, DST, bytes, 0, bytes.length)).isTrue();
            assertThat(TcpCodec.checksumValid(DST, SRC + 1, bytes, 0, bytes.length)).isFalse();
        }
    }

    @Test
    void decodesCapturedSynAndSynAck() {
        Ipv4Packet synIp = Captures.ipv4("tcp-syn-ack", 0);
        byte[] syn = synIp.payload();
        TcpHeader s = TcpCodec.decode(syn, 0, syn.length).header();
        assertThat(s.sourcePort()).isEqualTo(40676);
        assertThat(s.destinationPort()).isEqualTo(80);
        assertThat(s.sequence()).isEqualTo(681300303L);
        assertThat(s.acknowledgement()).isZero();
        assertThat(s.flags()).isEqualTo(TcpFlags.SYN);
        assertThat(s.window()).isEqualTo(65520);
        assertThat(s.checksum()).isEqualTo(0x9CB3);
        assertThat(s.headerLength()).isEqualTo(40);
        assertThat(HexFormat.of().formatHex(s.options())).startsWith(SYN_OPTIONS_PREFIX).endsWith("0103030a");
        assertThat(TcpCodec.checksumValid(SRC, DST, syn, 0, syn.length)).isTrue();

        Ipv4Packet synAckIp = Captures.ipv4("tcp-syn-ack", 1);
        assertThat(synAckIp.header().source()).isEqualTo(Captures.TARGET);
        byte[] synAck = synAckIp.payload();
        TcpSegment sa = TcpCodec.decode(synAck, 0, synAck.length);
        TcpHeader h = sa.header();
        assertThat(h.sourcePort()).isEqualTo(80);
        assertThat(h.destinationPort()).isEqualTo(40676);
        assertThat(h.sequence()).isEqualTo(2949806345L);
        assertThat(h.acknowledgement()).isEqualTo(681300304L);
        assertThat(TcpFlags.format(h.flags())).isEqualTo("SA");
        assertThat(h.has(TcpFlags.SYN | TcpFlags.ACK)).isTrue();
        assertThat(h.window()).isEqualTo(65212);
        assertThat(h.checksum()).isEqualTo(0xC623);
        assertThat(h.urgentPointer()).isZero();
        assertThat(HexFormat.of().formatHex(h.options())).startsWith(SYN_OPTIONS_PREFIX).endsWith("0103030a");
        assertThat(sa.payloadLength()).isZero();
        assertThat(TcpCodec.checksumValid(DST, SRC, synAck, 0, synAck.length)).isTrue();
        // re-encoding gives the captured bytes back
        assertThat(TcpCodec.encode(DST, SRC, h, null)).isEqualTo(synAck);
    }

    @Test
    void decodesCapturedReset() {
        Ipv4Packet ip = Captures.ipv4("tcp-rst", 1);
        assertThat(ip.header().ttl()).isEqualTo(63);
        assertThat(ip.header().dontFragment()).isTrue();
        byte[] rst = ip.payload();
        TcpHeader h = TcpCodec.decode(rst, 0, rst.length).header();
        assertThat(h.sourcePort()).isEqualTo(81);
        assertThat(h.destinationPort()).isEqualTo(59666);
        assertThat(h.sequence()).isZero();
        assertThat(h.acknowledgement()).isEqualTo(281105503L);
        assertThat(TcpFlags.format(h.flags())).isEqualTo("RA");
        assertThat(h.window()).isZero();
        assertThat(h.checksum()).isEqualTo(0xD223);
        assertThat(h.optionsLength()).isZero();
        assertThat(TcpCodec.checksumValid(DST, SRC, rst, 0, rst.length)).isTrue();
        rst[4] ^= 0x10;
        assertThat(TcpCodec.checksumValid(DST, SRC, rst, 0, rst.length)).isFalse();
        assertThat(ip.header().protocol()).isEqualTo(IpProtocol.TCP);
    }

    @Test
    void rejectsTruncatedBadOffsetAndOversizedInput() {
        TcpHeader h = new TcpHeader(1, 2, 3, 4, TcpFlags.SYN, 5, 0, 0, new byte[12]);
        byte[] bytes = TcpCodec.encode(SRC, DST, h, new byte[3]);
        for (int len = 0; len < 32; len++) {
            int n = len;
            assertMalformed(() -> TcpCodec.decode(bytes, 0, n), Reason.TRUNCATED);
            assertThat(TcpCodec.checksumValid(SRC, DST, bytes, 0, n)).isFalse();
        }
        assertThat(TcpCodec.decode(bytes, 0, 32).payloadLength()).isZero();
        for (int offset = 0; offset < 5; offset++) {
            byte[] bad = bytes.clone();
            bad[12] = (byte) (offset << 4);
            assertMalformed(() -> TcpCodec.decode(bad, 0, bad.length), Reason.BAD_HEADER_LENGTH);
        }
        byte[] past = bytes.clone();
        past[12] = (byte) 0xF0;
        assertMalformed(() -> TcpCodec.decode(past, 0, past.length), Reason.TRUNCATED);
        byte[] huge = Arrays.copyOf(bytes, 65516);
        assertMalformed(() -> TcpCodec.decode(huge, 0, huge.length), Reason.OVERSIZED);
        assertMalformed(() -> TcpCodec.decode(bytes, 1, bytes.length), Reason.TRUNCATED);
        assertThatThrownBy(() -> TcpCodec.encode(SRC, DST, h, new byte[65515 - 31]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headerValidatesItsFields() {
        assertThatThrownBy(() -> new TcpHeader(65536, 0, 0, 0, 0, 0, 0, 0, null)).hasMessageContaining("sourcePort");
        assertThatThrownBy(() -> new TcpHeader(0, 0, 1L << 32, 0, 0, 0, 0, 0, null)).hasMessageContaining("sequence");
        assertThatThrownBy(() -> new TcpHeader(0, 0, 0, -1, 0, 0, 0, 0, null)).hasMessageContaining("acknowledgement");
        assertThatThrownBy(() -> new TcpHeader(0, 0, 0, 0, 256, 0, 0, 0, null)).hasMessageContaining("flags");
        assertThatThrownBy(() -> new TcpHeader(0, 0, 0, 0, 0, 0, 0, 0, new byte[5])).hasMessageContaining("options");
        assertThatThrownBy(() -> new TcpHeader(0, 0, 0, 0, 0, 0, 0, 0, new byte[44])).hasMessageContaining("options");
        TcpHeader h = new TcpHeader(1, 2, 0xFFFF_FFFFL, 0, TcpFlags.RST | TcpFlags.ACK, 0, 0, 0, null);
        assertThat(h.toString()).contains("[RA]", "4294967295");
    }
}
