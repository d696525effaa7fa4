package net.tracemesh.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.tracemesh.agent.config.AgentConfig;
import net.tracemesh.measurement.DefinitionSigning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's command line and the agent configs it writes; nothing here needs root. */
class DemoMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DemoMain.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void badCommandLinesAreOneLineAndStatusTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("sideways")).isEqualTo(2);
        assertThat(run("up", "--web-port", "0")).isEqualTo(2);
        assertThat(run("up", "--interval", "1")).isEqualTo(2);
        assertThat(run("down", "--web-port", "8080")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "tracemesh demo: expected 'up' or 'down' (see 'tracemesh demo --help')",
                "tracemesh demo: unknown command 'sideways' (expected up or down)",
                "tracemesh demo: --web-port must be 1..65535, got 0",
                "tracemesh demo: --interval must be 5..86400, got 1",
                "tracemesh demo: unknown option '--web-port' for down (expected --data-dir DIR)");
        assertThat(out.size()).isZero();
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("tracemesh demo up").contains("tracemesh demo down");
    }

    @Test
    void optionsHaveTheDocumentedDefaults() {
        DemoOptions up = DemoOptions.parse(List.of("up"));
        assertThat(up.up()).isTrue();
        assertThat(up.dataDir()).isEqualTo(Path.of("tracemesh-demo-data"));
        assertThat(up.webPort()).isEqualTo(8080);
        assertThat(up.webListen()).isEqualTo("127.0.0.1");
        assertThat(up.kafkaPort()).isZero();
        assertThat(up.intervalSeconds()).isEqualTo(30);
        assertThat(up.routeChangeAfter()).isEqualTo(120);
        DemoOptions set = DemoOptions.parse(List.of("up", "--data-dir", "/tmp/x", "--route-change-after", "0",
                "--kafka-port", "19092"));
        assertThat(set.routeChangeAfter()).isZero();
        assertThat(set.kafkaPort()).isEqualTo(19092);
        assertThat(DemoOptions.parse(List.of("down", "--data-dir", "/tmp/x")).up()).isFalse();
    }

    @Test
    void theAgentConfigsAreValidAgentYamlWithTheVantagePointsIdentityAndTheBroker(@TempDir Path dir)
            throws Exception {
        DemoTopology.Node b1 = DemoTopology.standard().node("b1");
        Path key = dir.resolve("key.pub.pem");
        Files.writeString(key, DefinitionSigning.publicKeyPem(DefinitionSigning.generateKeyPair().getPublic()));
        for (Optional<Path> definitionsKey : List.of(Optional.of(key), Optional.<Path>empty())) {
            String yaml = DemoAgents.agentYaml(b1, dir, "198.19.100.1:9092", definitionsKey);
            AgentConfig config = AgentConfig.fromYaml(yaml, Map.of());
            assertThat(config.agent().id()).isEqualTo("demo-b1");
            assertThat(config.agent().site()).isEqualTo("site B");
            assertThat(config.kafka().bootstrapServers()).isEqualTo("198.19.100.1:9092");
            assertThat(yaml).contains(definitionsKey.isPresent() ? "public-key: \"" + key : "accept-unsigned: true");
        }
    }
}
