package net.tracemesh.agent.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs external commands with {@link ProcessBuilder}, collecting stdout and stderr without deadlocking. */
public final class Commands {
    /** Generous bound for the short administrative commands the lab runs. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Output readers block on pipes, so they get their own daemon threads rather than the common pool. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "lab-command-output");
        thread.setDaemon(true);
        return thread;
    });

    private Commands() {
    }

    public static CommandResult run(List<String> command) {
        return run(command, null, DEFAULT_TIMEOUT);
    }

    public static CommandResult runChecked(List<String> command) {
        return run(command).requireSuccess();
    }

    /**
     * Runs {@code command}, feeding it {@code stdin} (may be null), and waits at most {@code timeout}.
     * A command that outlives the timeout is killed and reported as exit status -1.
     */
    public static CommandResult run(List<String> command, String stdin, Duration timeout) {
        return run(command, stdin, timeout, process -> { });
    }

    /**
     * Like {@link #run(List, String, Duration)}, calling {@code beforeKill} with the still running process when it
     * outlives the timeout (to ask it for a thread dump, say) before killing it.
     */
    public static CommandResult run(List<String> command, String stdin, Duration timeout,
                                    Consumer<Process> beforeKill) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new LabCommandException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The command exited without reading its input; its exit status tells the story.
        }
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                beforeKill.accept(process);
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new CommandResult(command, -1, settle(out),
                        "timed out after " + timeout.toMillis() + " ms\n" + settle(err));
            }
            return new CommandResult(command, process.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabCommandException("interrupted while running " + String.join(" ", command), e);
        } catch (ExecutionException e) {
            throw new LabCommandException("cannot read output of " + String.join(" ", command), e.getCause());
        }
    }

    /** What a killed process's stream reader got, waiting briefly for it to reach the end of the pipe. */
    private static String settle(CompletableFuture<String> output) {
        try {
            return output.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return output.getNow("");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return output.getNow("");
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream s = stream) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, READERS);
    }
}
