package net.tracemesh.wire.icmp;

import static net.tracemesh.wire.icmp.IcmpTestData.fixIcmpChecksum;
import static net.tracemesh.wire.icmp.IcmpTestData.icmpQuote;
import static net.tracemesh.wire.icmp.IcmpTestData.udpQuote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Captures;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Truncated, corrupted, oversized and random input to the ICMP decoder. */
class IcmpMalformedTest {

    private static void assertMalformed(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MalformedPacketException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static List<byte[]> samples() {
        return List.of(
                IcmpCodec.encode(IcmpEcho.request(1, 2, new byte[] {1, 2, 3})),
                IcmpCodec.encode(IcmpError.timeExceeded(0, udpQuote(12))),
                IcmpCodec.encode(IcmpError.fragmentationNeeded(600, icmpQuote())),
                IcmpCodec.encode(IcmpError.timeExceeded(0, IcmpTestData.padded(udpQuote(0), 128)).withExtensions(
                        List.of(new IcmpExtensionObject(1, 1, new byte[] {0, 1, 1, 1})))),
                IcmpCodec.encode(new IcmpTimestamp(IcmpType.TIMESTAMP_REPLY, 0, 1, 2, 3, 4, 5)),
                IcmpCodec.encode(new IcmpAddressMask(IcmpType.ADDRESS_MASK_REPLY, 0, 1, 2, -256)),
                Captures.ipv4("frag-needed", 1).payload(),
                Captures.ipv4("time-exceeded-ip-options", 1).payload());
    }

    @Test
    void everyBitFlipFailsTheChecksum() {
        for (byte[] m : samples()) {
            for (int bit = 0; bit < m.length * 8; bit++) {
                byte[] bad = m.clone();
                bad[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
                assertMalformed(() -> IcmpCodec.decode(bad, 0, bad.length), Reason.BAD_CHECKSUM);
            }
        }
    }

    @Test
    void everyTruncationIsRejectedOrStillAValidMessage() {
        for (byte[] m : samples()) {
            for (int len = 0; len < m.length; len++) {
                int n = len;
                try {
                    IcmpCodec.decode(m, 0, n);
                } catch (MalformedPacketException e) {
                    assertThat(e.reason()).isIn(Reason.TRUNCATED, Reason.BAD_CHECKSUM);
                }
                // with the checksum fixed, the reason must be the truncation
                byte[] cut = fixIcmpChecksum(Arrays.copyOf(m, n));
                try {
                    IcmpCodec.decode(cut, 0, n);
                } catch (MalformedPacketException e) {
                    assertThat(e.reason()).as("length %d of %d", n, m.length).isEqualTo(Reason.TRUNCATED);
                }
            }
        }
    }

    @Test
    void truncatedQuotesKeepWhatIsThereAndCutHeadersAreRejected() {
        byte[] m = IcmpCodec.encode(IcmpError.timeExceeded(0, udpQuote(12)));
        for (int len = 0; len < m.length; len++) {
            byte[] cut = fixIcmpChecksum(Arrays.copyOf(m, len));
            int n = len;
            if (len < 8 + 20) {
                assertMalformed(() -> IcmpCodec.decode(cut, 0, n), Reason.TRUNCATED);
            } else {
                IcmpError e = (IcmpError) IcmpCodec.decode(cut, 0, n);
                assertThat(e.quoted().transportLength()).isEqualTo(len - 28);
                assertThat(e.quoted().sourcePort()).isEqualTo(len >= 30 ? 40000 : -1);
                assertThat(e.quoted().destinationPort()).isEqualTo(len >= 32 ? 33435 : -1);
                assertThat(e.quoted().header().totalLength()).isEqualTo(40);
            }
        }
    }

    @Test
    void quotedHeaderWithOptionsCutBeforeItsEndIsTruncated() {
        byte[] m = Captures.ipv4("time-exceeded-ip-options", 1).payload();
        for (int len = 8 + 20; len < 8 + 60; len++) {
            byte[] cut = fixIcmpChecksum(Arrays.copyOf(m, len));
            int n = len;
            assertMalformed(() -> IcmpCodec.decode(cut, 0, n), Reason.TRUNCATED);
        }
        byte[] exact = fixIcmpChecksum(Arrays.copyOf(m, 68));
        assertThat(((IcmpError) IcmpCodec.decode(exact, 0, 68)).quoted().transportLength()).isZero();
    }

    @Test
    void quotedHeaderThatIsNotIpv4IsRejected() {
        byte[] m = IcmpCodec.encode(IcmpError.timeExceeded(0, udpQuote(0)));
        byte[] v6 = m.clone();
        v6[8] = 0x60;
        fixIcmpChecksum(v6);
        assertMalformed(() -> IcmpCodec.decode(v6, 0, v6.length), Reason.BAD_VERSION);
        byte[] shortIhl = m.clone();
        shortIhl[8] = 0x44;
        fixIcmpChecksum(shortIhl);
        assertMalformed(() -> IcmpCodec.decode(shortIhl, 0, shortIhl.length), Reason.BAD_HEADER_LENGTH);
        byte[] lyingTotal = m.clone();
        Bytes.put16(lyingTotal, 10, 65535);
        fixIcmpChecksum(lyingTotal);
        assertThat(((IcmpError) IcmpCodec.decode(lyingTotal, 0, lyingTotal.length)).quoted().header().totalLength())
                .isEqualTo(65535);
    }

    @Test
    void fixedPartsShorterThanTheirTypeNeedsAreTruncated() {
        byte[] ts = IcmpCodec.encode(new IcmpTimestamp(IcmpType.TIMESTAMP, 0, 1, 2, 3, 4, 5));
        for (int len = 8; len < 20; len++) {
            byte[] cut = fixIcmpChecksum(Arrays.copyOf(ts, len));
            int n = len;
            assertMalformed(() -> IcmpCodec.decode(cut, 0, n), Reason.TRUNCATED);
        }
        byte[] mask = IcmpCodec.encode(new IcmpAddressMask(IcmpType.ADDRESS_MASK_REQUEST, 0, 1, 2, 0));
        for (int len = 8; len < 12; len++) {
            byte[] cut = fixIcmpChecksum(Arrays.copyOf(mask, len));
            int n = len;
            assertMalformed(() -> IcmpCodec.decode(cut, 0, n), Reason.TRUNCATED);
        }
        for (int len = 0; len < 8; len++) {
            byte[] cut = fixIcmpChecksum(Arrays.copyOf(new byte[] {42, 0, 0, 0, 0, 0, 0, 0}, len));
            int n = len;
            assertMalformed(() -> IcmpCodec.decode(cut, 0, n), Reason.TRUNCATED);
        }
        // trailing bytes after a fixed-size message are tolerated
        byte[] longer = fixIcmpChecksum(Arrays.copyOf(ts, 24));
        assertThat(IcmpCodec.decode(longer, 0, 24)).isInstanceOf(IcmpTimestamp.class);
    }

    @Test
    void oversizedInputAndRangesOutsideTheBuffer() {
        byte[] huge = new byte[65516];
        huge[0] = 8;
        fixIcmpChecksum(huge);
        assertMalformed(() -> IcmpCodec.decode(huge, 0, huge.length), Reason.OVERSIZED);
        byte[] max = fixIcmpChecksum(Arrays.copyOf(huge, 65515));
        assertThat(((IcmpEcho) IcmpCodec.decode(max, 0, max.length)).dataLength()).isEqualTo(65507);
        byte[] m = IcmpCodec.encode(IcmpEcho.request(1, 2, null));
        assertMalformed(() -> IcmpCodec.decode(m, 1, m.length), Reason.TRUNCATED);
        assertMalformed(() -> IcmpCodec.decode(m, -8, 8), Reason.TRUNCATED);
        assertMalformed(() -> IcmpCodec.decode(m, 0, Integer.MIN_VALUE), Reason.TRUNCATED);
        assertMalformed(() -> IcmpCodec.decode(m, Integer.MAX_VALUE, Integer.MAX_VALUE), Reason.TRUNCATED);
        assertMalformed(() -> IcmpCodec.decode(null, 0, 8), Reason.TRUNCATED);
        assertThatThrownBy(() -> IcmpCodec.encode(IcmpEcho.request(1, 2, new byte[65508])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomBytesWithValidChecksumsDecodeOrAreRejected() {
        Random random = new Random(41);
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(200)];
            random.nextBytes(b);
            if (b.length > 8 && random.nextBoolean()) {
                b[0] = (byte) new int[] {0, 3, 4, 5, 8, 11, 12, 13, 14, 17, 18}[random.nextInt(11)];
                b[8] = 0x45;
            }
            fixIcmpChecksum(b);
            try {
                IcmpMessage m = IcmpCodec.decode(b, 0, b.length);
                assertThat(m.type()).isEqualTo(b[0] & 0xFF);
                decoded++;
            } catch (MalformedPacketException e) {
                assertThat(e.reason()).isNotNull();
            }
        }
        assertThat(decoded).isGreaterThan(1000);
    }
}
