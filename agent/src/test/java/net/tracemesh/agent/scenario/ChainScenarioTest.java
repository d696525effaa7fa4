package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.tracemesh.agent.lab.LabPath;
import net.tracemesh.agent.lab.ScenarioLab;
import net.tracemesh.agent.lab.ScenarioLabExtension;
import net.tracemesh.agent.scenario.TraceJson.Hop;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scenario 1: a chain of routers, every hop answering, with every probing method; plus text output and ping. */
@Tag("netns")
@ExtendWith(ScenarioLabExtension.class)
class ChainScenarioTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp", "udp-paris", "icmp-paris", "tcp"})
    void everyRouterAnswersAtItsTtlAndTheDestinationEndsTheTrace(String method, ScenarioLab lab) {
        LabPath path = lab.chain();
        AgentRun run = AgentCli.traceJson(lab, "-m", method, path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        TraceJson trace = run.singleTrace();
        JsonNode node = trace.node();

        assertThat(node.path("type").asText()).as(run.describe()).isEqualTo("trace");
        assertThat(node.path("schema").asInt()).as(run.describe()).isEqualTo(1);
        assertThat(trace.src()).as(run.describe()).isEqualTo(ScenarioLab.VANTAGE_ADDRESS);
        assertThat(trace.dst()).as(run.describe()).isEqualTo(path.destination());
        assertThat(trace.method()).as(run.describe()).isEqualTo(method);
        assertThat(node.path("first_ttl").asInt()).as(run.describe()).isEqualTo(1);
        assertThat(node.path("probes_per_hop").asInt()).as(run.describe()).isEqualTo(3);
        assertThat(trace.stopReason()).as(run.describe()).isEqualTo("completed");
        assertThat(node.has("stop_icmp_code")).as(run.describe()).isFalse();
        assertThat(node.path("probes_sent").asInt()).as(run.describe()).isGreaterThanOrEqualTo(3 * path.lastTtl());

        assertThat(trace.addressesByTtl()).as(run.describe()).isEqualTo(expectedAddresses(path));
        assertSortedByTtlThenProbe(trace, run);
        for (int ttl = 1; ttl <= path.lastTtl(); ttl++) {
            List<Hop> replies = trace.hopsAt(ttl);
            assertThat(replies).as("replies at TTL %d\n%s", ttl, run.describe())
                    .extracting(Hop::probe).containsExactly(0, 1, 2);
            for (Hop hop : replies) {
                assertThat(hop.rttMs()).as(run.describe()).isGreaterThan(0);
                // Every namespace starts its replies at TTL 64 and the return path is as long as the forward one.
                assertThat(hop.replyTtl()).as("reply_ttl at TTL %d\n%s", ttl, run.describe()).isEqualTo(65 - ttl);
                if (ttl < path.lastTtl()) {
                    assertThat(hop.isTimeExceeded()).as("time exceeded at TTL %d\n%s", ttl, run.describe()).isTrue();
                } else {
                    assertDestinationReply(method, hop, run);
                }
            }
        }
    }

    @Test
    void textOutputHasOneTracerouteLinePerHop(ScenarioLab lab) {
        LabPath path = lab.chain();
        AgentRun run = AgentCli.traceText(lab, "-m", "udp-paris", path.destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<String> lines = run.stdoutLines();
        assertThat(lines.get(0)).as(run.describe()).startsWith("traceroute to " + path.destination());
        List<String> hopLines = new ArrayList<>(lines.subList(1, lines.size()));
        assertThat(hopLines).as(run.describe()).hasSize(path.lastTtl());
        for (int ttl = 1; ttl <= path.lastTtl(); ttl++) {
            // " 1  198.18.0.1  0.051 ms  0.012 ms  0.010 ms": the address once, then three round-trip times.
            assertThat(hopLines.get(ttl - 1)).as(run.describe()).matches(
                    "\\s*" + ttl + "\\s+" + Pattern.quote(path.responderAt(ttl)) + "(\\s+\\d+\\.\\d+ ms){3}\\s*");
        }
    }

    @Test
    void pingTextShowsOneBangPerReplyAndTheSummary(ScenarioLab lab) {
        AgentRun run = AgentCli.inVantage(lab, "ping", "-c", "3", "-i", "0.2", "-W", "1", lab.chain().destination());
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).contains("!!!");
        assertThat(run.stdout()).as(run.describe())
                .contains("3 packets transmitted, 3 received, 0% packet loss")
                .containsPattern("rtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms");
    }

    @Test
    void pingJsonHasEveryReply(ScenarioLab lab) {
        String destination = lab.chain().destination();
        AgentRun run = AgentCli.inVantage(lab, "ping", "--json", "-c", "3", "-i", "0.2", "-W", "1", destination);
        assertThat(run.exitCode()).as(run.describe()).isZero();
        JsonNode ping = run.singlePing();
        assertThat(ping.path("type").asText()).as(run.describe()).isEqualTo("ping");
        assertThat(ping.path("src").asText()).as(run.describe()).isEqualTo(ScenarioLab.VANTAGE_ADDRESS);
        assertThat(ping.path("dst").asText()).as(run.describe()).isEqualTo(destination);
        assertThat(ping.path("sent").asInt()).as(run.describe()).isEqualTo(3);
        assertThat(ping.path("received").asInt()).as(run.describe()).isEqualTo(3);
        assertThat(ping.path("loss_pct").asDouble()).as(run.describe()).isZero();
        assertThat(ping.path("rtt_min_ms").asDouble()).as(run.describe()).isPositive()
                .isLessThanOrEqualTo(ping.path("rtt_max_ms").asDouble());
        assertThat(ping.path("probes")).as(run.describe()).hasSize(3);
        for (JsonNode probe : ping.path("probes")) {
            assertThat(probe.path("outcome").asText()).as(run.describe()).isEqualTo("reply");
            assertThat(probe.path("from").asText()).as(run.describe()).isEqualTo(destination);
            assertThat(probe.path("rtt_ms").asDouble()).as(run.describe()).isPositive();
        }
    }

    static Map<Integer, Set<String>> expectedAddresses(LabPath path) {
        Map<Integer, Set<String>> expected = new LinkedHashMap<>();
        for (int ttl = 1; ttl <= path.lastTtl(); ttl++) {
            if (path.responderAt(ttl) != null) {
                expected.put(ttl, Set.of(path.responderAt(ttl)));
            }
        }
        return expected;
    }

    static void assertSortedByTtlThenProbe(TraceJson trace, AgentRun run) {
        List<Hop> hops = trace.hops();
        for (int i = 1; i < hops.size(); i++) {
            Hop a = hops.get(i - 1);
            Hop b = hops.get(i);
            assertThat(a.ttl() < b.ttl() || (a.ttl() == b.ttl() && a.probe() < b.probe()))
                    .as("hops sorted by ttl then probe at index %d\n%s", i, run.describe()).isTrue();
        }
    }

    /** What the destination answers: port unreachable to UDP, echo reply to ICMP, RST (or SYN-ACK) to TCP. */
    static void assertDestinationReply(String method, Hop hop, AgentRun run) {
        switch (method) {
            case "udp", "udp-paris" -> assertThat(hop.is(3, 3)).as("port unreachable\n%s", run.describe()).isTrue();
            case "icmp-paris" -> assertThat(hop.is(0, 0)).as("echo reply\n%s", run.describe()).isTrue();
            case "tcp" -> {
                assertThat(hop.tcpFlags()).as("tcp_flags\n%s", run.describe()).isNotNull()
                        .matches(flags -> flags.contains("R") || flags.equals("SA"), "contains R or is SA");
                assertThat(hop.icmpType()).as("no icmp_type on a TCP reply\n%s", run.describe()).isNull();
            }
            default -> throw new IllegalArgumentException(method);
        }
    }
}
