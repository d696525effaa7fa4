package net.tracemesh.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import net.tracemesh.agent.daemon.TopicReader.Received;
import net.tracemesh.agent.lab.MultiVantageLab;
import net.tracemesh.agent.lab.PipelineLab;
import net.tracemesh.agent.lab.PipelineLabExtension;
import net.tracemesh.message.AgentErrorMessage;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measurements defined once on the central definitions topic run on the agents they select; bad definitions (bad
 * JSON, unknown method, multicast target, over budget) produce error events and leave the agent running its other
 * measurements; deletion stops a measurement without a restart.
 */
@ExtendWith(PipelineLabExtension.class)
class CentralDefinitionsTest {
    private static final String PREFIX = "central.";

    @Test
    void definitionsFromTheTopicRunWhereTheySelectAndBadOnesAreRefused(PipelineLab pipeline) {
        pipeline.createTopics(PREFIX);
        MultiVantageLab lab = pipeline.lab();
        String bootstrap = pipeline.bootstrapServers();
        String safety = "max-probes-per-round: 5000";
        try (AgentDaemonProcess a = AgentDaemonProcess.start(lab.vantageA(), "central-a",
                AgentYaml.config("central-a", "Paris", PREFIX, bootstrap, 500, safety, ""));
             AgentDaemonProcess b = AgentDaemonProcess.start(lab.vantageB(), "central-b",
                     AgentYaml.config("central-b", "Tokyo", PREFIX, bootstrap, 500, safety, ""));
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            define(producer, "only-a", """
                    {"schema":1,"id":"only-a","method":"icmp-paris","targets":["%s"],"interval_s":2,"jitter_s":0,
                     "agents":{"ids":["central-a"]},"trace":{"wait_ms":500}}""".formatted(MultiVantageLab.DESTINATION));
            define(producer, "by-label", """
                    {"schema":1,"id":"by-label","method":"udp-paris","targets":["%s"],"interval_s":2,"jitter_s":0,
                     "agents":{"labels":["Tokyo"]},"trace":{"wait_ms":500}}""".formatted(MultiVantageLab.DESTINATION));
            List<Received<TraceCompletionMessage>> ends = TopicReader.awaitAll(bootstrap, PREFIX + Topics.TRACES,
                    TraceCompletionMessage.class, all -> count(all, "central-a", "only-a") >= 2
                            && count(all, "central-b", "by-label") >= 2, Duration.ofSeconds(60));
            assertThat(count(ends, "central-a", "only-a")).as(a.log()).isGreaterThanOrEqualTo(2);
            assertThat(count(ends, "central-b", "by-label")).as(b.log()).isGreaterThanOrEqualTo(2);
            assertThat(count(ends, "central-b", "only-a")).isZero();
            assertThat(count(ends, "central-a", "by-label")).isZero();

            define(producer, "broken", "{\"schema\":1,\"id\":\"broken\",");
            define(producer, "m-unknown", """
                    {"schema":1,"id":"m-unknown","method":"sonar","targets":["%s"],"interval_s":2,
                     "agents":{"all":true}}""".formatted(MultiVantageLab.DESTINATION));
            define(producer, "m-mcast", """
                    {"schema":1,"id":"m-mcast","method":"icmp-paris","targets":["224.0.0.1"],"interval_s":2,
                     "agents":{"all":true}}""");
            define(producer, "m-big", """
                    {"schema":1,"id":"m-big","method":"udp","targets":["%s"],"interval_s":2,
                     "agents":{"all":true}}""".formatted(MultiVantageLab.BULK_PREFIX));
            Instant refusedAt = Instant.now();
            List<Received<AgentErrorMessage>> errors = TopicReader.awaitAll(bootstrap, PREFIX + Topics.ERRORS,
                    AgentErrorMessage.class, all -> kinds(all, "central-a").size() >= 4
                            && kinds(all, "central-b").size() >= 4, Duration.ofSeconds(30));
            assertThat(kinds(errors, "central-a")).as(a.log())
                    .contains("bad_json", "unknown_method", "forbidden_target", "over_budget");
            assertThat(errors).filteredOn(e -> e.message().agentId().equals("central-a"))
                    .anySatisfy(e -> assertThat(e.message().message()).contains("224.0.0.1"))
                    .anySatisfy(e -> assertThat(e.message().measurementId()).isEqualTo("m-big"));
            assertThat(kinds(errors, "central-b")).as(b.log())
                    .contains("bad_json", "unknown_method", "forbidden_target", "over_budget");

            // The good measurements keep running after the refusals.
            ends = TopicReader.awaitAll(bootstrap, PREFIX + Topics.TRACES, TraceCompletionMessage.class,
                    all -> all.stream().anyMatch(e -> e.message().measurementId().equals("only-a")
                            && e.message().roundStart().isAfter(refusedAt.plusSeconds(1))), Duration.ofSeconds(30));
            assertThat(ends).anyMatch(e -> e.message().measurementId().equals("only-a")
                    && e.message().roundStart().isAfter(refusedAt.plusSeconds(1)));
            assertThat(a.alive()).isTrue();

            // Deleting a measurement stops it on its agent.
            producer.send(new ProducerRecord<>(PREFIX + Topics.MEASUREMENTS, "only-a", null));
            producer.flush();
            Instant deletedAt = Instant.now();
            List<Received<HeartbeatMessage>> beats = TopicReader.awaitAll(bootstrap, PREFIX + Topics.HEARTBEATS,
                    HeartbeatMessage.class, all -> all.stream().anyMatch(h -> h.message().agentId().equals("central-a")
                            && h.message().time().isAfter(deletedAt) && h.message().measurements().isEmpty()),
                    Duration.ofSeconds(30));
            assertThat(beats).anyMatch(h -> h.message().agentId().equals("central-a")
                    && h.message().time().isAfter(deletedAt) && h.message().measurements().isEmpty());
            assertThat(a.stop()).as(a.log()).isEqualTo(AgentDaemonProcess.STOPPED_BY_SIGTERM);
            assertThat(b.stop()).as(b.log()).isEqualTo(AgentDaemonProcess.STOPPED_BY_SIGTERM);
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void define(KafkaProducer<String, byte[]> producer, String id, String json) {
        producer.send(new ProducerRecord<>(PREFIX + Topics.MEASUREMENTS, id, json.getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }

    private static long count(List<Received<TraceCompletionMessage>> ends, String agent, String measurement) {
        return ends.stream().filter(e -> e.message().agentId().equals(agent)
                && e.message().measurementId().equals(measurement)).count();
    }

    private static List<String> kinds(List<Received<AgentErrorMessage>> errors, String agent) {
        return errors.stream().filter(e -> e.message().agentId().equals(agent)).map(e -> e.message().kind())
                .distinct().toList();
    }
}
