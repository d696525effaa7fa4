package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import net.tracemesh.agent.lab.LabPath;
import net.tracemesh.agent.lab.ScenarioLab;
import net.tracemesh.agent.lab.ScenarioLabExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scenario 6: a router that never sends time exceeded. Its TTL has no entry; the trace goes on and completes. */
@Tag("netns")
@ExtendWith(ScenarioLabExtension.class)
class SilentRouterScenarioTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp-paris", "icmp-paris", "tcp"})
    void silentTtlHasNoEntryAndTheTraceCompletes(String method, ScenarioLab lab) {
        LabPath path = lab.silent();
        AgentRun run = AgentCli.traceJson(lab, "-m", method, "-q", "1", path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        TraceJson trace = run.singleTrace();
        assertThat(trace.stopReason()).as(run.describe()).isEqualTo("completed");
        assertThat(trace.hopsAt(lab.silentTtl())).as(run.describe()).isEmpty();
        assertThat(trace.addressesByTtl()).as(run.describe()).isEqualTo(ChainScenarioTest.expectedAddresses(path));
        assertThat(trace.hops()).as(run.describe()).noneMatch(h -> h.addr().equals(lab.silentRouterAddress()));
    }

    @Test
    void textShowsAStarForTheSilentTtl(ScenarioLab lab) {
        LabPath path = lab.silent();
        AgentRun run = AgentCli.traceText(lab, "-q", "1", path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe())
                .anyMatch(line -> line.matches("\\s*" + lab.silentTtl() + "\\s+\\*\\s*"))
                .anyMatch(line -> line.matches("\\s*" + path.lastTtl() + "\\s+"
                        + path.destination().replace(".", "\\.") + "\\s+\\d+\\.\\d+ ms\\s*"));
    }
}
