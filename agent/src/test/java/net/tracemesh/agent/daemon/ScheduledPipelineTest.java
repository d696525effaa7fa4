package net.tracemesh.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.tracemesh.agent.daemon.TopicReader.Received;
import net.tracemesh.agent.lab.CommandResult;
import net.tracemesh.agent.lab.MultiVantageLab;
import net.tracemesh.agent.lab.Netns;
import net.tracemesh.agent.lab.PipelineLab;
import net.tracemesh.agent.lab.PipelineLabExtension;
import net.tracemesh.agent.scenario.AgentClasspath;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import net.tracemesh.record.RecordJson;
import net.tracemesh.record.StopReason;
import net.tracemesh.record.TraceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two agents in two vantage namespaces run scheduled measurements from their config files; their hop records and
 * trace completions arrive in a real Kafka broker, keyed by (agent, destination), in order, complete, and with the
 * hops the one-shot command line finds for the same target.
 */
@ExtendWith(PipelineLabExtension.class)
class ScheduledPipelineTest {
    private static final String PREFIX = "sched.";

    @Test
    void agentsPublishEveryHopOfEveryRoundKeyedAndInOrder(PipelineLab pipeline) {
        pipeline.createTopics(PREFIX);
        MultiVantageLab lab = pipeline.lab();
        String measurements = AgentYaml.trace("lab-icmp", "icmp-paris", 2, "\"" + MultiVantageLab.DESTINATION + "\"",
                "wait_ms: 1000")
                + AgentYaml.trace("lab-udp", "udp-paris", 2, "\"" + MultiVantageLab.DESTINATION + "\"",
                "wait_ms: 1000, probes_per_hop: 2");
        try (AgentDaemonProcess a = AgentDaemonProcess.start(lab.vantageA(), "vpa",
                AgentYaml.config("vp-a", "Site A", PREFIX, pipeline.bootstrapServers(), 500, "", measurements));
             AgentDaemonProcess b = AgentDaemonProcess.start(lab.vantageB(), "vpb",
                     AgentYaml.config("vp-b", "Site B", PREFIX, pipeline.bootstrapServers(), 500, "", measurements))) {
            // Wait for at least three completed rounds of each measurement from each agent.
            List<Received<TraceCompletionMessage>> ends = TopicReader.awaitAll(pipeline.bootstrapServers(),
                    PREFIX + Topics.TRACES, TraceCompletionMessage.class,
                    all -> roundsPer(all).values().stream().filter(n -> n >= 3).count() == 4,
                    Duration.ofSeconds(60));
            assertThat(roundsPer(ends)).as(a.log() + b.log()).hasSize(4).allSatisfy((k, n) -> assertThat(n)
                    .isGreaterThanOrEqualTo(3));
            assertThat(a.stop()).as(a.log()).isEqualTo(AgentDaemonProcess.STOPPED_BY_SIGTERM);
            assertThat(b.stop()).as(b.log()).isEqualTo(AgentDaemonProcess.STOPPED_BY_SIGTERM);
        }

        List<Received<TraceCompletionMessage>> ends = TopicReader.readAll(pipeline.bootstrapServers(),
                PREFIX + Topics.TRACES, TraceCompletionMessage.class);
        List<Received<HopMessage>> hops = TopicReader.readAll(pipeline.bootstrapServers(), PREFIX + Topics.HOPS,
                HopMessage.class);

        // Keys: one path, one key, one partition.
        for (Received<HopMessage> h : hops) {
            assertThat(h.key()).isEqualTo(Topics.pathKey(h.message().agentId(), h.message().dst()));
        }
        for (Received<TraceCompletionMessage> e : ends) {
            assertThat(e.key()).isEqualTo(Topics.pathKey(e.message().agentId(), e.message().dst()));
        }
        Map<String, Set<Integer>> partitionsByKey = new HashMap<>();
        hops.forEach(h -> partitionsByKey.computeIfAbsent(h.key(), k -> new HashSet<>()).add(h.partition()));
        assertThat(partitionsByKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));

        // Every record once.
        assertThat(hops.stream().map(h -> h.message().recordId()).distinct().count()).isEqualTo(hops.size());
        assertThat(ends.stream().map(e -> e.message().recordId()).distinct().count()).isEqualTo(ends.size());

        // Complete: every completion's hop count is what the hops topic holds for its trace.
        Map<String, List<HopMessage>> byTrace = new LinkedHashMap<>();
        hops.forEach(h -> byTrace.computeIfAbsent(h.message().traceId(), t -> new ArrayList<>()).add(h.message()));
        for (Received<TraceCompletionMessage> e : ends) {
            TraceCompletionMessage m = e.message();
            assertThat(byTrace.getOrDefault(m.traceId(), List.of())).as("hops of trace %s", m.traceId())
                    .hasSize(m.hopCount());
            assertThat(m.stopReason()).isEqualTo(StopReason.COMPLETED);
        }

        // Ordered: within a key, one trace's hops are contiguous and by TTL then probe.
        Map<String, List<HopMessage>> byKey = new LinkedHashMap<>();
        hops.stream().sorted((x, y) -> Long.compare(x.offset(), y.offset()))
                .forEach(h -> byKey.computeIfAbsent(h.key(), k -> new ArrayList<>()).add(h.message()));
        for (List<HopMessage> keyed : byKey.values()) {
            Set<String> closed = new HashSet<>();
            HopMessage previous = null;
            for (HopMessage h : keyed) {
                if (previous != null && !previous.traceId().equals(h.traceId())) {
                    closed.add(previous.traceId());
                    assertThat(closed).as("trace %s resumed after another trace", h.traceId())
                            .doesNotContain(h.traceId());
                } else if (previous != null) {
                    assertThat(h.hop().ttl() * 16 + h.hop().probe())
                            .isGreaterThan(previous.hop().ttl() * 16 + previous.hop().probe());
                }
                previous = h;
            }
        }

        // The hops are the lab's paths, and what the one-shot command line finds from the same namespace.
        assertPaths(byTrace, ends, "vp-a", lab.pathA(), oneShot(lab.vantageA(), "icmp-paris"));
        assertPaths(byTrace, ends, "vp-b", lab.pathB(), oneShot(lab.vantageB(), "icmp-paris"));
        assertPaths(byTrace, ends, "vp-b", lab.pathB(), oneShot(lab.vantageB(), "udp-paris"));

        // Heartbeats say who each agent is.
        List<Received<HeartbeatMessage>> beats = TopicReader.readAll(pipeline.bootstrapServers(),
                PREFIX + Topics.HEARTBEATS, HeartbeatMessage.class);
        Map<String, HeartbeatMessage> last = new TreeMap<>();
        beats.forEach(h -> last.put(h.message().agentId(), h.message()));
        assertThat(last).containsOnlyKeys("vp-a", "vp-b");
        assertThat(last.get("vp-a").site()).isEqualTo("Site A");
        assertThat(last.get("vp-a").addresses()).contains(MultiVantageLab.VANTAGE_A);
        assertThat(last.get("vp-b").capabilities().rawCapture()).isTrue();
        assertThat(last.get("vp-a").measurements()).containsExactly("lab-icmp", "lab-udp");
        long published = ends.stream().filter(e -> e.message().agentId().equals("vp-a")).count();
        assertThat(last.get("vp-a").counters().tracesCompleted()).isEqualTo(published);
    }

    private static Map<String, Integer> roundsPer(List<Received<TraceCompletionMessage>> ends) {
        Map<String, Integer> rounds = new HashMap<>();
        for (Received<TraceCompletionMessage> e : ends) {
            rounds.merge(e.message().agentId() + "/" + e.message().measurementId(), 1, Integer::sum);
        }
        return rounds;
    }

    private static void assertPaths(Map<String, List<HopMessage>> byTrace, List<Received<TraceCompletionMessage>> ends,
                                    String agent, List<String> path, Map<Integer, Set<String>> oneShot) {
        Map<Integer, Set<String>> expected = new TreeMap<>();
        for (int i = 0; i < path.size(); i++) {
            expected.put(i + 1, Set.of(path.get(i)));
        }
        assertThat(oneShot).isEqualTo(expected);
        String method = null;
        int checked = 0;
        for (Received<TraceCompletionMessage> e : ends) {
            if (!e.message().agentId().equals(agent)) {
                continue;
            }
            Map<Integer, Set<String>> seen = new TreeMap<>();
            for (HopMessage h : byTrace.get(e.message().traceId())) {
                seen.computeIfAbsent(h.hop().ttl(), t -> new HashSet<>()).add(h.hop().addr());
                method = h.method();
            }
            assertThat(seen).as("trace %s (%s) of %s", e.message().traceId(), method, agent).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isPositive();
    }

    /** TTL to addresses of {@code agent trace --json} run once in {@code netns}. */
    private static Map<Integer, Set<String>> oneShot(Netns netns, String method) {
        CommandResult r = netns.exec(List.of(System.getProperty("java.home") + "/bin/java", "-XX:TieredStopAtLevel=1",
                "-cp", AgentClasspath.get(), "net.tracemesh.agent.cli.AgentMain", "trace", "--json", "-w", "1",
                "-m", method, MultiVantageLab.DESTINATION), Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        TraceRecord trace = RecordJson.read(r.stdout().strip(), TraceRecord.class);
        return trace.hops().stream().collect(Collectors.groupingBy(h -> h.ttl(), TreeMap::new,
                Collectors.mapping(h -> h.addr(), Collectors.toSet())));
    }
}
