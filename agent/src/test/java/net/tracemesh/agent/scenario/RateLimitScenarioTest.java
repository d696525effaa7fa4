package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import net.tracemesh.agent.lab.LabPath;
import net.tracemesh.agent.lab.ScenarioLab;
import net.tracemesh.agent.lab.ScenarioLabExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 7: routers with Linux's default ICMP rate limits (6 errors burst, then 1 per second toward one host).
 * The test first empties their budgets, so the first probes at those hops go unanswered and only retries can
 * fill them; with -q 3 and the default retries every hop must still be present and the trace complete.
 */
@Tag("netns")
@ExtendWith(ScenarioLabExtension.class)
class RateLimitScenarioTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp-paris", "icmp-paris"})
    void retriesFillTheHopsOfRateLimitedRouters(String method, ScenarioLab lab) {
        LabPath path = lab.rateLimited();
        lab.drainRateLimiters();
        AgentRun run = AgentCli.traceJson(lab, "-m", method, "-q", "3", path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        TraceJson trace = run.singleTrace();
        assertThat(trace.stopReason()).as(run.describe()).isEqualTo("completed");
        assertThat(trace.addressesByTtl()).as("every hop present, exact addresses\n%s", run.describe())
                .isEqualTo(ChainScenarioTest.expectedAddresses(path));
        assertThat(trace.lastTtl()).as(run.describe()).isEqualTo(path.lastTtl());
    }
}
