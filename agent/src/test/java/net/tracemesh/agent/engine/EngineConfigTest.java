package net.tracemesh.agent.engine;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EngineConfigTest {
    @Test
    void acceptsSaneSettings() {
        assertThatCode(() -> new EngineConfig(0.5, 1, 1024)).doesNotThrowAnyException();
        assertThatCode(() -> new EngineConfig(1e6, 8192, 65_535)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
    void refusesRatesThatAreNotPositiveNumbers(double rate) {
        assertThatThrownBy(() -> new EngineConfig(rate, 1, 40_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
    }

    @Test
    void refusesNoActiveTasksAndTagsOutsideTheirRange() {
        assertThatThrownBy(() -> new EngineConfig(100, 0, 40_000)).hasMessageContaining("max active tasks");
        assertThatThrownBy(() -> new EngineConfig(100, 1, 1023)).hasMessageContaining("tag");
        assertThatThrownBy(() -> new EngineConfig(100, 1, 65_536)).hasMessageContaining("tag");
    }
}
