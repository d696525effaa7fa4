package net.tracemesh.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import net.tracemesh.wire.icmp.IcmpCodec;
import net.tracemesh.wire.icmp.IcmpEcho;
import net.tracemesh.wire.ipv4.IpProtocol;
import net.tracemesh.wire.udp.UdpCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InternetChecksumTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2.
        byte[] b = hex("0001 f203 f4f5 f6f7");
        assertThat(InternetChecksum.sum(0, b, 0, b.length)).isEqualTo(0xDDF2);
        assertThat(InternetChecksum.checksum(b, 0, b.length)).isEqualTo(0x220D);
    }

    @Test
    void capturedIpv4HeaderVerifiesAndRecomputes() {
        // Header of the UDP probe in time-exceeded-udp.pcap; its checksum field is 0x67d1.
        byte[] header = hex("4500 003c c2b7 0000 0111 67d1 c612 0102 c612 0202");
        assertThat(InternetChecksum.checksum(header, 0, header.length)).isZero();
        header[10] = 0;
        header[11] = 0;
        assertThat(InternetChecksum.checksum(header, 0, header.length)).isEqualTo(0x67D1);
    }

    @Test
    void oddLengthIsPaddedWithZero() {
        byte[] odd = hex("0102 03");
        byte[] padded = hex("0102 0300");
        assertThat(InternetChecksum.checksum(odd, 0, 3)).isEqualTo(InternetChecksum.checksum(padded, 0, 4));
        assertThat(InternetChecksum.checksum(odd, 0, 3)).isEqualTo(~(0x0102 + 0x0300) & 0xFFFF);
    }

    @Test
    void emptyAndAllZeroMessagesSumToZero() {
        assertThat(InternetChecksum.checksum(new byte[0], 0, 0)).isEqualTo(0xFFFF);
        assertThat(InternetChecksum.checksum(new byte[10], 0, 10)).isEqualTo(0xFFFF);
    }

    @Test
    void sumsChainAcrossPiecesAndLargeInputsDoNotOverflow() {
        Random random = new Random(1);
        byte[] b = new byte[65536];
        random.nextBytes(b);
        int whole = InternetChecksum.checksum(b, 0, b.length);
        int chained = InternetChecksum.sum(0, b, 0, 1000);
        chained = InternetChecksum.sum(chained, b, 1000, 30000);
        chained = InternetChecksum.sum(chained, b, 31000, b.length - 31000);
        assertThat(InternetChecksum.finish(chained)).isEqualTo(whole);
        assertThat(whole).isEqualTo(referenceChecksum(b, 0, b.length));
        byte[] ones = new byte[65536];
        Arrays.fill(ones, (byte) 0xFF);
        assertThat(InternetChecksum.checksum(ones, 0, ones.length)).isZero();
        assertThat(InternetChecksum.finish(0xFFFF_FFFF)).isZero();
    }

    @Test
    void matchesReferenceOnRandomRanges() {
        Random random = new Random(2);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(300) + 1];
            random.nextBytes(b);
            int off = random.nextInt(b.length);
            int len = random.nextInt(b.length - off + 1);
            assertThat(InternetChecksum.checksum(b, off, len)).isEqualTo(referenceChecksum(b, off, len));
        }
    }

    @Test
    void pseudoHeaderSumMatchesExplicitPseudoHeader() {
        Random random = new Random(3);
        for (int i = 0; i < 1000; i++) {
            int src = random.nextInt();
            int dst = random.nextInt();
            int protocol = random.nextInt(256);
            int length = random.nextInt(65536);
            byte[] pseudo = new byte[12];
            Bytes.put32(pseudo, 0, src);
            Bytes.put32(pseudo, 4, dst);
            pseudo[9] = (byte) protocol;
            Bytes.put16(pseudo, 10, length);
            assertThat(InternetChecksum.finish(InternetChecksum.pseudoHeaderSum(src, dst, protocol, length)))
                    .isEqualTo(InternetChecksum.checksum(pseudo, 0, 12));
        }
    }

    @Test
    void rangeOutsideTheArrayIsRejected() {
        assertThatThrownBy(() -> InternetChecksum.checksum(new byte[4], 2, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** Zeroes a word, forces each wanted checksum through it, and checks both the computed and the verified sum. */
    @Test
    void compensatingWordForcesTheWantedChecksumOnRandomMessages() {
        Random random = new Random(4);
        int[] edgeTargets = {0x0000, 0xFFFF, 0x0001, 0xFFFE, 0x8000, 0x7FFF};
        for (int i = 0; i < 20_000; i++) {
            byte[] msg = new byte[4 + 2 * random.nextInt(100) + random.nextInt(2)];
            switch (i % 4) {
                case 0 -> Arrays.fill(msg, (byte) 0);
                case 1 -> Arrays.fill(msg, (byte) 0xFF);
                default -> random.nextBytes(msg);
            }
            int checksumField = 0;
            int word = 2 + 2 * random.nextInt((msg.length - 2) / 2);
            int wanted = i < edgeTargets.length * 100 ? edgeTargets[i % edgeTargets.length] : random.nextInt(65536);
            Bytes.put16(msg, checksumField, 0);
            Bytes.put16(msg, word, 0);
            int withWordZero = InternetChecksum.checksum(msg, 0, msg.length);
            int w = InternetChecksum.compensatingWord(withWordZero, wanted);
            assertThat(w).isBetween(0, 0xFFFF);
            Bytes.put16(msg, word, w);
            int computed = InternetChecksum.checksum(msg, 0, msg.length);
            if (wanted == 0xFFFF) {
                // 0xFFFF and 0x0000 are the same ones' complement number; only an all-zero message computes to 0xFFFF
                assertThat(computed).isIn(0x0000, 0xFFFF);
            } else {
                assertThat(computed).as("message %d, wanted %04x", i, wanted).isEqualTo(wanted);
            }
            Bytes.put16(msg, checksumField, wanted);
            assertThat(InternetChecksum.checksum(msg, 0, msg.length)).as("verifies with the wanted checksum").isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0000, 0x0001, 0x1234, 0xBEEF, 0xFFFE, 0xFFFF})
    void compensatingWordMakesAValidEchoWithTheWantedChecksum(int wanted) {
        Random random = new Random(wanted);
        byte[] data = new byte[32];
        random.nextBytes(data);
        byte[] msg = IcmpCodec.encode(IcmpEcho.request(0x4242, 7, data));
        int word = 8 + 30; // last data word
        Bytes.put16(msg, 2, 0);
        Bytes.put16(msg, word, 0);
        int w = InternetChecksum.compensatingWord(InternetChecksum.checksum(msg, 0, msg.length), wanted);
        Bytes.put16(msg, word, w);
        Bytes.put16(msg, 2, wanted);
        IcmpEcho echo = (IcmpEcho) IcmpCodec.decode(msg, 0, msg.length);
        assertThat(echo.identifier()).isEqualTo(0x4242);
        assertThat(Bytes.u16(msg, 2)).isEqualTo(wanted);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0001, 0x1234, 0x8000, 0xFFFE, 0xFFFF})
    void compensatingWordForcesAUdpChecksumOverThePseudoHeader(int wanted) {
        int src = Ipv4Address.parse("198.18.1.2");
        int dst = Ipv4Address.parse("198.18.2.2");
        byte[] datagram = UdpCodec.encode(src, dst, 40000, 33435, new byte[12]);
        int word = 8;
        Bytes.put16(datagram, 6, 0);
        int sum = InternetChecksum.pseudoHeaderSum(src, dst, IpProtocol.UDP, datagram.length);
        int withWordZero = InternetChecksum.finish(InternetChecksum.sum(sum, datagram, 0, datagram.length));
        Bytes.put16(datagram, word, InternetChecksum.compensatingWord(withWordZero, wanted));
        Bytes.put16(datagram, 6, wanted);
        assertThat(UdpCodec.checksumValid(src, dst, datagram, 0, datagram.length)).isTrue();
        int verified = InternetChecksum.finish(InternetChecksum.sum(sum, datagram, 0, datagram.length));
        assertThat(verified).isZero();
    }

    @Test
    void compensatingWordRejectsValuesOutsideSixteenBits() {
        assertThatThrownBy(() -> InternetChecksum.compensatingWord(0x10000, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checksumWithWordZero");
        assertThatThrownBy(() -> InternetChecksum.compensatingWord(0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wantedChecksum");
    }

    /** Straightforward RFC 1071 checksum, written independently of the class under test. */
    static int referenceChecksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i++) {
            int v = b[off + i] & 0xFF;
            sum += (i % 2 == 0) ? v << 8 : v;
        }
        while (sum > 0xFFFF) {
            sum = (sum >> 16) + (sum & 0xFFFF);
        }
        return (int) (~sum & 0xFFFF);
    }
}
