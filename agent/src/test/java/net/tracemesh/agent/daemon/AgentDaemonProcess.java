package net.tracemesh.agent.daemon;

import java.io.File;
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
 * the way an operator stops it: SIGTERM. Its log is kept in a file for assertion messages.
 */
final class AgentDaemonProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String name;

    private AgentDaemonProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Writes {@code yaml} to a config file and starts {@code agent run} with it inside {@code netns}. */
    static AgentDaemonProcess start(Netns netns, String name, String yaml) {
        try {
            Path dir = Files.createTempDirectory("tracemesh-daemon-" + name + "-");
            Path config = dir.resolve("agent.yaml");
            Files.writeString(config, yaml.replace("@DATA@", dir.resolve("data").toString()),
                    StandardCharsets.UTF_8);
            Path log = dir.resolve("agent.log");
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns.name()));
            command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            command.addAll(List.of("-XX:+UseSerialGC", "-Xmx128m", "-cp", AgentClasspath.get(),
                    "net.tracemesh.agent.cli.AgentMain", "run", "--config", config.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new AgentDaemonProcess(name, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** What a JVM that ended on SIGTERM after running its shutdown hooks exits with (128 + 15). */
    static final int STOPPED_BY_SIGTERM = 143;

    /**
     * SIGTERM, then waits for the agent to finish its shutdown; returns the exit status: {@link #STOPPED_BY_SIGTERM}
     * for a clean stop, -1 if it had to be killed.
     */
    int stop() {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        try {
            if (process.waitFor(60, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "agent " + name;
    }
}
