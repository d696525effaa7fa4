package net.tracemesh.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import net.tracemesh.platform.PlatformMain;
import net.tracemesh.platform.demo.DemoTopology.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracemesh demo up} end to end, as a user runs it: a child JVM on this test's classpath builds the lab and
 * starts the platform and four agents; the web's API then reports the four agents online and a merged graph holding
 * every router of the lab (the backup router only after the route change); SIGTERM stops it and no namespace is
 * left. Needs root (network namespaces); skipped otherwise.
 */
class DemoEndToEndTest {
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration GRAPH = Duration.ofMinutes(5);
    private static final Duration STOP = Duration.ofMinutes(3);
    private static final int ROUTE_CHANGE_AFTER = 30;
    private static final int INTERVAL = 10;

    @TempDir
    Path dir;

    @Test
    void upStartsFourAgentsWhoseMergedGraphHoldsEveryRouterAndStoppingRemovesTheLab() throws Exception {
        String missing = DemoMain.missingRequirement();
        assumeTrue(missing == null, () -> "demo lab: " + missing);
        assumeTrue(DemoRun.runningDemo().isEmpty(), "a demo is running on this machine; it owns the tmdemo- names");
        Path dataDir = dir.resolve("data");
        Path log = dir.resolve("demo.log");
        int webPort = freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PlatformMain.class.getName(), "demo", "up",
                "--data-dir", dataDir.toString(), "--web-port", Integer.toString(webPort),
                "--interval", Integer.toString(INTERVAL), "--route-change-after", Integer.toString(ROUTE_CHANGE_AFTER));
        Process demo = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            DemoWebClient web = new DemoWebClient(URI.create("http://127.0.0.1:" + webPort + "/"));
            Path passwordFile = dataDir.resolve("web").resolve("admin-password");
            waitFor(START, demo, log, "the web answers and the admin logs in", () ->
                    Files.isReadable(passwordFile)
                            && web.login("admin", Files.readString(passwordFile).strip()).status() == 200);

            Set<String> online = new TreeSet<>();
            waitFor(START, demo, log, "four agents online", () -> {
                online.clear();
                for (JsonNode agent : web.get("/api/v1/agents").json().path("agents")) {
                    if (agent.path("online").asBoolean()) {
                        online.add(agent.path("agent_id").asText());
                    }
                }
                return online.size() >= 4;
            });
            assertThat(online).containsExactly("demo-a1", "demo-a2", "demo-b1", "demo-b2");

            DemoTopology lab = DemoTopology.standard();
            Set<String> missingRouters = new TreeSet<>();
            waitFor(GRAPH, demo, log, "every router of the lab in the merged graph", () -> {
                Set<String> addresses = new HashSet<>();
                for (JsonNode node : web.get("/api/v1/topology?limit=2000").json().path("nodes")) {
                    addresses.add(node.path("address").asText());
                }
                missingRouters.clear();
                for (Node router : lab.routers()) {
                    if (lab.addresses(router).stream().noneMatch(addresses::contains)) {
                        missingRouters.add(router.role());
                    }
                }
                return missingRouters.isEmpty();
            });
            assertThat(missingRouters).isEmpty();
            assertThat(Files.readString(log)).contains("route change at");

            demo.destroy();
            assertThat(demo.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)).as("demo stops on SIGTERM").isTrue();
            assertThat(DemoLab.namespaces()).as("namespaces left after the demo stopped").isEmpty();
            assertThat(Files.readString(log)).contains("the lab is removed");
        } finally {
            if (demo.isAlive()) {
                demo.destroyForcibly();
                demo.waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DemoMain.run(List.of("down", "--data-dir", dataDir.toString()),
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        }
        assertThat(DemoLab.namespaces()).isEmpty();
        assertThat(Shell.checked(List.of("ip", "-o", "link", "show")).stdout()).doesNotContain(DemoTopology.PREFIX);
    }

    @Test
    void downWithNothingToRemoveSaysSo() {
        String missing = DemoMain.missingRequirement();
        assumeTrue(missing == null, () -> "demo lab: " + missing);
        assumeTrue(DemoRun.runningDemo().isEmpty() && DemoLab.namespaces().isEmpty(),
                "a demo is running on this machine");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = DemoMain.run(List.of("down", "--data-dir", dir.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("nothing to remove");
    }

    /** A condition polled once a second; I/O errors count as "not yet". */
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitFor(Duration limit, Process demo, Path log, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            assertThat(demo.isAlive()).as("demo up ended early:%n%s", tail(log)).isTrue();
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IOException | DemoException e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no " + what + " within " + limit.toSeconds() + " s"
                + (last == null ? "" : " (last error: " + last + ")") + "; demo output:\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
