package net.tracemesh.wire.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Captures;
import net.tracemesh.wire.InternetChecksum;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.ipv4.Ipv4Packet;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class UdpCodecTest {
    private static final int SRC = Ipv4Address.parse("198.18.1.2");
    private static final int DST = Ipv4Address.parse("198.18.2.2");

    private static void assertMalformed(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MalformedPacketException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void roundTrips() {
        Random random = new Random(21);
        for (int i = 0; i < 1000; i++) {
            byte[] payload = new byte[random.nextInt(200)];
            random.nextBytes(payload);
            int sport = random.nextInt(65536);
            int dport = random.nextInt(65536);
            byte[] bytes = UdpCodec.encode(SRC, DST, sport, dport, payload);
            UdpDatagram d = UdpCodec.decode(bytes, 0, bytes.length);
            assertThat(d.header().sourcePort()).isEqualTo(sport);
            assertThat(d.header().destinationPort()).isEqualTo(dport);
            assertThat(d.header().length()).isEqualTo(8 + payload.length);
            assertThat(d.header().checksum()).isNotZero().isEqualTo(Bytes.u16(bytes, 6));
            assertThat(d.payload()).isEqualTo(payload);
            assertThat(UdpCodec.checksumValid(SRC, DST, bytes, 0, bytes.length)).isTrue();
            assertThat(UdpCodec.checksumValid(SRC, DST + 1, bytes, 0, bytes.length)).isFalse();
        }
    }

    @Test
    void computedZeroChecksumIsSentAsAllOnes() {
        byte[] bytes = UdpCodec.encode(SRC, DST, 1000, 2000, new byte[2]);
        // force the payload word so that the checksum computes to zero
        Bytes.put16(bytes, 6, 0);
        int sum = InternetChecksum.pseudoHeaderSum(SRC, DST, IpProtocol.UDP, bytes.length);
        int withZero = InternetChecksum.finish(InternetChecksum.sum(sum, bytes, 0, bytes.length));
        int word = InternetChecksum.compensatingWord(withZero, 0);
        byte[] again = UdpCodec.encode(SRC, DST, 1000, 2000, new byte[] {(byte) (word >>> 8), (byte) word});
        assertThat(Bytes.u16(again, 6)).isEqualTo(0xFFFF);
        assertThat(UdpCodec.checksumValid(SRC, DST, again, 0, again.length)).isTrue();
    }

    @Test
    void decodesCapturedTracerouteProbe() {
        Ipv4Packet ip = Captures.ipv4("time-exceeded-udp", 0);
        byte[] segment = ip.payload();
        UdpDatagram d = UdpCodec.decode(segment, 0, segment.length);
        assertThat(d.header()).isEqualTo(new UdpHeader(60764, 53, 40, 0x8DDE));
        assertThat(new String(d.payload(), StandardCharsets.US_ASCII)).isEqualTo("@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_");
        assertThat(UdpCodec.checksumValid(ip.header().source(), ip.header().destination(), segment, 0, 40)).isTrue();
        segment[20] ^= 1;
        assertThat(UdpCodec.checksumValid(ip.header().source(), ip.header().destination(), segment, 0, 40)).isFalse();
    }

    @Test
    void capturedDatagramWithoutChecksumIsValid() {
        Ipv4Packet ip = Captures.ipv4("parameter-problem", 0);
        byte[] segment = ip.payload();
        UdpDatagram d = UdpCodec.decode(segment, 0, segment.length);
        assertThat(d.header()).isEqualTo(new UdpHeader(33434, 33435, 12, 0));
        assertThat(new String(d.payload(), StandardCharsets.US_ASCII)).isEqualTo("tmcp");
        assertThat(UdpCodec.checksumValid(0, 0, segment, 0, 12)).isTrue();
    }

    @Test
    void payloadEndsAtTheLengthField() {
        byte[] bytes = Arrays.copyOf(UdpCodec.encode(SRC, DST, 1, 2, new byte[] {7, 7}), 30);
        assertThat(UdpCodec.decode(bytes, 0, bytes.length).payload()).containsExactly(7, 7);
    }

    @Test
    void rejectsTruncatedLyingAndOversizedInput() {
        byte[] bytes = UdpCodec.encode(SRC, DST, 1, 2, new byte[20]);
        for (int len = 0; len < bytes.length; len++) {
            int n = len;
            assertMalformed(() -> UdpCodec.decode(bytes, 0, n), Reason.TRUNCATED);
            assertThat(UdpCodec.checksumValid(SRC, DST, bytes, 0, n)).isFalse();
        }
        for (int length : new int[] {0, 7}) {
            byte[] bad = bytes.clone();
            Bytes.put16(bad, 4, length);
            assertMalformed(() -> UdpCodec.decode(bad, 0, bad.length), Reason.BAD_TOTAL_LENGTH);
        }
        byte[] lying = bytes.clone();
        Bytes.put16(lying, 4, 0xFFFF);
        assertMalformed(() -> UdpCodec.decode(lying, 0, lying.length), Reason.TRUNCATED);
        byte[] huge = Arrays.copyOf(bytes, 70_000);
        assertMalformed(() -> UdpCodec.decode(huge, 0, huge.length), Reason.OVERSIZED);
        assertMalformed(() -> UdpCodec.decode(bytes, 5, bytes.length), Reason.TRUNCATED);
        assertThat(UdpCodec.checksumValid(SRC, DST, bytes, 5, bytes.length)).isFalse();
        assertThat(UdpCodec.checksumValid(SRC, DST, null, 0, 8)).isFalse();
        assertThatThrownBy(() -> UdpCodec.encode(SRC, DST, 1, 2, new byte[65528]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UdpCodec.encode(SRC, DST, 65536, 2, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headerValidatesPorts() {
        assertThatThrownBy(() -> new UdpHeader(-1, 0, 8, 0)).hasMessageContaining("sourcePort");
        assertThatThrownBy(() -> new UdpHeader(0, 65536, 8, 0)).hasMessageContaining("destinationPort");
        assertThatThrownBy(() -> new UdpHeader(0, 0, 65536, 0)).hasMessageContaining("length");
        assertThatThrownBy(() -> new UdpHeader(0, 0, 8, 65536)).hasMessageContaining("checksum");
        byte[] payload = {1};
        UdpDatagram d = new UdpDatagram(new UdpHeader(1, 2, 9, 0), payload);
        payload[0] = 2;
        assertThat(d.payload()).containsExactly(1);
        assertThat(d).isEqualTo(new UdpDatagram(new UdpHeader(1, 2, 9, 0), new byte[] {1}));
    }
}
