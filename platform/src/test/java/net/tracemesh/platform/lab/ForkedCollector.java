package net.tracemesh.platform.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.tracemesh.agent.scenario.AgentClasspath;

/**
 * One run of {@link CollectorProcess} in a child JVM: started with this JVM's class path, its output kept for
 * messages and its progress lines parsed. {@link #kill()} is SIGKILL (nothing of the collector runs after it);
 * {@link #stop()} is SIGTERM (the collector commits and closes its store).
 */
final class ForkedCollector implements AutoCloseable {
    /** What a JVM ended by SIGTERM after running its shutdown hooks exits with (128 + 15). */
    static final int STOPPED_BY_SIGTERM = 143;
    /** What a process killed by SIGKILL reports (128 + 9). */
    static final int KILLED_BY_SIGKILL = 137;
    private static final long STOP_WAIT_SECONDS = 60;

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private volatile long tracesApplied;

    private ForkedCollector(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "forked-collector-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a collector on the embedded store in {@code dataDir}, consuming in {@code groupId}. */
    static ForkedCollector start(Path dataDir, String bootstrap, String topicPrefix, String groupId) {
        List<String> command = List.of(AgentClasspath.javaLauncher(), "-XX:+UseSerialGC", "-Xmx256m", "-cp",
                AgentClasspath.get(), CollectorProcess.class.getName(), dataDir.toString(), bootstrap, topicPrefix,
                groupId);
        try {
            return new ForkedCollector(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a collector process", e);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(CollectorProcess.STATS_LINE + " ")) {
                    // stats <recordsRead> <tracesApplied> <tracesAlreadyApplied> <duplicateMessages>
                    tracesApplied = Long.parseLong(line.split(" ")[2]);
                } else {
                    output.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            output.append("(output unreadable: ").append(e.getMessage()).append(")\n");
        }
    }

    /**
     * Waits until this run has applied at least {@code traces} traces to its store; false if the wait ended first or
     * the process died.
     */
    boolean awaitApplied(long traces, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (tracesApplied < traces && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return tracesApplied >= traces;
    }

    /** Traces this run applied, as last reported. */
    long tracesApplied() {
        return tracesApplied;
    }

    /** SIGKILL, then waits for the process to be gone; returns its exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** SIGTERM, then waits for the collector's orderly shutdown; returns its exit status (-1 if it had to be killed). */
    int stop() throws InterruptedException {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        if (process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    /** What the process printed besides its progress lines. */
    String log() {
        return output.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
