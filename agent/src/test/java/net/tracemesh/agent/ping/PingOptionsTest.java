package net.tracemesh.agent.ping;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PingOptionsTest {
    private static final long MS = 1_000_000L;

    @Test
    void acceptsTheLimits() {
        assertThatCode(() -> new PingOptions(1, MS, 4, 1, 1, false)).doesNotThrowAnyException();
        assertThatCode(() -> new PingOptions(65_536, 3_600_000 * MS, 65_507, 255, 60_000 * MS, true))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesValuesOutsideThem() {
        assertThatThrownBy(() -> new PingOptions(0, MS, 56, 64, MS, false)).hasMessageContaining("count");
        assertThatThrownBy(() -> new PingOptions(65_537, MS, 56, 64, MS, false)).hasMessageContaining("count");
        assertThatThrownBy(() -> new PingOptions(1, MS - 1, 56, 64, MS, false)).hasMessageContaining("interval");
        assertThatThrownBy(() -> new PingOptions(1, MS, 3, 64, MS, false)).hasMessageContaining("size");
        assertThatThrownBy(() -> new PingOptions(1, MS, 65_508, 64, MS, false)).hasMessageContaining("size");
        assertThatThrownBy(() -> new PingOptions(1, MS, 56, 0, MS, false)).hasMessageContaining("TTL");
        assertThatThrownBy(() -> new PingOptions(1, MS, 56, 256, MS, false)).hasMessageContaining("TTL");
        assertThatThrownBy(() -> new PingOptions(1, MS, 56, 64, 0, false)).hasMessageContaining("wait");
        assertThatThrownBy(() -> new PingOptions(1, MS, 56, 64, 60_000 * MS + 1, false)).hasMessageContaining("wait");
    }
}
