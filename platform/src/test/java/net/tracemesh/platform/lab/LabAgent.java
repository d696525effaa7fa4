package net.tracemesh.platform.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.tracemesh.agent.lab.Netns;

/**
 * An agent daemon ({@code agent run --config FILE}) running as its own process inside a lab namespace, with its
 * config written from {@link #config} and its output kept in a log file for assertion messages. {@link #stop()}
 * stops it the way an operator does: SIGTERM, then waiting for its shutdown.
 */
final class LabAgent implements AutoCloseable {
    /** How long a stopping agent gets to flush its spool and close before it is killed. */
    private static final long STOP_WAIT_SECONDS = 60;
    private static final String AGENT_MAIN = "net.tracemesh.agent.cli.AgentMain";
    /** Placeholder in {@link #config} for the agent's own data directory. */
    static final String DATA_DIR = "@DATA@";

    private final String id;
    private final Process process;
    private final Path dir;
    private final Path log;

    private LabAgent(String id, Process process, Path dir, Path log) {
        this.id = id;
        this.process = process;
        this.dir = dir;
        this.log = log;
    }

    /** Starts agent {@code id} inside {@code netns} with config {@code yaml}. */
    static LabAgent start(Netns netns, String id, String yaml) {
        try {
            Path dir = Files.createTempDirectory("tracemesh-lab-agent-" + id + "-");
            Path config = dir.resolve("agent.yaml");
            Files.writeString(config, yaml.replace(DATA_DIR, dir.resolve("data").toString()),
                    StandardCharsets.UTF_8);
            Path log = dir.resolve("agent.log");
            List<String> command = new ArrayList<>(netns.wrap(List.of(ChildClasspath.javaLauncher(),
                    "-XX:+UseSerialGC", "-Xmx128m", "-cp", ChildClasspath.get(), AGENT_MAIN, "run", "--config",
                    config.toString())));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new LabAgent(id, p, dir, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start agent " + id, e);
        }
    }

    /**
     * An agent config: identity, a probing rate, the broker and topic prefix, a short heartbeat and spool delay, and
     * {@code measurements} (YAML list items, see {@link #trace}).
     */
    static String config(String id, String bootstrap, String topicPrefix, int rate, List<String> measurements) {
        StringBuilder list = new StringBuilder();
        for (String m : measurements) {
            m.lines().forEach(line -> list.append("  ").append(line).append('\n'));
        }
        return """
                agent:
                  id: %s
                  site: "lab %s"
                  data-dir: "%s"
                probing:
                  rate: %d
                safety:
                  max-targets: 65536
                kafka:
                  bootstrap-servers: "%s"
                  topic-prefix: "%s"
                spool:
                  spool-after-s: 2
                heartbeat:
                  interval-s: 1
                measurements:
                %s""".formatted(id, id, DATA_DIR, rate, bootstrap, topicPrefix, list);
    }

    /** A trace measurement run by every agent toward {@code targets}, every {@code intervalSeconds}, no jitter. */
    static String trace(String id, String method, int intervalSeconds, List<String> targets, String traceSettings) {
        String quoted = String.join(", ", targets.stream().map(t -> "\"" + t + "\"").toList());
        return """
                - schema: 1
                  id: %s
                  method: %s
                  targets: [%s]
                  interval_s: %d
                  jitter_s: 0
                  agents: {all: true}
                  trace: {%s}
                """.formatted(id, method, quoted, intervalSeconds, traceSettings);
    }

    /** SIGTERM, then waits for the agent's shutdown; returns its exit status, or -1 if it had to be killed. */
    int stop() {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        try {
            if (process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    /** Everything the agent printed so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the agent and deletes its config, data and log. */
    @Override
    public void close() {
        stop();
        ChildClasspath.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "agent " + id;
    }
}
