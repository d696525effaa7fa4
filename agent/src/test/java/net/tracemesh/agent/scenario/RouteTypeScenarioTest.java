package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import net.tracemesh.agent.lab.LabPath;
import net.tracemesh.agent.lab.ScenarioLab;
import net.tracemesh.agent.lab.ScenarioLabExtension;
import net.tracemesh.agent.scenario.TraceJson.Hop;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 5: unreachable, prohibit and blackhole routes on u1. The first two end the trace with an ICMP
 * unreachable (!H, !X); the blackhole leaves it to the gap limit. u1's route errors are rate limited by the
 * kernel (burst 5, then 1/s per source) however the lab is set up, so these traces probe one TTL at a time with
 * one probe ({@code -N 1 -q 1}) and are paced with {@link ScenarioLab#paceRouteErrors()}.
 */
@Tag("netns")
@ExtendWith(ScenarioLabExtension.class)
class RouteTypeScenarioTest {

    @Test
    void unreachableRouteStopsTheTraceWithHostUnreachable(ScenarioLab lab) {
        assertStoppedByUnreachable(lab, lab.hostUnreachable(), 1);
    }

    @Test
    void prohibitRouteStopsTheTraceWithAdminProhibited(ScenarioLab lab) {
        assertStoppedByUnreachable(lab, lab.prohibited(), 13);
    }

    @Test
    void unreachableTextShowsBangH(ScenarioLab lab) {
        assertTextAnnotation(lab, lab.hostUnreachable(), "!H");
    }

    @Test
    void prohibitTextShowsBangX(ScenarioLab lab) {
        assertTextAnnotation(lab, lab.prohibited(), "!X");
    }

    @Test
    void blackholeRouteIsSilentAndEndsByGapLimit(ScenarioLab lab) {
        LabPath path = lab.blackholed();
        AgentRun run = AgentCli.traceJson(lab, "-q", "1", "-g", "3", path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        TraceJson trace = run.singleTrace();
        assertThat(trace.stopReason()).as(run.describe()).isEqualTo("gap_limit");
        assertThat(trace.stopIcmpCode()).as(run.describe()).isNull();
        assertThat(trace.addressesByTtl()).as(run.describe()).isEqualTo(ChainScenarioTest.expectedAddresses(path));
    }

    @Test
    void pingIntoTheBlackholeTimesOutWithExitStatus1(ScenarioLab lab) {
        AgentRun run = AgentCli.inVantage(lab, "ping", "--json", "-c", "2", "-i", "0.2", "-W", "1",
                lab.blackholed().destination());
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        JsonNode ping = run.singlePing();
        assertThat(ping.path("received").asInt()).as(run.describe()).isZero();
        assertThat(ping.path("loss_pct").asDouble()).as(run.describe()).isEqualTo(100.0);
        for (JsonNode probe : ping.path("probes")) {
            assertThat(probe.path("outcome").asText()).as(run.describe()).isEqualTo("timeout");
        }
    }

    @Test
    void pingToAnUnreachableRouteReportsUnreachable(ScenarioLab lab) {
        ScenarioLab.paceRouteErrors();
        AgentRun run = AgentCli.inVantage(lab, "ping", "--json", "-c", "1", "-W", "1",
                lab.hostUnreachable().destination());
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        JsonNode probe = run.singlePing().path("probes").path(0);
        assertThat(probe.path("outcome").asText()).as(run.describe()).isEqualTo("unreachable");
        assertThat(probe.path("from").asText()).as(run.describe()).isEqualTo(lab.routeTypeRouter());
        assertThat(probe.path("icmp_type").asInt()).as(run.describe()).isEqualTo(3);
        assertThat(probe.path("icmp_code").asInt()).as(run.describe()).isEqualTo(1);
    }

    private static void assertStoppedByUnreachable(ScenarioLab lab, LabPath path, int code) {
        ScenarioLab.paceRouteErrors();
        AgentRun run = AgentCli.traceJson(lab, "-q", "1", "-N", "1", path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        TraceJson trace = run.singleTrace();
        assertThat(trace.stopReason()).as(run.describe()).isEqualTo("unreachable");
        assertThat(trace.stopIcmpCode()).as(run.describe()).isEqualTo(code);
        assertThat(trace.addressesByTtl()).as(run.describe()).isEqualTo(ChainScenarioTest.expectedAddresses(path));
        Hop last = trace.hopsAt(path.lastTtl()).get(0);
        assertThat(last.is(3, code)).as("hop at TTL %d is 3/%d\n%s", path.lastTtl(), code, run.describe()).isTrue();
        assertThat(trace.hopsAt(1)).as(run.describe()).allMatch(Hop::isTimeExceeded);
    }

    private static void assertTextAnnotation(ScenarioLab lab, LabPath path, String annotation) {
        ScenarioLab.paceRouteErrors();
        AgentRun run = AgentCli.traceText(lab, "-q", "1", "-N", "1", path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).anyMatch(line -> line.matches(
                "\\s*" + path.lastTtl() + "\\s+" + Pattern.quote(lab.routeTypeRouter()) + "\\s+\\d+\\.\\d+ ms "
                        + Pattern.quote(annotation) + "\\s*"));
    }
}
