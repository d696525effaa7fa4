package net.tracemesh.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single-machine mode starts a real broker with the platform's topics and a local agent that reports in. */
class PlatformMainTest {
    @TempDir
    Path dir;

    @Test
    void startsTheBrokerTheTopicsAndAnAgentThatProbesNothingUntilTold() throws Exception {
        PlatformMain.Options options = PlatformMain.Options.parse(List.of("standalone", "--data-dir",
                dir.toString(), "--kafka-port", Integer.toString(freePort())));
        try (PlatformMain.Platform platform = PlatformMain.Platform.start(options, Map.of())) {
            String bootstrap = platform.kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Set<String> names = admin.listTopics().names().get();
                for (Topics.Spec spec : Topics.ALL) {
                    assertThat(names).contains(spec.fullName(Topics.DEFAULT_PREFIX));
                }
                ConfigResource definitions = new ConfigResource(ConfigResource.Type.TOPIC,
                        Topics.DEFAULT_PREFIX + Topics.MEASUREMENTS);
                ConfigEntry policy = admin.describeConfigs(List.of(definitions)).all().get().get(definitions)
                        .get("cleanup.policy");
                assertThat(policy.value()).isEqualTo("compact");
            }
            HeartbeatMessage beat = firstHeartbeat(bootstrap);
            assertThat(beat.agentId()).isEqualTo(platform.agent.identity().id());
            assertThat(beat.measurements()).isEmpty();
            assertThat(beat.counters().probesSent()).isZero();
            assertThat(Files.readString(dir.resolve("agent").resolve("agent-id")).strip()).isEqualTo(beat.agentId());
        }
    }

    @Test
    void badCommandLinesAndConfigsAreOneClearLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(PlatformMain.run(List.of("--kafka-port", "70000"), out, errStream)).isEqualTo(2);
        assertThat(PlatformMain.run(List.of("--frobnicate"), out, errStream)).isEqualTo(2);
        assertThat(PlatformMain.run(List.of("--agent-config", dir.resolve("missing.yaml").toString()), out,
                errStream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "tracemesh: --kafka-port must be 1..65535, got 70000",
                "tracemesh: unknown option '--frobnicate' (see --help)",
                "tracemesh: cannot read agent config " + dir.resolve("missing.yaml"));
    }

    @Test
    void aBadAgentConfigStopsBeforeAnythingStarts() throws Exception {
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "probing:\n  rate: -5\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PlatformMain.run(List.of("--data-dir", dir.toString(), "--agent-config", config.toString(),
                        "--kafka-port", Integer.toString(freePort())),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tracemesh: ").contains("probing.rate");
        assertThat(dir.resolve("kafka")).doesNotExist();
    }

    private static HeartbeatMessage firstHeartbeat(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.DEFAULT_PREFIX + Topics.HEARTBEATS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(got::add);
            }
            assertThat(got).as("a heartbeat within a minute").isNotEmpty();
            return MessageJson.decode(got.get(0).value(), HeartbeatMessage.class);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
