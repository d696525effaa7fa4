package net.tracemesh.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerMainTest {
    /** Exit status of a JVM ended by SIGTERM (128 + 15). */
    private static final int EXIT_SIGTERM = 143;
    private static final Pattern LISTENING = Pattern.compile("tracemesh broker listening on (127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path tmp;

    @Test
    void parsesEveryOptionInBothForms() {
        BrokerMain.Options o = BrokerMain.parse(new String[] {
            "--data-dir", "/srv/kafka", "--port=9999", "--listen", "0.0.0.0", "--advertise=broker.lan"});
        assertThat(o).isEqualTo(new BrokerMain.Options(Path.of("/srv/kafka"), 9999, "0.0.0.0", "broker.lan"));
        assertThat(o.builder().build().bootstrapServers()).isEqualTo("broker.lan:9999");
    }

    @Test
    void defaultsToKafkasPortOnLoopback() {
        BrokerMain.Options o = BrokerMain.parse(new String[] {"--data-dir", "d"});
        assertThat(o).isEqualTo(new BrokerMain.Options(Path.of("d"), BrokerMain.DEFAULT_PORT, null, null));
        assertThat(o.builder().build().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void parsesTheSecurityOptions() {
        BrokerMain.Options o = BrokerMain.parse(new String[] {"--data-dir", "d", "--secure", "--tls-hostname",
            "broker.lan", "--tls-hostname=198.18.0.1"});
        assertThat(o).isEqualTo(new BrokerMain.Options(Path.of("d"), BrokerMain.DEFAULT_PORT, null, null, true,
                java.util.List.of("broker.lan", "198.18.0.1")));
        assertThat(o.builder().build().secured()).isTrue();
        assertBad("--tls-hostname needs --secure", "--data-dir", "d", "--tls-hostname", "x");
    }

    @Test
    void refusesBadArgumentsNamingThem() {
        assertBad("--data-dir is required", "--port", "1");
        assertBad("--data-dir needs a value", "--data-dir");
        assertBad("--data-dir needs a value", "--data-dir", "--port", "1");
        assertBad("--port must be a number, got 'abc'", "--data-dir", "d", "--port", "abc");
        assertBad("--port must be 0..65535, got 70000", "--data-dir", "d", "--port", "70000");
        assertBad("--port must be 0..65535, got -1", "--data-dir", "d", "--port", "-1");
        assertBad("unknown argument '--verbose'", "--data-dir", "d", "--verbose");
        assertBad("unknown argument 'extra'", "--data-dir", "d", "extra");
        assertBad("--advertise must be an address clients can reach, not 0.0.0.0",
                "--data-dir", "d", "--advertise", "0.0.0.0");
    }

    @Test
    void badArgumentsExitWithStatus2AndOneLineOnStderr() throws Exception {
        Process process = javaBrokerMain("--data-dir", tmp.toString(), "--port", "abc");
        CompletableFuture<List<String>> stderr = lines(process.getErrorStream());
        CompletableFuture<List<String>> stdout = lines(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(BrokerMain.EXIT_USAGE);
        assertThat(stdout.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(stderr.get(10, TimeUnit.SECONDS)).singleElement().asString()
                .startsWith("tracemesh broker: --port must be a number");
    }

    /** A real broker process: prints its address, serves clients, and shuts down cleanly on SIGTERM. */
    @Test
    void runsUntilSigtermAndShutsDownCleanly() throws Exception {
        Path dataDir = tmp.resolve("broker");
        Process process = javaBrokerMain("--data-dir", dataDir.toString(), "--port", "0");
        CompletableFuture<List<String>> stderr = lines(process.getErrorStream());
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(120, TimeUnit.SECONDS);
            assertThat(line).as("first stdout line; stderr: %s", stderr.getNow(List.of())).matches(LISTENING);
            Matcher m = LISTENING.matcher(line);
            assertThat(m.matches()).isTrue();
            assertThat(TestClients.clusterId(m.group(1))).isNotBlank();

            process.destroy(); // SIGTERM; also closes our ends of the process's streams
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(EXIT_SIGTERM);
        } finally {
            process.destroyForcibly();
        }
        // Kafka writes this marker only when its log manager shut down cleanly
        assertThat(dataDir.resolve(EmbeddedKafka.LOG_DIR_NAME).resolve(".kafka_cleanshutdown")).exists();
    }

    private static void assertBad(String message, String... args) {
        assertThatThrownBy(() -> BrokerMain.parse(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static Process javaBrokerMain(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                BrokerMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static CompletableFuture<List<String>> lines(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                return r.lines().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
