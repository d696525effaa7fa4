package net.tracemesh.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06T23:53:39.611091042Z", "2026-12-06T23:53:39Z", "2026-12-06T23:53:39.100Z",
            "2026-12-06T23:53:39.000100Z", "2026-12-06T23:53:39.000000001Z", "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "2024-02-29T12:00:00.5Z", "2000-03-01T00:00:00Z", "1900-02-28T23:59:59Z"})
    void writesWhatIsoInstantWrites(String text) {
        Instant t = Instant.parse(text);
        assertThat(IsoInstant.format(t)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(t));
    }

    @Test
    void yearsOutsideFourDigitsAreLeftToTheGeneralFormatter() {
        for (Instant t : new Instant[] {Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.MAX, Instant.MIN}) {
            assertThat(IsoInstant.format(t)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(t));
        }
    }

    @Test
    void agreesWithIsoInstantOnAMillionRandomInstants() {
        SplittableRandom random = new SplittableRandom(20261206);
        for (int i = 0; i < 1_000_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L - 86_400, 253_402_300_800L + 86_400);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nano);
            String expected = DateTimeFormatter.ISO_INSTANT.format(t);
            if (!IsoInstant.format(t).equals(expected)) {
                assertThat(IsoInstant.format(t)).as("epoch second %d, nano %d", seconds, nano).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06T23:53:39.611091042Z", "2026-12-06T23:53:39Z", "2026-12-06T23:53:39.1Z",
            "2026-12-06T23:53:39.12Z", "2026-12-06T23:53:39.000100Z", "2026-12-06T23:53:39.00000001Z",
            "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "2024-02-29T12:00:00.5Z", "2000-02-29T00:00:00Z", "1900-02-28T23:59:59Z"})
    void readsWhatIsoInstantReads(String text) {
        assertThat(parse(text)).isEqualTo(DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from));
    }

    @Test
    void readsWhatItWritesForAMillionRandomInstants() {
        SplittableRandom random = new SplittableRandom(20261207);
        for (int i = 0; i < 1_000_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
                    i % 2 == 0 ? 0 : random.nextInt(1_000_000_000));
            String text = IsoInstant.format(t);
            if (!t.equals(parse(text))) {
                assertThat(parse(text)).as(text).isEqualTo(t);
            }
        }
    }

    /** Text in another form, or no time at all: left to the general parser, which reads it or says what is wrong. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06T23:53:39+01:00", "2026-12-06t23:53:39z", "2026-12-06T23:53:60Z",
            "2026-12-06T24:00:00Z", "2026-12-06T23:53:39.Z", "2026-12-06T23:53:39.1234567890Z",
            "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z",
            "2026-12-06 23:53:39Z", "2026-12-06T23:53:39", "2026-12-06T23:5a:39Z", "2026/12/06T23:53:39Z", "", "Z",
            "yesterday", "2026-12-06T23:53:39.-12345Z", " 2026-12-06T23:53:39Z"})
    void leavesEveryOtherFormToTheGeneralParser(String text) {
        assertThat(parse(text)).isNull();
    }

    @Test
    void readsTextInsideALargerBuffer() {
        char[] buffer = "{\"t\":\"2026-12-06T23:53:39.25Z\"}".toCharArray();
        assertThat(IsoInstant.parse(buffer, 6, 23)).isEqualTo(Instant.parse("2026-12-06T23:53:39.25Z"));
        assertThat(IsoInstant.parse(buffer, 6, 22)).isNull();
    }

    private static Instant parse(String text) {
        return IsoInstant.parse(text.toCharArray(), 0, text.length());
    }
}
