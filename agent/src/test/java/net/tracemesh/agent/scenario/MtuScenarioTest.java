package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;
import net.tracemesh.agent.lab.LabPath;
import net.tracemesh.agent.lab.ScenarioLab;
import net.tracemesh.agent.lab.ScenarioLabExtension;
import net.tracemesh.agent.scenario.TraceJson.Hop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 4: a 600-byte link on the path. Path MTU discovery gets frag-needed with MTU 600 from the router in
 * front of the link and still reaches the destination; DF pings bigger than 600 bytes get frag-needed back.
 */
@Tag("netns")
@ExtendWith(ScenarioLabExtension.class)
class MtuScenarioTest {

    @BeforeEach
    void forgetLearntMtus(ScenarioLab lab) {
        lab.flushVantageRouteCache();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp-paris", "icmp-paris"})
    void mtuTraceFindsThe600ByteLinkAndReachesTheDestination(String method, ScenarioLab lab) {
        LabPath path = lab.mtu();
        AgentRun run = AgentCli.traceJson(lab, "--mtu", "-m", method, "-q", "1", path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        TraceJson trace = run.singleTrace();
        assertThat(trace.stopReason()).as(run.describe()).isEqualTo("completed");
        assertThat(trace.pathMtu()).as("path_mtu\n%s", run.describe()).isEqualTo(ScenarioLab.SMALL_MTU);

        List<Hop> fragNeeded = trace.hops().stream().filter(h -> h.is(3, 4)).toList();
        assertThat(fragNeeded).as("hops with frag-needed (3/4)\n%s", run.describe()).isNotEmpty();
        for (Hop hop : fragNeeded) {
            assertThat(hop.addr()).as(run.describe()).isEqualTo(lab.mtuRouter());
            assertThat(hop.mtu()).as(run.describe()).isEqualTo(ScenarioLab.SMALL_MTU);
            // m1 answers TTL 2 with time exceeded; only probes that go further need the 600-byte link.
            assertThat(hop.ttl()).as(run.describe()).isGreaterThan(lab.mtuRouterTtl());
        }
        for (Hop hop : trace.hops()) {
            if (hop.isTimeExceeded()) {
                assertThat(hop.addr()).as("time exceeded at TTL %d\n%s", hop.ttl(), run.describe())
                        .isEqualTo(path.responderAt(hop.ttl()));
            }
        }
        assertThat(trace.hopsAt(lab.mtuRouterTtl())).as(run.describe())
                .anyMatch(h -> h.addr().equals(lab.mtuRouter()) && h.isTimeExceeded());
        assertThat(trace.lastTtl()).as(run.describe()).isEqualTo(path.lastTtl());
        assertThat(trace.hopsAt(path.lastTtl())).as(run.describe())
                .isNotEmpty().allMatch(h -> h.addr().equals(path.destination()));
    }

    @Test
    void mtuTraceTextMarksTheRouterWithF600(ScenarioLab lab) {
        AgentRun run = AgentCli.traceText(lab, "--mtu", "-q", "1", lab.mtu().destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe())
                .anyMatch(line -> line.contains(lab.mtuRouter()) && line.contains("!F600"));
    }

    @Test
    void dfPingBiggerThanTheLinkGetsFragNeededWithMtu600(ScenarioLab lab) {
        AgentRun run = AgentCli.inVantage(lab, "ping", "--json", "-s", "1000", "--df", "-c", "3", "-i", "0.2",
                "-W", "1", lab.mtu().destination());
        assertThat(run.exitCode()).as("no reply: exit 1\n%s", run.describe()).isEqualTo(1);
        JsonNode ping = run.singlePing();
        assertThat(ping.path("df").asBoolean()).as(run.describe()).isTrue();
        assertThat(ping.path("size").asInt()).as(run.describe()).isEqualTo(1000);
        assertThat(ping.path("sent").asInt()).as(run.describe()).isEqualTo(3);
        assertThat(ping.path("received").asInt()).as(run.describe()).isZero();
        assertThat(ping.path("probes")).as(run.describe()).hasSize(3);
        for (JsonNode probe : ping.path("probes")) {
            assertThat(probe.path("outcome").asText()).as(run.describe()).isEqualTo("frag_needed");
            assertThat(probe.path("mtu").asInt()).as(run.describe()).isEqualTo(ScenarioLab.SMALL_MTU);
            assertThat(probe.path("from").asText()).as(run.describe()).isEqualTo(lab.mtuRouter());
            assertThat(probe.path("icmp_type").asInt()).as(run.describe()).isEqualTo(3);
            assertThat(probe.path("icmp_code").asInt()).as(run.describe()).isEqualTo(4);
        }
    }

    @Test
    void dfPingTextShowsMForEveryProbe(ScenarioLab lab) {
        AgentRun run = AgentCli.inVantage(lab, "ping", "-s", "1000", "--df", "-c", "3", "-i", "0.2", "-W", "1",
                lab.mtu().destination());
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stdoutLines()).as(run.describe()).contains("MMM");
        assertThat(run.stdout()).as(run.describe()).containsPattern(
                "(?i)frag(mentation)? needed.*" + Pattern.quote("600"))
                .contains("3 packets transmitted, 0 received, 100% packet loss");
    }

    @Test
    void smallDfPingCrossesTheLink(ScenarioLab lab) {
        AgentRun run = AgentCli.inVantage(lab, "ping", "--json", "-s", "500", "--df", "-c", "2", "-i", "0.2",
                "-W", "1", lab.mtu().destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.singlePing().path("received").asInt()).as(run.describe()).isEqualTo(2);
    }
}
