package net.tracemesh.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks the {@link ScenarioLab} ground truth with the standard tools (traceroute, tracepath, ping) run in the
 * vantage namespace, independently of the agent. Needs root; skipped otherwise or when the tools are missing.
 */
@Tag("netns")
@ExtendWith(ScenarioLabExtension.class)
class LabGroundTruthTest {
    private static final Pattern ADDRESS = Pattern.compile("\\b(198\\.1[89]\\.\\d{1,3}\\.\\d{1,3})\\b");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @BeforeAll
    static void tools() {
        for (String tool : List.of("traceroute", "tracepath", "ping")) {
            Assumptions.assumeTrue(ScenarioLab.hasTool(tool), tool + " is not installed");
        }
    }

    @Test
    void chainAnswersAtEveryTtlWithEveryMethod(ScenarioLab lab) {
        for (String method : List.of("-U", "-I", "-T")) {
            List<Set<String>> hops = traceroute(lab, method, "-q", "1", "-w", "1", lab.chain().destination());
            assertThat(single(hops)).as("traceroute %s", method).isEqualTo(lab.chain().responders());
        }
    }

    @Test
    void constantFlowsStayOnOneBranchAndBothBranchesAreUsed(ScenarioLab lab) {
        Set<List<String>> branchesSeen = new HashSet<>();
        for (String destination : lab.ecmpDestinations()) {
            List<Set<String>> hops = traceroute(lab, "-U", "--sport=40000", "-q", "3", "-w", "1", destination);
            List<String> path = single(hops);
            List<String> branch = path.subList(lab.ecmpFirstBranchTtl() - 1, lab.ecmpFirstBranchTtl() + 2);
            assertThat(lab.ecmpBranches()).as("flow to %s", destination).contains(branch);
            assertThat(path).isEqualTo(lab.ecmpPath(destination, lab.ecmpBranches().indexOf(branch)).responders());
            branchesSeen.add(branch);
        }
        assertThat(branchesSeen).hasSize(2);
    }

    @Test
    void classicTracerouteSeesBothBranchesAtOneTtl(ScenarioLab lab) {
        boolean split = false;
        for (String destination : lab.ecmpDestinations().subList(0, 6)) {
            List<Set<String>> hops = traceroute(lab, "-q", "3", "-w", "1", destination);
            for (int ttl = 3; ttl <= 5; ttl++) {
                split |= hops.get(ttl - 1).size() > 1;
            }
        }
        assertThat(split).as("classic UDP probes at one TTL answered by both branches").isTrue();
    }

    @Test
    void firewallStopsUdpOnly(ScenarioLab lab) {
        List<Set<String>> udp = traceroute(lab, "-U", "-q", "1", "-w", "0.5", "-m", "5", lab.firewall().destination());
        assertThat(udp.subList(0, 2)).extracting(s -> s.iterator().next())
                .containsExactly(ScenarioLab.GATEWAY_ADDRESS, lab.firewallRouter());
        assertThat(udp.subList(2, udp.size())).allMatch(Set::isEmpty);
        for (String method : List.of("-I", "-T")) {
            assertThat(single(traceroute(lab, method, "-q", "1", "-w", "1", lab.firewall().destination())))
                    .isEqualTo(lab.firewall().responders());
        }
    }

    @Test
    void mtuRouterSendsFragNeededWithMtu600(ScenarioLab lab) {
        lab.flushVantageRouteCache();
        CommandResult tracepath = lab.execInVantage(TIMEOUT, "tracepath", "-n", lab.mtu().destination());
        assertThat(tracepath.stdout()).containsPattern("\\b3:\\s+" + Pattern.quote(lab.mtuRouter()) + "\\s.*pmtu 600")
                .contains("reached").contains("Resume: pmtu 600 hops 4");
        lab.flushVantageRouteCache();
        CommandResult ping = lab.execInVantage(TIMEOUT, "ping", "-n", "-M", "do", "-s", "1000", "-c", "1", "-W", "1",
                lab.mtu().destination());
        assertThat(ping.stdout()).contains("From " + lab.mtuRouter()).contains("mtu = 600");
        lab.flushVantageRouteCache();
        assertThat(single(traceroute(lab, "-I", "-q", "1", "-w", "1", lab.mtu().destination())))
                .isEqualTo(lab.mtu().responders());
    }

    @Test
    void routeTypesAnswerHostUnreachableProhibitedOrNothing(ScenarioLab lab) {
        ScenarioLab.paceRouteErrors();
        String unreachable = tracerouteText(lab, "-I", "-q", "1", "-N", "1", "-w", "1", "-m", "3",
                lab.hostUnreachable().destination());
        assertThat(unreachable).containsPattern("(?m)^ 2  " + Pattern.quote(lab.routeTypeRouter()) + " .*!H$");
        ScenarioLab.paceRouteErrors();
        String prohibited = tracerouteText(lab, "-I", "-q", "1", "-N", "1", "-w", "1", "-m", "3",
                lab.prohibited().destination());
        assertThat(prohibited).containsPattern("(?m)^ 2  " + Pattern.quote(lab.routeTypeRouter()) + " .*!X$");
        List<Set<String>> blackhole = traceroute(lab, "-I", "-q", "1", "-w", "0.5", "-m", "3",
                lab.blackholed().destination());
        assertThat(blackhole.get(0)).containsExactly(ScenarioLab.GATEWAY_ADDRESS);
        assertThat(blackhole.subList(1, 3)).allMatch(Set::isEmpty);
    }

    @Test
    void silentRouterLeavesAGap(ScenarioLab lab) {
        assertThat(single(traceroute(lab, "-I", "-q", "1", "-w", "0.5", lab.silent().destination())))
                .isEqualTo(lab.silent().responders());
    }

    @Test
    void rateLimitedRoutersGoQuietAfterABurst(ScenarioLab lab) {
        lab.drainRateLimiters();
        List<Set<String>> drained = traceroute(lab, "-I", "-q", "1", "-N", "1", "-w", "0.2", "-m", "4",
                lab.rateLimited().destination());
        assertThat(drained.get(0)).containsExactly(ScenarioLab.GATEWAY_ADDRESS);
        assertThat(drained.subList(1, 4)).as("routers with default ICMP rate limits right after a burst")
                .anyMatch(Set::isEmpty);
    }

    // ---------------------------------------------------------------- traceroute output

    private static String tracerouteText(ScenarioLab lab, String... args) {
        List<String> command = new ArrayList<>(List.of("traceroute", "-n"));
        command.addAll(List.of(args));
        CommandResult result = lab.vantage().exec(command, TIMEOUT);
        assertThat(result.exitCode()).as("%s: %s", result.commandLine(), result.stderr()).isZero();
        return result.stdout();
    }

    /** Addresses seen per TTL (index 0 = TTL 1); an empty set is a line of stars. */
    private static List<Set<String>> traceroute(ScenarioLab lab, String... args) {
        List<Set<String>> hops = new ArrayList<>();
        String[] lines = tracerouteText(lab, args).split("\n");
        for (int i = 1; i < lines.length; i++) {
            Set<String> addresses = new LinkedHashSet<>();
            Matcher matcher = ADDRESS.matcher(lines[i]);
            while (matcher.find()) {
                addresses.add(matcher.group(1));
            }
            hops.add(addresses);
        }
        return hops;
    }

    /** One responder per TTL, null for a silent TTL; fails when a TTL had several. */
    private static List<String> single(List<Set<String>> hops) {
        List<String> path = new ArrayList<>();
        for (Set<String> addresses : hops) {
            assertThat(addresses.size()).as("responders per TTL in %s", hops).isLessThanOrEqualTo(1);
            path.add(addresses.isEmpty() ? null : addresses.iterator().next());
        }
        return path;
    }
}
