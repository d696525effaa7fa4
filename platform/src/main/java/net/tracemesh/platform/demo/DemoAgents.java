package net.tracemesh.platform.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.tracemesh.platform.demo.DemoTopology.Node;

/**
 * One agent per vantage point, each a child process in its vantage namespace:
 * {@code ip netns exec tmdemo-<role> java -cp <this jar> net.tracemesh.agent.cli.AgentMain run --config
 * <data-dir>/agents/<role>/agent.yaml}, its output in {@code agent.log} and its process id in {@code agent.pid} beside
 * the config (so {@code demo down} finds agents a killed demo left).
 */
final class DemoAgents implements AutoCloseable {
    static final String AGENTS_DIR = "agents";
    static final String PID_FILE = "agent.pid";
    private static final String AGENT_MAIN = "net.tracemesh.agent.cli.AgentMain";
    /** The JVM settings the README recommends for the agent daemon: small, one GC thread. */
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx64m", "-Xss512k",
            "-XX:ReservedCodeCacheSize=24m", "-XX:CICompilerCount=2");
    private static final int HEARTBEAT_SECONDS = 10;
    private static final int PROBE_RATE = 200;

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> pidFiles = new ArrayList<>();
    private volatile boolean stopping;

    private DemoAgents() {
    }

    /**
     * Writes each vantage point's agent.yaml and starts its agent. {@code definitionsKey}, when present, is the web's
     * public signing key: the agents accept the central definitions it signs; without it they accept unsigned ones
     * (a lab setting; the agents log it). An agent that ends while the demo runs is reported on {@code err}.
     */
    static DemoAgents start(DemoTopology topology, Path dataDir, String bootstrapServers,
                            Optional<Path> definitionsKey, PrintStream err) {
        DemoAgents agents = new DemoAgents();
        try {
            for (Node v : topology.vantages()) {
                Path dir = dataDir.resolve(AGENTS_DIR).resolve(v.role()).toAbsolutePath();
                Files.createDirectories(dir);
                Path config = dir.resolve("agent.yaml");
                Files.writeString(config, agentYaml(v, dir, bootstrapServers, definitionsKey));
                List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", v.namespace(), javaCommand()));
                command.addAll(JVM_OPTIONS);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), AGENT_MAIN, "run", "--config",
                        config.toString()));
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("agent.log").toFile());
                // The demo's settings are in the file: no TRACEMESH_* variable of this shell may change them.
                builder.environment().keySet().removeIf(name -> name.startsWith("TRACEMESH_"));
                builder.environment().put("MALLOC_ARENA_MAX", "2");
                Process process = builder.start();
                agents.processes.add(process);
                Files.writeString(dir.resolve(PID_FILE), process.pid() + "\n");
                agents.pidFiles.add(dir.resolve(PID_FILE));
                process.onExit().thenAccept(p -> {
                    if (!agents.stopping) {
                        err.println("tracemesh demo: agent " + v.agentId() + " ended with status " + p.exitValue()
                                + "; see " + dir.resolve("agent.log"));
                    }
                });
            }
            return agents;
        } catch (IOException e) {
            agents.close();
            throw new DemoException("cannot start the agents: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            agents.close();
            throw e;
        }
    }

    /** The agent.yaml of vantage point {@code v}. */
    static String agentYaml(Node v, Path dir, String bootstrapServers, Optional<Path> definitionsKey) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# written by 'tracemesh demo up' for vantage point ").append(v.role()).append('\n')
                .append("agent:\n")
                .append("  id: ").append(v.agentId()).append('\n')
                .append("  site: \"").append(v.site()).append("\"\n")
                .append("  data-dir: \"").append(dir).append("\"\n")
                .append("probing:\n")
                .append("  rate: ").append(PROBE_RATE).append('\n')
                .append("kafka:\n")
                .append("  bootstrap-servers: \"").append(bootstrapServers).append("\"\n")
                .append("  security-protocol: PLAINTEXT\n")
                .append("heartbeat:\n")
                .append("  interval-s: ").append(HEARTBEAT_SECONDS).append('\n');
        yaml.append("definitions:\n");
        definitionsKey.ifPresentOrElse(
                key -> yaml.append("  public-key: \"").append(key.toAbsolutePath()).append("\"\n"),
                () -> yaml.append("  accept-unsigned: true\n"));
        return yaml.toString();
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Stops agents a demo left running (killed before it could stop them): the processes named in
     * {@code <data-dir>/agents/* /agent.pid} that still run the agent. Adds what it stopped to {@code report}.
     */
    static void stopLeftovers(Path dataDir, List<String> report) {
        Path agentsDir = dataDir.resolve(AGENTS_DIR);
        if (!Files.isDirectory(agentsDir)) {
            return;
        }
        List<ProcessHandle> leftovers = new ArrayList<>();
        try (var dirs = Files.list(agentsDir)) {
            for (Path dir : dirs.toList()) {
                Path pidFile = dir.resolve(PID_FILE);
                readPid(pidFile).flatMap(ProcessHandle::of)
                        .filter(p -> p.info().commandLine().orElse("").contains(AGENT_MAIN))
                        .ifPresent(leftovers::add);
                Files.deleteIfExists(pidFile);
            }
        } catch (IOException e) {
            report.add("could not read " + agentsDir + ": " + e.getMessage());
        }
        DemoLab.stop(leftovers, report);
    }

    static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Asks every agent to stop (SIGTERM: they finish or spool what is in flight) without waiting. */
    void requestStop() {
        stopping = true;
        processes.forEach(Process::destroy);
    }

    /** Stops every agent, killing those that do not end in time, and deletes their pid files. */
    @Override
    public void close() {
        stopping = true;
        List<ProcessHandle> handles = processes.stream().map(Process::toHandle).toList();
        DemoLab.stop(handles, new ArrayList<>());
        for (Path pidFile : pidFiles) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // stale pid files are checked against the process's command line before use
            }
        }
    }
}
