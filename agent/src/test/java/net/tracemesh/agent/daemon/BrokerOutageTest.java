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

    @Test
    void everyRoundMeasuredDuringAnOutageArrivesExactlyOnce(PipelineLab pipeline) {
        pipeline.createTopics(PREFIX);
        MultiVantageLab lab = pipeline.lab();
        String bootstrap = pipeline.bootstrapServers();
        String measurements = AgentYaml.trace("outage-icmp", "icmp-paris", 2,
                "\"" + MultiVantageLab.DESTINATION + "\", \"198.18.205.7\", \"198.18.205.8\"", "wait_ms: 500");
        Instant outageStart;
        Instant outageEnd;
        HeartbeatMessage last;
        try (AgentDaemonProcess a = AgentDaemonProcess.start(lab.vantageA(), "outage",
                AgentYaml.config("vp-outage", "Outage", PREFIX, bootstrap, 500, "", measurements))) {
            List<Received<TraceCompletionMessage>> before = TopicReader.awaitAll(bootstrap,
                    PREFIX + Topics.TRACES, TraceCompletionMessage.class, all -> all.size() >= 6,
                    Duration.ofSeconds(60));
            assertThat(before).as(a.log()).hasSizeGreaterThanOrEqualTo(6);
            outageStart = Instant.now();
            pipeline.kafka().stop();
            try {
                TopicReader.sleep(OUTAGE.toMillis());
            } finally {
                outageEnd = Instant.now();
                pipeline.kafka().start();
            }
            assertThat(a.alive()).as(a.log()).isTrue();
            // The agent reports, through Kafka, that it spooled during the outage and has delivered it all since.
            List<Received<HeartbeatMessage>> beats = TopicReader.awaitAll(bootstrap, PREFIX + Topics.HEARTBEATS,
                    HeartbeatMessage.class, all -> !all.isEmpty() && drained(all.get(all.size() - 1).message())
                            && all.get(all.size() - 1).message().time().isAfter(Instant.now().minusSeconds(3)),
                    Duration.ofSeconds(90));
            assertThat(beats).as(a.log()).isNotEmpty();
            last = beats.get(beats.size() - 1).message();
            assertThat(drained(last)).as("last heartbeat %s\n%s", last, a.log()).isTrue();
            assertThat(beats).as("a heartbeat made during the outage waited in the spool")
                    .anyMatch(b -> b.message().time().isAfter(outageStart.plusSeconds(5))
                            && b.message().time().isBefore(outageEnd)
                            && b.message().counters().spoolPending() > 0);
            assertThat(a.stop()).as(a.log()).isEqualTo(AgentDaemonProcess.STOPPED_BY_SIGTERM);
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
        Map<Instant, Set<String>> targetsByRound = new HashMap<>();
        ends.forEach(e -> targetsByRound.computeIfAbsent(e.message().roundStart(), r -> new HashSet<>())
                .add(e.message().dst()));
        assertThat(targetsByRound.values()).allSatisfy(t -> assertThat(t).hasSize(3));
        long roundsDuringOutage = targetsByRound.keySet().stream()
                .filter(r -> r.isAfter(outageStart) && r.isBefore(outageEnd)).count();
        assertThat(roundsDuringOutage).isGreaterThanOrEqualTo(OUTAGE.toSeconds() / 2 - 3);
        // And nothing the agent measured is missing: its last heartbeat, sent at shutdown after its last round,
        // counts as many traces as Kafka holds.
        List<Received<HeartbeatMessage>> beats = TopicReader.readAll(bootstrap, PREFIX + Topics.HEARTBEATS,
                HeartbeatMessage.class);
        HeartbeatMessage finalBeat = beats.get(beats.size() - 1).message();
        assertThat(finalBeat.time()).isAfter(last.time());
        assertThat((long) ends.size()).isEqualTo(finalBeat.counters().tracesCompleted());
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
