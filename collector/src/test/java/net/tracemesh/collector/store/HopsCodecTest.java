package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;
import org.junit.jupiter.api.Test;

class HopsCodecTest {
    /** Time exceeded with an MPLS stack, frag-needed with an MTU, port unreachable, a TCP SYN-ACK, a code-less type. */
    static final List<HopRecord> HOPS = List.of(
            new HopRecord(1, "198.18.0.1", 0.412, 11, 0, 254, 0, null, null, null),
            new HopRecord(2, "198.18.1.1", 1.250375, 11, 0, 253, 1,
                    null, List.of(new MplsLabel(16001, 0, false, 1), new MplsLabel(0xFFFFF, 7, true, 255)), null),
            new HopRecord(3, "198.18.2.1", 2.0, 3, 4, 252, 2, 1400, null, null),
            new HopRecord(4, "198.18.9.9", 3.999999, 3, 3, 60, 0, null, null, null),
            new HopRecord(5, "198.19.255.254", 12345.678901, null, null, 61, 0, null, null, "SA"),
            new HopRecord(255, "203.0.113.7", 0.0, 0, null, 0, 255, 65535, null, null));

    @Test
    void roundTripsEveryKindOfHop() {
        assertThat(HopsCodec.decode(HopsCodec.encode(HOPS))).isEqualTo(HOPS);
        assertThat(HopsCodec.decode(HopsCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void decodesTheStoredFormatOfAKnownTrace() throws IOException {
        // bytes written by this format's first version: a stored trace must stay readable
        byte[] stored;
        try (InputStream in = getClass().getResourceAsStream("/store/hops-format-1.hex")) {
            stored = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        assertThat(HopsCodec.decode(stored)).isEqualTo(HOPS);
        assertThat(HopsCodec.encode(HOPS)).isEqualTo(stored);
    }

    @Test
    void rttsKeepNanosecondPrecision() {
        HopRecord h = new HopRecord(1, "198.18.0.1", 1.0000004, 11, 0, 64, 0, null, null, null);
        assertThat(HopsCodec.decode(HopsCodec.encode(List.of(h))).get(0).rttMs()).isEqualTo(1.0);
    }

    @Test
    void everyTruncationIsRefused() {
        StoredBytesChecks.everyTruncationIsRefused(HopsCodec.encode(HOPS), HopsCodec::decode);
    }

    @Test
    void trailingBytesUnknownFormatsAndFlagsAreRefused() {
        byte[] whole = HopsCodec.encode(HOPS);
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThatThrownBy(() -> HopsCodec.decode(longer)).hasMessageContaining("after the last hop");
        byte[] format = whole.clone();
        format[0] = 2;
        assertThatThrownBy(() -> HopsCodec.decode(format)).hasMessageContaining("format 2");
        byte[] one = HopsCodec.encode(List.of(HOPS.get(0)));
        byte[] flags = one.clone();
        flags[flags.length - 3] = (byte) 0x80; // the flags byte: before type and code
        assertThatThrownBy(() -> HopsCodec.decode(flags)).hasMessageContaining("unknown hop flags");
        byte[] codeOnly = one.clone();
        codeOnly[codeOnly.length - 3] = 8; // an ICMP code announced without a type
        assertThatThrownBy(() -> HopsCodec.decode(codeOnly)).hasMessageContaining("without an ICMP type");
        assertThatThrownBy(() -> HopsCodec.decode(new byte[] {1, (byte) 0xFF, (byte) 0xFF, 0x7F}))
                .hasMessageContaining("implausible hop count");
        assertThatThrownBy(() -> HopsCodec.decode(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomAndMutatedBytesGiveHopsOrAClearRefusal() {
        StoredBytesChecks.randomAndMutatedBytesDecodeOrAreRefused(HopsCodec.encode(HOPS), 11, HopsCodec::decode,
                HopsCodec::encode);
    }
}
