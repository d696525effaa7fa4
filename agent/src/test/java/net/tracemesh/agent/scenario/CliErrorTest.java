package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.tracemesh.agent.lab.Netns;
import net.tracemesh.agent.lab.NetnsLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Usage errors: exit status 2, exactly one stderr line starting with "agent: ", no stack trace, nothing on stdout.
 * These need no lab; when namespaces are available they still run inside an empty one (loopback only), so that
 * whatever the agent does with a bad argument (a name lookup, say) cannot leave this machine.
 */
class CliErrorTest {
    @TempDir
    static Path temp;

    private static NetnsLab sandboxLab;
    private static Netns sandbox;

    @BeforeAll
    static void sandbox() {
        if (NetnsLab.unavailableReason() == null) {
            sandboxLab = NetnsLab.create();
            sandbox = sandboxLab.addNamespace("cli");
        }
    }

    @AfterAll
    static void closeSandbox() {
        if (sandboxLab != null) {
            sandboxLab.close();
        }
    }

    static Stream<Arguments> usageErrors() throws IOException {
        Path badLine = Files.writeString(temp.resolve("bad-targets.txt"), "198.18.19.2\n198.18.1.300\n");
        return Stream.of(
                Arguments.of("unknown command", List.of("frobnicate")),
                Arguments.of("unknown option", List.of("trace", "--frobnicate", "198.18.19.2")),
                Arguments.of("unknown method", List.of("trace", "-m", "carrier-pigeon", "198.18.19.2")),
                Arguments.of("first TTL 0", List.of("trace", "-f", "0", "198.18.19.2")),
                Arguments.of("max TTL 256", List.of("trace", "-M", "256", "198.18.19.2")),
                Arguments.of("ping TTL 0", List.of("ping", "-t", "0", "198.18.19.2")),
                Arguments.of("ping TTL 256", List.of("ping", "-t", "256", "198.18.19.2")),
                Arguments.of("octet over 255", List.of("trace", "198.18.1.300")),
                Arguments.of("empty octet", List.of("trace", "198.18..1")),
                Arguments.of("five octets", List.of("ping", "198.18.1.1.1")),
                Arguments.of("negative rate", List.of("trace", "--rate", "-5", "198.18.19.2")),
                Arguments.of("rate not a number", List.of("trace", "--rate", "fast", "198.18.19.2")),
                Arguments.of("no target", List.of("trace", "--json")),
                Arguments.of("missing target file",
                        List.of("trace", "--targets", temp.resolve("no-such-file.txt").toString())),
                Arguments.of("target file is a directory", List.of("trace", "--targets", temp.toString())),
                Arguments.of("bad address in target file", List.of("trace", "--targets", badLine.toString())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageErrorExitsWith2AndOneAgentLine(String description, List<String> args) {
        AgentRun run = run(args);
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.stderrLines()).as(run.describe()).hasSize(1);
        assertThat(run.stderrLines().get(0)).as(run.describe()).startsWith("agent: ");
        assertThat(run.stderr()).as("no stack trace\n%s", run.describe())
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.stdout()).as(run.describe()).isEmpty();
    }

    private static AgentRun run(List<String> args) {
        String[] array = args.toArray(String[]::new);
        return sandbox != null ? AgentCli.in(sandbox, array) : AgentCli.direct(array);
    }
}
