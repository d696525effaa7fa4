package net.tracemesh.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {
    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "10m, 600000", "1h30m, 5400000", "14d, 1209600000",
            "1d2h3m4s5ms, 93784005", "0s, 0", "90m, 5400000"})
    void readsAmountsWithUnits(String text, long millis) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"500, 500ms", "30000, 30s", "5400000, 1h30m", "1209600000, 14d", "93784005, 1d2h3m4s5ms", "0, 0s"})
    void writesTheFewestParts(long millis, String text) {
        assertThat(DurationText.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(DurationText.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7", "d", "7 d", "7days", "-1s", "1.5h", "1w", "s7"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a duration such as");
    }

    @Test
    void refusesUnitsOutOfOrderOrRepeated() {
        assertThatThrownBy(() -> DurationText.parse("30m1h")).hasMessageContaining("largest first");
        assertThatThrownBy(() -> DurationText.parse("1h1h")).hasMessageContaining("largest first");
    }
}
