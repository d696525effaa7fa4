package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AddressTracesCodecTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    /** The bytes of T's zigzag varint (2 x 1795428000000000 needs 52 bits: 8 bytes of 7). */
    private static final int START_BYTES = 8;
    /** In stored order: by start, then agent, then trace id; a non-ASCII agent id; the longest ids; TTLs 1 and 255. */
    static final List<TraceAtAddress> TRACES = List.of(
            new TraceAtAddress(T, "ams1", "a-1", 3),
            new TraceAtAddress(T, "fra1", "f-1", 1),
            new TraceAtAddress(T, "fra1", "f-2", 2),
            new TraceAtAddress(T.plusNanos(1_000), "zürich-1", "z-1", 255),
            new TraceAtAddress(T.plusSeconds(3_599), "a".repeat(64), "t".repeat(128), 17));

    @Test
    void roundTripsInStartOrderWhateverTheOrderGiven() {
        assertThat(AddressTracesCodec.decode(AddressTracesCodec.encode(TRACES))).isEqualTo(TRACES);
        List<TraceAtAddress> shuffled = new ArrayList<>(TRACES);
        Collections.shuffle(shuffled, new Random(5));
        assertThat(AddressTracesCodec.encode(shuffled)).isEqualTo(AddressTracesCodec.encode(TRACES));
        assertThat(AddressTracesCodec.decode(AddressTracesCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void startsBeforeNineteenSeventyAndAtTheEndsOfTheRangeRoundTrip() {
        List<TraceAtAddress> traces = List.of(
                new TraceAtAddress(Instant.parse("0000-01-01T00:00:00Z"), "fra1", "f-0", 1),
                new TraceAtAddress(Instant.parse("1969-12-31T23:59:59.999999Z"), "fra1", "f-1", 1),
                new TraceAtAddress(Instant.EPOCH, "fra1", "f-2", 1),
                new TraceAtAddress(Instant.parse("9999-12-31T23:59:59.999999Z"), "fra1", "f-3", 1));
        assertThat(AddressTracesCodec.decode(AddressTracesCodec.encode(traces))).isEqualTo(traces);
        assertThat(AddressTracesCodec.decode(AddressTracesCodec.encode(traces.subList(1, 2)))).isEqualTo(
                traces.subList(1, 2));
    }

    @Test
    void decodesTheStoredFormatOfAKnownList() throws IOException {
        // bytes written by this format's first version: a stored list must stay readable
        byte[] stored;
        try (InputStream in = getClass().getResourceAsStream("/store/address-traces-format-1.hex")) {
            stored = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        assertThat(AddressTracesCodec.decode(stored)).isEqualTo(TRACES);
        assertThat(AddressTracesCodec.encode(TRACES)).isEqualTo(stored);
        // format, count, then the first start in whole microseconds (1795428000000000), zigzag: twice that
        assertThat(stored[0]).isEqualTo((byte) AddressTracesCodec.FORMAT);
        assertThat(stored[1]).isEqualTo((byte) TRACES.size());
    }

    @Test
    void everyTruncationIsRefused() {
        StoredBytesChecks.everyTruncationIsRefused(AddressTracesCodec.encode(TRACES), AddressTracesCodec::decode);
    }

    @Test
    void trailingBytesFormatsCountsOrderAndFieldsOutOfRangeAreRefused() {
        byte[] whole = AddressTracesCodec.encode(TRACES);
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThatThrownBy(() -> AddressTracesCodec.decode(longer)).hasMessageContaining("after the last entry");
        byte[] format = whole.clone();
        format[0] = 2;
        assertThatThrownBy(() -> AddressTracesCodec.decode(format)).hasMessageContaining("format 2");
        assertThatThrownBy(() -> AddressTracesCodec.decode(new byte[] {1, (byte) 0xFF, (byte) 0xFF, 0x7F}))
                .hasMessageContaining("implausible entry count");
        assertThatThrownBy(() -> AddressTracesCodec.decode(null)).isInstanceOf(IllegalArgumentException.class);

        byte[] one = AddressTracesCodec.encode(List.of(TRACES.get(0)));
        byte[] ttl = one.clone();
        ttl[ttl.length - 1] = 0;
        assertThatThrownBy(() -> AddressTracesCodec.decode(ttl)).hasMessageContaining("entry 0")
                .hasMessageContaining("TTL");
        byte[] agent = one.clone();
        agent[agent.length - 9] = (byte) 0xC3; // "ams1": a UTF-8 lead byte followed by a letter
        assertThatThrownBy(() -> AddressTracesCodec.decode(agent)).hasMessageContaining("not UTF-8");
        // a second entry that repeats the first: a start difference of 0 and the same ids
        byte[] pair = concat(new byte[] {1, 2}, Arrays.copyOfRange(one, 2, one.length), new byte[] {0},
                Arrays.copyOfRange(one, 2 + START_BYTES, one.length));
        assertThatThrownBy(() -> AddressTracesCodec.decode(pair)).hasMessageContaining("out of order or repeated");
    }

    @Test
    void entriesOutOfRangeAreRefusedWhenMade() {
        assertThatThrownBy(() -> new TraceAtAddress(T.plusNanos(1), "fra1", "f-1", 1))
                .hasMessageContaining("whole microsecond");
        assertThatThrownBy(() -> new TraceAtAddress(Instant.parse("-0001-12-31T23:59:59Z"), "fra1", "f-1", 1))
                .hasMessageContaining("0000 to 9999");
        assertThatThrownBy(() -> new TraceAtAddress(Instant.parse("+10000-01-01T00:00:00Z"), "fra1", "f-1", 1))
                .hasMessageContaining("0000 to 9999");
        assertThatThrownBy(() -> new TraceAtAddress(T, "", "f-1", 1)).hasMessageContaining("agent id");
        assertThatThrownBy(() -> new TraceAtAddress(T, "fra1", "t".repeat(129), 1)).hasMessageContaining("trace id");
        assertThatThrownBy(() -> new TraceAtAddress(T, "fra1", "f-1", 256)).hasMessageContaining("TTL");
    }

    @Test
    void randomAndMutatedBytesGiveAListOrAClearRefusal() {
        StoredBytesChecks.randomAndMutatedBytesDecodeOrAreRefused(AddressTracesCodec.encode(TRACES), 13,
                AddressTracesCodec::decode, AddressTracesCodec::encode);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
