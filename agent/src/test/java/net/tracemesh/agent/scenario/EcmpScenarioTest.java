package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.tracemesh.agent.lab.ScenarioLab;
import net.tracemesh.agent.lab.ScenarioLabExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 2: per-flow ECMP. A Paris trace keeps its flow identifier constant, so all its probes follow one branch
 * of the diamond and consecutive hops are real links; classic UDP changes the flow with every probe and sees both
 * branches at the same TTL.
 */
@Tag("netns")
@ExtendWith(ScenarioLabExtension.class)
class EcmpScenarioTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp-paris", "icmp-paris"})
    void parisTracesFollowOneBranchAndInferOnlyRealLinks(String method, ScenarioLab lab) {
        List<String> destinations = lab.ecmpDestinations();
        List<String> args = new ArrayList<>(List.of("-m", method, "-q", "3"));
        args.addAll(destinations);
        AgentRun run = AgentCli.traceJson(lab, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<TraceJson> traces = run.traces();
        assertThat(traces).extracting(TraceJson::dst).as(run.describe())
                .containsExactlyInAnyOrderElementsOf(destinations);

        Set<Integer> branchesUsed = new HashSet<>();
        for (TraceJson trace : traces) {
            String context = "trace " + trace;
            assertThat(trace.stopReason()).as(context).isEqualTo("completed");
            Map<Integer, Set<String>> byTtl = trace.addressesByTtl();
            assertThat(byTtl.keySet()).as(context).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(byTtl.values()).as("one address per TTL (one flow, one path): " + context)
                    .allMatch(addresses -> addresses.size() == 1);
            List<String> path = byTtl.values().stream().map(s -> s.iterator().next()).toList();

            int first = lab.ecmpFirstBranchTtl();
            List<String> branch = path.subList(first - 1, first + 2);
            assertThat(lab.ecmpBranches()).as("TTLs %d-%d are exactly one branch: %s", first, first + 2, context)
                    .contains(branch);
            int index = lab.ecmpBranches().indexOf(branch);
            branchesUsed.add(index);
            assertThat(path).as(context).isEqualTo(lab.ecmpPath(trace.dst(), index).responders());
            for (int i = 1; i < path.size(); i++) {
                assertThat(lab.isRealLink(path.get(i - 1), path.get(i)))
                        .as("%s -> %s is a link of the lab: %s", path.get(i - 1), path.get(i), context).isTrue();
            }
        }
        // Sixteen destinations hash onto both branches; otherwise the lab is not balancing at all.
        assertThat(branchesUsed).as("branches used over %d flows\n%s", traces.size(), run.describe())
                .containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void classicUdpSeesBothBranchesAtTheSameTtl(ScenarioLab lab) {
        List<String> destinations = lab.ecmpDestinations().subList(0, 6);
        List<String> args = new ArrayList<>(List.of("-m", "udp", "-q", "3"));
        args.addAll(destinations);
        AgentRun run = AgentCli.traceJson(lab, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<TraceJson> traces = run.traces();
        assertThat(traces).as(run.describe()).hasSize(destinations.size());

        int first = lab.ecmpFirstBranchTtl();
        int splitTtls = 0;
        for (TraceJson trace : traces) {
            String context = "trace " + trace;
            assertThat(trace.stopReason()).as(context).isEqualTo("completed");
            Map<Integer, Set<String>> byTtl = trace.addressesByTtl();
            assertThat(byTtl.get(1)).as(context).containsExactly(lab.ecmpCommonHops().get(0));
            assertThat(byTtl.get(2)).as(context).containsExactly(lab.ecmpCommonHops().get(1));
            for (int offset = 0; offset < 3; offset++) {
                Set<String> possible = Set.of(lab.ecmpBranches().get(0).get(offset),
                        lab.ecmpBranches().get(1).get(offset));
                Set<String> seen = byTtl.get(first + offset);
                assertThat(seen).as("TTL %d: %s", first + offset, context).isNotEmpty().isSubsetOf(possible);
                if (seen.size() > 1) {
                    splitTtls++;
                }
            }
            assertThat(byTtl.get(first + 3)).as(context).containsExactly(trace.dst());
        }
        assertThat(splitTtls).as("TTLs whose three probes were answered by both branches, over %d traces\n%s",
                traces.size(), run.describe()).isPositive();
    }
}
