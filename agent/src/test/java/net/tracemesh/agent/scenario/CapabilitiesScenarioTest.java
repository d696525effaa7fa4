package net.tracemesh.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.tracemesh.agent.lab.Commands;
import net.tracemesh.agent.lab.Netns;
import net.tracemesh.agent.lab.NetnsLab;
import net.tracemesh.agent.lab.StaticRoutes;
import net.tracemesh.agent.scenario.TraceJson.Hop;
import net.tracemesh.agent.spool.Spool;
import net.tracemesh.agent.spool.SpoolEntry;
import net.tracemesh.record.RecordJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent as a non-root user holding CAP_NET_RAW and nothing else (uid 65534, no home, no groups, no new
 * privileges: what the systemd unit gives it), in a chain of its own: vp - r1 - r2 - dst. The vantage point's
 * neighbour cache is flushed before each run, so the agent also resolves its next hop with its own ARP request.
 * Without the capability the agent must stop with one line and exit status 2. Needs root (to build the lab and
 * to drop privileges) and setpriv; skipped otherwise.
 */
@Tag("netns")
@EnabledOnOs(OS.LINUX)
class CapabilitiesScenarioTest {
    private static final String PREFIX = "tmcaps-";
    private static final String VANTAGE = "198.18.110.2";
    private static final String R1 = "198.18.110.1";
    private static final String R2 = "198.18.111.2";
    private static final String DESTINATION = "198.18.112.2";
    /** Ground truth toward {@link #DESTINATION}: the responder at each TTL. */
    private static final Map<Integer, Set<String>> CHAIN = Map.of(1, Set.of(R1), 2, Set.of(R2), 3, Set.of(DESTINATION));
    /** CapEff / CapAmb of a process holding CAP_NET_RAW (bit 13) alone. */
    private static final String NET_RAW_ONLY = "0000000000002000";

    private static NetnsLab lab;
    private static Netns vantage;
    private static UnprivilegedAgent agent;

    @BeforeAll
    static void buildLab() {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        reason = UnprivilegedAgent.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        lab = NetnsLab.create(PREFIX);
        try {
            vantage = node("vp", false);
            Netns r1 = node("r1", true);
            Netns r2 = node("r2", true);
            Netns destination = node("dst", false);
            cable(r1, vantage, 110);
            cable(r1, r2, 111);
            cable(r2, destination, 112);
            StaticRoutes.install(lab, "198.18.0.0/15");
            agent = UnprivilegedAgent.create();
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() {
        try {
            if (agent != null) {
                agent.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    @BeforeEach
    void forgetNeighbours() {
        vantage.ip("neigh", "flush", "all");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"udp-paris", "icmp-paris", "tcp"})
    void tracesTheChainExactlyWithOnlyNetRaw(String method) {
        AgentRun run = agent.run(vantage, true, List.of(), "trace", "--json", "-w", "1", "-m", method, DESTINATION);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stderrLines()).as(run.describe()).isEmpty();
        TraceJson trace = run.singleTrace();
        assertThat(trace.src()).as(run.describe()).isEqualTo(VANTAGE);
        assertThat(trace.dst()).as(run.describe()).isEqualTo(DESTINATION);
        assertThat(trace.method()).as(run.describe()).isEqualTo(method);
        assertThat(trace.stopReason()).as(run.describe()).isEqualTo("completed");
        assertThat(trace.addressesByTtl()).as(run.describe()).isEqualTo(CHAIN);
        for (int ttl = 1; ttl <= 3; ttl++) {
            assertThat(trace.hopsAt(ttl)).as("TTL %d\n%s", ttl, run.describe())
                    .extracting(Hop::probe).containsExactly(0, 1, 2);
        }
    }

    @Test
    void pingsAsUid65534HoldingOnlyNetRaw() throws Exception {
        Path out = Files.createTempFile("tmcaps-ping-", ".out");
        Path err = Files.createTempFile("tmcaps-ping-", ".err");
        try {
            Process process = new ProcessBuilder(agent.command(vantage, true, List.of(),
                    "ping", "--json", "-c", "10", "-i", "0.2", DESTINATION))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            // ip netns exec, env and setpriv each exec the next: the process becomes the JVM itself.
            Map<String, String> status = javaStatus(process);
            assertThat(process.waitFor(UnprivilegedAgent.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            AgentRun run = new AgentRun(List.of("ping", DESTINATION), process.exitValue(),
                    Files.readString(out), Files.readString(err));

            assertThat(status).as("/proc status of the agent's JVM\n%s", run.describe())
                    .containsEntry("Uid", uids())
                    .containsEntry("Gid", uids())
                    .containsEntry("Groups", "")
                    .containsEntry("CapEff", NET_RAW_ONLY)
                    .containsEntry("CapPrm", NET_RAW_ONLY)
                    .containsEntry("CapAmb", NET_RAW_ONLY)
                    .containsEntry("CapBnd", NET_RAW_ONLY)
                    .containsEntry("NoNewPrivs", "1");
            assertThat(run.exitCode()).as(run.describe()).isZero();
            JsonNode ping = run.singlePing();
            assertThat(ping.path("src").asText()).as(run.describe()).isEqualTo(VANTAGE);
            assertThat(ping.path("sent").asInt()).as(run.describe()).isEqualTo(10);
            assertThat(ping.path("received").asInt()).as(run.describe()).isEqualTo(10);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void withoutNetRawStopsWithOneLineAndStatus2() {
        AgentRun run = agent.run(vantage, false, List.of(), "trace", "-w", "1", DESTINATION);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.stdoutLines()).as(run.describe()).isEmpty();
        assertThat(run.stderrLines()).as(run.describe()).containsExactly(
                "agent: no permission for raw capture on to-r1: run as root or grant CAP_NET_RAW");
    }

    @Test
    void anUnwritableTemporaryDirectoryIsNamedNotBlamedOnLibpcap() {
        // nobody's home does not exist, so JNA unpacks its native library into java.io.tmpdir.
        String readOnly = agent.readOnlyDirectory("read-only-tmp").toString();
        AgentRun run = agent.run(vantage, true, List.of("-Djava.io.tmpdir=" + readOnly),
                "trace", "-w", "1", DESTINATION);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        assertThat(run.stdoutLines()).as(run.describe()).isEmpty();
        Optional<String> agentLine = run.stderrLines().stream().filter(l -> l.startsWith("agent: ")).findFirst();
        assertThat(agentLine).as(run.describe()).hasValueSatisfying(line -> assertThat(line)
                .contains("JNA cannot load its native library", readOnly, "-Djna.tmpdir")
                .doesNotContain("libpcap"));
    }

    @Test
    void aWritableJnaTmpdirIsEnoughWhenJavaIoTmpdirIsNot() {
        String readOnly = agent.readOnlyDirectory("read-only-tmp").toString();
        String jna = agent.writableDirectory("jna").toString();
        AgentRun run = agent.run(vantage, true, List.of("-Djava.io.tmpdir=" + readOnly, "-Djna.tmpdir=" + jna),
                "trace", "--json", "-q", "1", "-w", "1", "-m", "icmp-paris", DESTINATION);

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.singleTrace().addressesByTtl()).as(run.describe())
                .isEqualTo(CHAIN);
    }

    /**
     * {@code run --config} as the systemd unit starts it: config readable, data directory owned by the agent user.
     * No broker answers (nothing listens on the vantage point's 127.0.0.1:9), so what the daemon publishes goes to
     * its spool, where the measurement's hops are read back after SIGTERM. One round and one heartbeat: with no
     * broker known at all, every send waits max.block.ms before the spool takes over, so the messages must be few.
     */
    @Test
    void theDaemonProbesAsUid65534AndKeepsItsStateInItsDataDirectory() throws Exception {
        Path dir = agent.readableDirectory("daemon");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Commands.runChecked(List.of("chown", UnprivilegedAgent.UID + ":" + UnprivilegedAgent.UID, data.toString()));
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, """
                agent:
                  data-dir: "%s"
                kafka:
                  bootstrap-servers: "127.0.0.1:9"
                  properties:
                    max.block.ms: "500"
                spool:
                  spool-after-s: 1
                heartbeat:
                  interval-s: 3600
                measurements:
                  - schema: 1
                    id: caps
                    method: icmp-paris
                    targets: ["%s"]
                    interval_s: 3600
                    jitter_s: 0
                    agents: {all: true}
                    trace: {wait_ms: 1000}
                """.formatted(data, DESTINATION));
        agent.makeReadable(config);
        Path log = dir.resolve("agent.log");
        Process process = new ProcessBuilder(agent.command(vantage, true, List.of(), "run", "--config",
                config.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // The round's records reach the spool while it runs, or at the latest when SIGTERM stops it.
            awaitSpooled(process, data.resolve("spool"), "\"type\":\"trace_end\"", UnprivilegedAgent.TIMEOUT);
            process.destroy();
            boolean stopped = process.waitFor(UnprivilegedAgent.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(stopped).as("stopped by SIGTERM\n%s", Files.readString(log)).isTrue();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isEqualTo(143);
        assertThat(output).contains("raw capture available");

        List<JsonNode> messages = new ArrayList<>();
        try (Spool spool = Spool.open(data.resolve("spool"), 1L << 30)) {
            for (SpoolEntry entry : spool.read(100_000)) {
                messages.add(RecordJson.mapper().readTree(entry.value()));
            }
        }
        JsonNode end = messages.stream().filter(m -> m.path("type").asText().equals("trace_end")).findFirst()
                .orElseThrow();
        assertThat(end.path("stop_reason").asText()).as(output).isEqualTo("completed");
        assertThat(end.path("src").asText()).isEqualTo(VANTAGE);
        Map<Integer, Set<String>> byTtl = new TreeMap<>();
        messages.stream().filter(m -> m.path("type").asText().equals("hop"))
                .filter(m -> m.path("trace_id").asText().equals(end.path("trace_id").asText()))
                .forEach(m -> byTtl.computeIfAbsent(m.path("hop").path("ttl").asInt(), t -> new HashSet<>())
                        .add(m.path("hop").path("addr").asText()));
        assertThat(byTtl).as(output).isEqualTo(CHAIN);
        assertThat(messages).filteredOn(m -> m.path("type").asText().equals("heartbeat"))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.path("capabilities").path("raw_capture").asBoolean()).isTrue());
        // The generated agent id is kept in the data directory, written by the agent user.
        Path idFile = data.resolve("agent-id");
        assertThat(Files.readString(idFile)).startsWith("agent-");
        assertThat(Files.getAttribute(idFile, "unix:uid")).isEqualTo(UnprivilegedAgent.UID);
    }

    /** Waits until a spool segment holds {@code marker} (true), or the process ends or {@code limit} passes. */
    private static boolean awaitSpooled(Process process, Path spool, String marker, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (Files.isDirectory(spool)) {
                try (Stream<Path> files = Files.list(spool)) {
                    for (Path segment : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".seg"))::iterator) {
                        if (new String(Files.readAllBytes(segment), StandardCharsets.ISO_8859_1).contains(marker)) {
                            return true;
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** "65534\t65534\t65534\t65534": real, effective, saved and file-system ids. */
    private static String uids() {
        String id = Integer.toString(UnprivilegedAgent.UID);
        return String.join("\t", id, id, id, id);
    }

    /**
     * The {@code /proc/<pid>/status} fields of {@code process} once it runs {@code java} (or of the first java
     * descendant, should a wrapper fork instead of exec); empty if it ended first.
     */
    private static Map<String, String> javaStatus(Process process) throws InterruptedException {
        while (process.isAlive()) {
            List<ProcessHandle> candidates = new ArrayList<>(List.of(process.toHandle()));
            process.descendants().forEach(candidates::add);
            for (ProcessHandle handle : candidates) {
                Map<String, String> status = status(handle.pid());
                if ("java".equals(status.get("Name"))) {
                    return status;
                }
            }
            Thread.sleep(20);
        }
        return Map.of();
    }

    private static Map<String, String> status(long pid) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the process is gone or changing: the caller looks again
        }
        return fields;
    }

    private static Netns node(String role, boolean router) {
        Netns n = lab.addNamespace(role);
        n.sysctls(Map.of(
                "net.ipv4.icmp_ratelimit", "0",
                "net.ipv4.icmp_msgs_per_sec", "100000",
                "net.ipv4.icmp_msgs_burst", "100000"));
        if (router) {
            n.forwarding(true);
        }
        return n;
    }

    /** {@code upper} gets 198.18.{third}.1/24 on {@code to-<lower>}, {@code lower} .2 on {@code to-<upper>}. */
    private static void cable(Netns upper, Netns lower, int third) {
        lab.link(upper, "to-" + lower.role(), lower, "to-" + upper.role());
        upper.address("to-" + lower.role(), "198.18." + third + ".1/24");
        lower.address("to-" + upper.role(), "198.18." + third + ".2/24");
    }
}
