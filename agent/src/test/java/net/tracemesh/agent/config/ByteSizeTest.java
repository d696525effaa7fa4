package net.tracemesh.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({
            "268435456, 268435456",
            "0, 0",
            "17B, 17",
            "1KiB, 1024",
            "256MiB, 268435456",
            "256 MiB, 268435456",
            "256mib, 268435456",
            "2GiB, 2147483648",
            "1TiB, 1099511627776",
            "1KB, 1000",
            "1kB, 1000",
            "500MB, 500000000",
            "2GB, 2000000000",
            "3TB, 3000000000000",
            "' 10MiB ', 10485760"})
    void parsesSizes(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "-1", "12.5MiB", "1 2MiB", "0x10", "256MiB!"})
    void refusesWhatIsNotASize(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a size (a whole number, optionally with a unit such as 256MiB or"
                        + " 500MB)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10XB", "5 bytes", "1 KiBs"})
    void refusesUnknownUnits(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown unit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999TiB", "99999999999999999999"})
    void refusesOverflow(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).hasMessage("'" + text + "' is too large");
    }
}
