package net.tracemesh.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.tracemesh.agent.probe.ProbeMethod;
import org.junit.jupiter.api.Test;

class TraceOptionsTest {
    private static final long WAIT = 2_000_000_000L;

    @Test
    void defaultsFollowTheMethod() {
        TraceOptions d = TraceOptions.defaults(ProbeMethod.TCP);
        assertThat(d.method()).isEqualTo(ProbeMethod.TCP);
        assertThat(d.port()).isEqualTo(80);
        assertThat(d.firstTtl()).isEqualTo(1);
        assertThat(d.maxTtl()).isEqualTo(30);
        assertThat(d.probesPerHop()).isEqualTo(3);
        assertThat(d.parallelTtls()).isEqualTo(8);
        assertThat(d.gapLimit()).isEqualTo(5);
        assertThat(d.pathMtu()).isFalse();
        assertThat(d.probeSize()).isZero();
        assertThat(TraceOptions.defaults(ProbeMethod.ICMP_PARIS).port()).isZero();
    }

    @Test
    void refusesImpossibleSettings() {
        ProbeMethod udp = ProbeMethod.UDP;
        assertThatThrownBy(() -> new TraceOptions(null, 1, 30, 3, WAIT, 1, 8, 5, 1, false, 0))
                .hasMessage("method is missing");
        assertThatThrownBy(() -> new TraceOptions(udp, 0, 30, 3, WAIT, 1, 8, 5, 1, false, 0))
                .hasMessage("first TTL must be 1..255, got 0");
        assertThatThrownBy(() -> new TraceOptions(udp, 1, 256, 3, WAIT, 1, 8, 5, 1, false, 0))
                .hasMessage("max TTL must be 1..255, got 256");
        assertThatThrownBy(() -> new TraceOptions(udp, 10, 9, 3, WAIT, 1, 8, 5, 1, false, 0))
                .hasMessage("max TTL 9 is below first TTL 10");
        assertThatThrownBy(() -> new TraceOptions(udp, 1, 30, 16, WAIT, 1, 8, 5, 1, false, 0))
                .hasMessage("probes per hop must be 1..15, got 16");
        assertThatThrownBy(() -> new TraceOptions(udp, 1, 30, 3, 0, 1, 8, 5, 1, false, 0))
                .hasMessageContaining("wait");
        assertThatThrownBy(() -> new TraceOptions(udp, 1, 30, 3, WAIT, 0, 8, 5, 1, false, 0))
                .hasMessage("port must be 1..65535, got 0");
        assertThatThrownBy(() -> new TraceOptions(udp, 1, 30, 3, WAIT, 1, 0, 5, 1, false, 0))
                .hasMessage("parallel TTLs must be 1..255, got 0");
        assertThatThrownBy(() -> new TraceOptions(udp, 1, 30, 3, WAIT, 1, 8, 0, 1, false, 0))
                .hasMessage("gap limit must be 1..255, got 0");
        assertThatThrownBy(() -> new TraceOptions(udp, 1, 30, 3, WAIT, 1, 8, 5, 11, false, 0))
                .hasMessage("retries must be 0..10, got 11");
        assertThatThrownBy(() -> new TraceOptions(ProbeMethod.TCP, 1, 30, 3, WAIT, 80, 8, 5, 1, false, 39))
                .hasMessage("probe size must be 40..65535, got 39");
        assertThat(new TraceOptions(ProbeMethod.ICMP_PARIS, 1, 30, 3, WAIT, 0, 8, 5, 1, false, 32).probeSize())
                .isEqualTo(32);
    }
}
