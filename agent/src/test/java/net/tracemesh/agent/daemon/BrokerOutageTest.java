package net.tracemesh.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.tracemesh.agent.daemon.TopicReader.Received;
import net.tracemesh.agent.lab.MultiVantageLab;
import net.tracemesh.agent.lab.PipelineLab;
import net.tracemesh.agent.lab.PipelineLabExtension;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker goes away for 30 seconds while an agent keeps measuring: the agent spools what it cannot send and,
 * once the broker is back, delivers everything, so every round is in Kafka exactly once per record id.
 */
@ExtendWith(PipelineLabExtension.class)
class BrokerOutageTest {
    private static final String PREFIX = "outage.";
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final List<String> AGENTS = List.of("vp-outage-a", "vp-outage-b");

    @Test
    void everyRoundMeasuredDuringAnOutageArrivesExactlyOnce(PipelineLab pipeline) {
        pipeline.createTopics(PREFIX);
        MultiVantageLab lab = pipeline.lab();
        String bootstrap = pipeline.bootstrapServers();
        String measurements = AgentYaml.trace("outage-icmp", "icmp-paris", 2,
                "\"" + MultiVantageLab.DESTINATION + "\", \"198.18.205.7\", \"198.18.205.8\"", "wait_ms: 500");
        Instant outageStart;
        Instant outageEnd;
        Map<String, HeartbeatMessage> drainedBeat = new HashMap<>();
        try (AgentDaemonProcess a = AgentDaemonProcess.start(lab.vantageA(), "outage-a",
                AgentYaml.config("vp-outage-a", "Outage A", PREFIX, bootstrap, 500, "", measurements));
             AgentDaemonProcess b = AgentDaemonProcess.start(lab.vantageB(), "outage-b",
                     AgentYaml.config("vp-outage-b", "Outage B", PREFIX, bootstrap, 500, "", measurements))) {
            List<Received<TraceCompletionMessage>> before = TopicReader.awaitAll(bootstrap,
                    PREFIX + Topics.TRACES, TraceCompletionMessage.class, all -> all.size() >= 12,
                    Duration.ofSeconds(60));
            assertThat(before).as(a.log() + b.log()).hasSizeGreaterThanOrEqualTo(12);
            outageStart = Instant.now();
            pipeline.kafka().stop();
            try {
                TopicReader.sleep(OUTAGE.toMillis());
            } finally {
                outageEnd = Instant.now();
                pipeline.kafka().start();
            }
            assertThat(a.alive()).as(a.log()).isTrue();
            assertThat(b.alive()).as(b.log()).isTrue();
            // Each agent reports, through Kafka, that it spooled during the outage and has delivered it all since.
            List<Received<HeartbeatMessage>> beats = TopicReader.awaitAll(bootstrap, PREFIX + Topics.HEARTBEATS,
                    HeartbeatMessage.class, all -> AGENTS.stream().allMatch(agent -> recentlyDrained(all, agent)),
                    Duration.ofSeconds(90));
            for (String agent : AGENTS) {
                assertThat(recentlyDrained(beats, agent)).as("%s drained\n%s%s", agent, a.log(), b.log()).isTrue();
                drainedBeat.put(agent, lastBeat(beats, agent));
                assertThat(beats).as("a heartbeat of %s made during the outage waited in the spool", agent)
                        .anyMatch(h -> h.message().agentId().equals(agent)
                                && h.message().time().isAfter(outageStart.plusSeconds(5))
                                && h.message().time().isBefore(outageEnd)
                                && h.message().counters().spoolPending() > 0);
            }
            assertThat(a.stop()).as(a.log()).isEqualTo(AgentDaemonProcess.STOPPED_BY_SIGTERM);
            assertThat(b.stop()).as(b.log()).isEqualTo(AgentDaemonProcess.STOPPED_BY_SIGTERM);
        }

        List<Received<TraceCompletionMessage>> ends = TopicReader.readAll(bootstrap, PREFIX + Topics.TRACES,
                TraceCompletionMessage.class);
        List<Received<HopMessage>> hops = TopicReader.readAll(bootstrap, PREFIX + Topics.HOPS, HopMessage.class);

        // Exactly once per record id.
        assertThat(duplicates(hops, h -> h.recordId())).isEmpty();
        assertThat(duplicates(ends, e -> e.recordId())).isEmpty();
        // Complete: every trace's hops are there.
        Map<String, Long> hopsPerTrace = hops.stream().collect(Collectors.groupingBy(h -> h.message().traceId(),
                Collectors.counting()));
        for (Received<TraceCompletionMessage> e : ends) {
            assertThat(hopsPerTrace.getOrDefault(e.message().traceId(), 0L)).as("hops of %s", e.message().traceId())
                    .isEqualTo(e.message().hopCount());
        }
        assertThat(hops).hasSize((int) ends.stream().mapToLong(e -> e.message().hopCount()).sum());
        // Every round: rounds made during the outage are there, each with all three targets.
        Map<String, Set<String>> targetsByRound = new HashMap<>();
        ends.forEach(e -> targetsByRound.computeIfAbsent(e.message().agentId() + " " + e.message().roundStart(),
                r -> new HashSet<>()).add(e.message().dst()));
        assertThat(targetsByRound.values()).allSatisfy(t -> assertThat(t).hasSize(3));
        for (String agent : AGENTS) {
            long roundsDuringOutage = ends.stream().filter(e -> e.message().agentId().equals(agent))
                    .map(e -> e.message().roundStart()).distinct()
                    .filter(r -> r.isAfter(outageStart) && r.isBefore(outageEnd)).count();
            assertThat(roundsDuringOutage).as("rounds of %s during the outage", agent)
                    .isGreaterThanOrEqualTo(OUTAGE.toSeconds() / 2 - 3);
        }
        // And nothing an agent measured is missing: its last heartbeat, sent at shutdown after its last round,
        // counts as many traces as Kafka holds from it.
        List<Received<HeartbeatMessage>> beats = TopicReader.readAll(bootstrap, PREFIX + Topics.HEARTBEATS,
                HeartbeatMessage.class);
        for (String agent : AGENTS) {
            HeartbeatMessage finalBeat = lastBeat(beats, agent);
            assertThat(finalBeat.time()).isAfter(drainedBeat.get(agent).time());
            assertThat(ends.stream().filter(e -> e.message().agentId().equals(agent)).count())
                    .as("traces of %s", agent).isEqualTo(finalBeat.counters().tracesCompleted());
        }
    }

    private static HeartbeatMessage lastBeat(List<Received<HeartbeatMessage>> beats, String agent) {
        HeartbeatMessage last = null;
        for (Received<HeartbeatMessage> h : beats) {
            if (h.message().agentId().equals(agent)) {
                last = h.message();
            }
        }
        assertThat(last).as("a heartbeat of %s", agent).isNotNull();
        return last;
    }

    private static boolean recentlyDrained(List<Received<HeartbeatMessage>> beats, String agent) {
        HeartbeatMessage last = null;
        for (Received<HeartbeatMessage> h : beats) {
            if (h.message().agentId().equals(agent)) {
                last = h.message();
            }
        }
        return last != null && drained(last) && last.time().isAfter(Instant.now().minusSeconds(3));
    }

    private static boolean drained(HeartbeatMessage m) {
        return m.counters().spoolPending() == 0 && m.counters().messagesPending() == 0
                && m.counters().messagesPublished() > 0;
    }

    private static <T> Set<String> duplicates(List<Received<T>> records, Function<T, String> id) {
        Set<String> seen = new HashSet<>();
        Set<String> twice = new HashSet<>();
        for (Received<T> r : records) {
            if (!seen.add(id.apply(r.message()))) {
                twice.add(id.apply(r.message()));
            }
        }
        return twice;
    }
}
