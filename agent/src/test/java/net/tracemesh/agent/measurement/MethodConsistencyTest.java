package net.tracemesh.agent.measurement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.tracemesh.agent.probe.ProbeMethod;
import net.tracemesh.agent.trace.TraceOptions;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.measurement.TraceSettings;
import org.junit.jupiter.api.Test;

/** The measurement definitions in common agree with the agent's probe methods and trace defaults. */
class MethodConsistencyTest {
    @Test
    void everyTraceMethodIsAProbeMethodWithTheSameMinimumSize() {
        for (MeasurementMethod m : MeasurementMethod.values()) {
            if (!m.isTrace()) {
                continue;
            }
            ProbeMethod probe = ProbeMethod.fromCliName(m.wireName());
            assertThat(m.minimumProbeSize()).as(m.wireName()).isEqualTo(probe.minimumSize());
            assertThat(TraceSettings.MIN_PROBE_SIZE).isLessThanOrEqualTo(probe.minimumSize());
        }
        assertThat(Arrays.stream(ProbeMethod.values()).map(ProbeMethod::cliName))
                .allMatch(name -> MeasurementMethod.fromWireName(name).filter(MeasurementMethod::isTrace).isPresent());
    }

    @Test
    void traceDefaultsAreTheCommandLineDefaults() {
        TraceSettings d = TraceSettings.DEFAULTS;
        for (ProbeMethod method : ProbeMethod.values()) {
            TraceOptions fromDefinition = new TraceOptions(method, d.firstTtl(), d.maxTtl(), d.probesPerHop(),
                    d.waitMs() * 1_000_000L, method.defaultPort(), d.parallelTtls(), d.gapLimit(), d.retries(),
                    d.pathMtu(), d.probeSize());
            assertThat(fromDefinition).isEqualTo(TraceOptions.defaults(method));
        }
        assertThat(TraceSettings.MAX_RETRIES).isEqualTo(TraceOptions.MAX_RETRIES);
    }
}
