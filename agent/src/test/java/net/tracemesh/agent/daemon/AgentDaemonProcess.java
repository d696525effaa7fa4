package net.tracemesh.agent.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.tracemesh.agent.lab.Netns;
import net.tracemesh.agent.scenario.AgentClasspath;

/**
 * An agent daemon ({@code agent run --config FILE}) running as a real process inside a lab namespace, stopped
 * the way an operator stops it: SIGTERM. Its config, data and log (kept for assertion messages) live in a
 * temporary directory that {@link #close()} deletes.
 */
public final class AgentDaemonProcess implements AutoCloseable {
    /** What a JVM that ended on SIGTERM after running its shutdown hooks exits with (128 + 15). */
    public static final int STOPPED_BY_SIGTERM = 143;
    /** How long a stopping agent gets to flush its spool and close before it is killed. */
    private static final long STOP_WAIT_SECONDS = 60;

    private final String name;
    private final Process process;
    /** Holds the config, the data directory and the log. */
    private final Path dir;

    private AgentDaemonProcess(String name, Process process, Path dir) {
        this.name = name;
        this.process = process;
        this.dir = dir;
    }

    /**
     * Writes {@code yaml} to a config file ({@value AgentYaml#DATA_DIR} replaced by the agent's own data directory)
     * and starts {@code agent run} with it inside {@code netns}.
     */
    public static AgentDaemonProcess start(Netns netns, String name, String yaml) {
        try {
            Path dir = Files.createTempDirectory("tracemesh-daemon-" + name + "-");
            Path config = dir.resolve("agent.yaml");
            Files.writeString(config, yaml.replace(AgentYaml.DATA_DIR, dir.resolve("data").toString()),
                    StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(netns.wrap(List.of(AgentClasspath.javaLauncher(),
                    "-XX:+UseSerialGC", "-Xmx128m", "-cp", AgentClasspath.get(), "net.tracemesh.agent.cli.AgentMain",
                    "run", "--config", config.toString())));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log(dir).toFile()).start();
            return new AgentDaemonProcess(name, p, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start agent " + name, e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * SIGTERM, then waits for the agent to finish its shutdown; returns the exit status: {@link #STOPPED_BY_SIGTERM}
     * for a clean stop, -1 if it had to be killed.
     */
    public int stop() {
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
    public String log() {
        try {
            return Files.readString(log(dir), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path log(Path dir) {
        return dir.resolve("agent.log");
    }

    /** Stops the agent and deletes its config, data and log. */
    @Override
    public void close() {
        stop();
        AgentClasspath.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "agent " + name;
    }
}
