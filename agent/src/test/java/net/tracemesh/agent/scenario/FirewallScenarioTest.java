package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import net.tracemesh.agent.lab.LabPath;
import net.tracemesh.agent.lab.ScenarioLab;
import net.tracemesh.agent.lab.ScenarioLabExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scenario 3: a router dropping forwarded UDP. UDP traces stall behind it; ICMP and TCP get through. */
@Tag("netns")
@ExtendWith(ScenarioLabExtension.class)
class FirewallScenarioTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "udp-paris"})
    void udpStopsAtTheFirewallByGapLimit(String method, ScenarioLab lab) {
        LabPath udpView = lab.firewallForUdp();
        AgentRun run = AgentCli.traceJson(lab, "-m", method, "-q", "1", "-g", "3", udpView.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        TraceJson trace = run.singleTrace();
        assertThat(trace.stopReason()).as(run.describe()).isEqualTo("gap_limit");
        Map<Integer, Set<String>> byTtl = trace.addressesByTtl();
        assertThat(byTtl).as("only r1 and the firewall answer\n%s", run.describe())
                .isEqualTo(ChainScenarioTest.expectedAddresses(udpView));
        assertThat(trace.hops()).as(run.describe()).noneMatch(h -> h.addr().equals(udpView.destination()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"icmp-paris", "tcp"})
    void icmpAndTcpPassTheFirewall(String method, ScenarioLab lab) {
        LabPath path = lab.firewall();
        AgentRun run = AgentCli.traceJson(lab, "-m", method, "-q", "1", path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        TraceJson trace = run.singleTrace();
        assertThat(trace.stopReason()).as(run.describe()).isEqualTo("completed");
        assertThat(trace.addressesByTtl()).as(run.describe()).isEqualTo(ChainScenarioTest.expectedAddresses(path));
        ChainScenarioTest.assertDestinationReply(method, trace.hopsAt(path.lastTtl()).get(0), run);
    }
}
