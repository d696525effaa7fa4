package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import net.tracemesh.agent.lab.ScenarioLab;
import net.tracemesh.agent.lab.ScenarioLabExtension;
import net.tracemesh.agent.scenario.TraceJson.Hop;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host itself as the target (127.0.0.1 and the vantage's own address): the kernel drops frames injected
 * toward its own addresses, so these probes go through the raw IP socket; the destination answers at TTL 1.
 */
@Tag("netns")
@ExtendWith(ScenarioLabExtension.class)
class LoopbackScenarioTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "udp-paris", "icmp-paris", "tcp"})
    void theHostItselfAnswersAtTtlOne(String method, ScenarioLab lab) {
        for (String target : new String[] {"127.0.0.1", ScenarioLab.VANTAGE_ADDRESS}) {
            AgentRun run = AgentCli.traceJson(lab, "-m", method, "-w", "1", target);
            assertThat(run.exitCode()).as(run.describe()).isZero();
            TraceJson trace = run.singleTrace();
            assertThat(trace.stopReason()).as(run.describe()).isEqualTo("completed");
            assertThat(trace.hopsAt(1)).as(run.describe()).hasSize(3).allSatisfy(hop -> {
                assertThat(hop.addr()).isEqualTo(target);
                assertThat(hop.rttMs()).isGreaterThan(0);
            });
            assertThat(trace.node().path("stop_ttl").asInt()).as(run.describe()).isEqualTo(1);
        }
    }
}
