package net.tracemesh.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.tracemesh.agent.daemon.TopicReader.Received;
import net.tracemesh.agent.lab.MultiVantageLab;
import net.tracemesh.agent.lab.PipelineLab;
import net.tracemesh.agent.lab.PipelineLabExtension;
import net.tracemesh.measurement.DefinitionSigning;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurements defined once on the central definitions topic, signed with the central key, run on the agents they
 * select; bad definitions (bad JSON, unknown method, multicast target, over budget) produce error events and leave
 * the agent running its other measurements; unsigned, altered, foreign-signed and replayed records are ignored and
 * reported as {@code unverified_definition}; a signed deletion stops a measurement without a restart, and the old
 * definition written again afterwards does not bring it back.
 */
@ExtendWith(PipelineLabExtension.class)
class CentralDefinitionsTest {
    private static final String PREFIX = "central.";
    private static final KeyPair CENTRAL = DefinitionSigning.generateKeyPair();
    private static final KeyPair OTHER = DefinitionSigning.generateKeyPair();
    private static final List<String> FORGED = List.of("m-unsigned", "m-altered", "m-foreign");

    @Test
    void definitionsFromTheTopicRunWhereTheySelectAndBadOnesAreRefused(PipelineLab pipeline, @TempDir Path keys)
            throws IOException {
        pipeline.createTopics(PREFIX);
        MultiVantageLab lab = pipeline.lab();
        String bootstrap = pipeline.bootstrapServers();
        String safety = "max-probes-per-round: 5000";
        Path publicKey = keys.resolve(DefinitionSigning.PUBLIC_KEY_FILE);
        Files.writeString(publicKey, DefinitionSigning.publicKeyPem(CENTRAL.getPublic()));
        String trust = AgentYaml.definitions(publicKey);
        try (AgentDaemonProcess a = AgentDaemonProcess.start(lab.vantageA(), "central-a",
                AgentYaml.config("central-a", "Paris", PREFIX, bootstrap, 500, safety, "") + trust);
             AgentDaemonProcess b = AgentDaemonProcess.start(lab.vantageB(), "central-b",
                     AgentYaml.config("central-b", "Tokyo", PREFIX, bootstrap, 500, safety, "") + trust);
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            ProducerRecord<String, byte[]> onlyA = define(producer, "only-a", """
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

            // Records the agents cannot verify are ignored and reported: unsigned, altered after signing, signed by
            // another key.
            String forged = """
                    {"schema":1,"id":"%s","method":"icmp-paris","targets":["%s"],"interval_s":2,"jitter_s":0,
                     "agents":{"all":true},"trace":{"wait_ms":500}}""";
            send(producer, "m-unsigned", forged.formatted("m-unsigned", MultiVantageLab.DESTINATION), Map.of());
            String altered = forged.formatted("m-altered", MultiVantageLab.DESTINATION);
            send(producer, "m-altered", altered, DefinitionSigning.signedHeaders(CENTRAL, "m-altered",
                    altered.replace("icmp-paris", "udp-paris").getBytes(StandardCharsets.UTF_8)));
            String foreign = forged.formatted("m-foreign", MultiVantageLab.DESTINATION);
            send(producer, "m-foreign", foreign, DefinitionSigning.signedHeaders(OTHER, "m-foreign",
                    foreign.getBytes(StandardCharsets.UTF_8)));
            errors = TopicReader.awaitAll(bootstrap, PREFIX + Topics.ERRORS, AgentErrorMessage.class,
                    all -> unverified(all, "central-a").containsAll(FORGED)
                            && unverified(all, "central-b").containsAll(FORGED), Duration.ofSeconds(30));
            assertThat(unverified(errors, "central-a")).as(a.log()).containsAll(FORGED);
            assertThat(unverified(errors, "central-b")).as(b.log()).containsAll(FORGED);
            assertThat(errors).filteredOn(e -> e.message().kind().equals(DefinitionGate.KIND))
                    .anySatisfy(e -> assertThat(e.message().message()).contains("not signed"))
                    .anySatisfy(e -> assertThat(e.message().message()).contains("does not match"))
                    .anySatisfy(e -> assertThat(e.message().message()).contains("signed by key "
                            + DefinitionSigning.keyId(OTHER.getPublic())));

            // A signed deletion stops a measurement on its agent; its old definition written again (a replay) is
            // ignored and reported.
            send(producer, "only-a", null, DefinitionSigning.signedHeaders(CENTRAL, "only-a", null));
            producer.send(onlyA);
            producer.flush();
            errors = TopicReader.awaitAll(bootstrap, PREFIX + Topics.ERRORS, AgentErrorMessage.class,
                    all -> unverified(all, "central-a").contains("only-a"), Duration.ofSeconds(30));
            assertThat(errors).as(a.log()).anySatisfy(e -> {
                assertThat(e.message().agentId()).isEqualTo("central-a");
                assertThat(e.message().kind()).isEqualTo(DefinitionGate.KIND);
                assertThat(e.message().measurementId()).isEqualTo("only-a");
                assertThat(e.message().message()).contains("replayed");
            });
            Instant replayedAt = Instant.now();
            List<Received<HeartbeatMessage>> beats = TopicReader.awaitAll(bootstrap, PREFIX + Topics.HEARTBEATS,
                    HeartbeatMessage.class, all -> all.stream().anyMatch(h -> h.message().agentId().equals("central-a")
                            && h.message().time().isAfter(replayedAt) && h.message().measurements().isEmpty()),
                    Duration.ofSeconds(30));
            assertThat(beats).anyMatch(h -> h.message().agentId().equals("central-a")
                    && h.message().time().isAfter(replayedAt) && h.message().measurements().isEmpty());
            assertThat(beats).allSatisfy(h -> assertThat(h.message().measurements()).doesNotContainAnyElementsOf(
                    FORGED));
            assertThat(TopicReader.readAll(bootstrap, PREFIX + Topics.TRACES, TraceCompletionMessage.class))
                    .noneMatch(e -> FORGED.contains(e.message().measurementId()));
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

    /** Writes a definition signed with the central key; returns the record. */
    private static ProducerRecord<String, byte[]> define(KafkaProducer<String, byte[]> producer, String id,
                                                         String json) {
        return send(producer, id, json, DefinitionSigning.signedHeaders(CENTRAL, id,
                json.getBytes(StandardCharsets.UTF_8)));
    }

    private static ProducerRecord<String, byte[]> send(KafkaProducer<String, byte[]> producer, String id,
                                                       String json, Map<String, byte[]> headers) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(PREFIX + Topics.MEASUREMENTS, id,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
        headers.forEach(r.headers()::add);
        producer.send(r);
        producer.flush();
        return r;
    }

    /** Ids of the measurements an agent reported as unverified. */
    private static List<String> unverified(List<Received<AgentErrorMessage>> errors, String agent) {
        return errors.stream().filter(e -> e.message().agentId().equals(agent)
                && e.message().kind().equals(DefinitionGate.KIND)).map(e -> e.message().measurementId()).toList();
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
