package net.tracemesh.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasurementDefinitionTest {
    private static MeasurementDefinition of(MeasurementMethod method, Duration interval, Duration jitter,
                                            TraceSettings trace, PingSettings ping) {
        return new MeasurementDefinition("m1", null, method, List.of("198.18.0.0/30"), interval, jitter, null, null,
                false, AgentSelector.everyAgent(), trace, ping);
    }

    @Test
    void appliesDefaultsSoExactlyOneSettingsIsPresent() {
        for (MeasurementMethod method : MeasurementMethod.values()) {
            MeasurementDefinition d = of(method, Duration.ofSeconds(60), null, null, null);
            assertThat(d.trace() != null).as(method.name()).isEqualTo(method.isTrace());
            assertThat(d.ping() != null).as(method.name()).isEqualTo(!method.isTrace());
        }
        assertThat(of(MeasurementMethod.UDP, Duration.ofSeconds(60), null, null, null).trace())
                .isSameAs(TraceSettings.DEFAULTS);
        assertThat(of(MeasurementMethod.PING, Duration.ofSeconds(60), null, null, null).ping())
                .isSameAs(PingSettings.DEFAULTS);
    }

    @Test
    void defaultJitterIsATenthOfTheIntervalAtMostAMinute() {
        assertThat(MeasurementDefinition.defaultJitter(Duration.ofSeconds(5))).isEqualTo(Duration.ZERO);
        assertThat(MeasurementDefinition.defaultJitter(Duration.ofSeconds(59))).isEqualTo(Duration.ofSeconds(5));
        assertThat(MeasurementDefinition.defaultJitter(Duration.ofSeconds(300))).isEqualTo(Duration.ofSeconds(30));
        assertThat(MeasurementDefinition.defaultJitter(Duration.ofSeconds(600))).isEqualTo(Duration.ofSeconds(60));
        assertThat(MeasurementDefinition.defaultJitter(Duration.ofDays(7))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesFractionalSeconds() {
        assertThatThrownBy(() -> of(MeasurementMethod.PING, Duration.ofMillis(1500), null, null, null))
                .hasMessageStartingWith("interval_s: must be a whole number of seconds");
        assertThatThrownBy(() -> of(MeasurementMethod.PING, Duration.ofSeconds(10), Duration.ofMillis(10), null,
                null)).hasMessageStartingWith("jitter_s: must be a whole number of seconds");
    }

    @Test
    void refusesSettingsOfTheOtherKind() {
        assertThatThrownBy(() -> of(MeasurementMethod.PING, Duration.ofSeconds(60), null, TraceSettings.DEFAULTS,
                null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace: not allowed for method ping (use ping)");
        assertThatThrownBy(() -> of(MeasurementMethod.TCP, Duration.ofSeconds(60), null, null,
                PingSettings.DEFAULTS)).hasMessage("ping: not allowed for method tcp (use trace)");
    }

    @Test
    void checksProbeSizeAgainstTheMethod() {
        TraceSettings small = new TraceSettings(3, 1, 30, 2000, null, 8, 5, 1, false, 36);
        assertThat(of(MeasurementMethod.UDP_PARIS, Duration.ofSeconds(60), null, small, null).trace())
                .isEqualTo(small);
        assertThatThrownBy(() -> of(MeasurementMethod.TCP, Duration.ofSeconds(60), null, small, null))
                .hasMessage("trace.probe_size: 36 is below the smallest tcp probe (40 bytes)");
    }

    @Test
    void copiesTargets() {
        List<String> targets = new ArrayList<>(List.of("198.18.0.1"));
        MeasurementDefinition d = new MeasurementDefinition("m1", null, MeasurementMethod.PING, targets,
                Duration.ofSeconds(10), null, Instant.EPOCH, null, false, AgentSelector.everyAgent(), null, null);
        targets.add("198.18.0.2");
        assertThat(d.targets()).containsExactly("198.18.0.1");
        assertThatThrownBy(() -> d.targets().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(d.targetPrefixes()).containsExactly(new Ipv4Prefix(0xC6120001, 32));
    }

    @Test
    void worstCaseProbesPerTarget() {
        TraceSettings t = new TraceSettings(3, 2, 11, 2000, null, 8, 5, 2, false, 0);
        assertThat(t.ttlCount()).isEqualTo(10);
        assertThat(of(MeasurementMethod.UDP, Duration.ofSeconds(60), null, t, null).worstCaseProbesPerTarget())
                .isEqualTo(3 * 10 * 3);
        assertThat(of(MeasurementMethod.PING, Duration.ofSeconds(60), null, null,
                new PingSettings(7, 1000, 56, 64, 2000, false)).worstCaseProbesPerTarget()).isEqualTo(7);
    }

    @Test
    void methodsKnowTheirWireNames() {
        for (MeasurementMethod m : MeasurementMethod.values()) {
            assertThat(MeasurementMethod.fromWireName(m.wireName())).contains(m);
        }
        assertThat(MeasurementMethod.fromWireName("UDP")).isEmpty();
        assertThat(MeasurementMethod.PING.isTrace()).isFalse();
        assertThat(MeasurementMethod.UDP_PARIS.wireName()).isEqualTo("udp-paris");
    }
}
