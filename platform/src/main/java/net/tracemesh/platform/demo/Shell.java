package net.tracemesh.platform.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the system commands the demo needs ({@code ip}, {@code sysctl}, {@code iptables}) and reads their output. */
final class Shell {
    private static final long TIMEOUT_SECONDS = 30;

    private Shell() {
    }

    /** What a command printed and how it ended. */
    record Result(List<String> command, int status, String stdout, String stderr) {
        boolean succeeded() {
            return status == 0;
        }

        Result requireSuccess() {
            if (!succeeded()) {
                throw new DemoException("'" + String.join(" ", command) + "' failed (status " + status + "): "
                        + stderr.strip());
            }
            return this;
        }
    }

    /** Runs {@code command}; a command that cannot start or does not end in time is an exception. */
    static Result run(List<String> command) {
        return run(command, null);
    }

    /** Runs {@code command} with {@code input} (when not null) on its standard input. */
    static Result run(List<String> command, String input) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new DemoException("cannot run '" + command.get(0) + "': " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DemoException("'" + String.join(" ", command) + "' did not end within " + TIMEOUT_SECONDS
                        + " s");
            }
            return new Result(List.copyOf(command), process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new DemoException("cannot talk to '" + command.get(0) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new DemoException("interrupted while running '" + command.get(0) + "'", e);
        }
    }

    /** Runs {@code command} and throws unless it succeeded. */
    static Result checked(List<String> command) {
        return run(command).requireSuccess();
    }

    /** {@code command} run inside namespace {@code namespace}. */
    static List<String> in(String namespace, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        wrapped.addAll(command);
        return wrapped;
    }

    /** True when {@code program} is an executable file in a directory of the {@code PATH}, where it is run from. */
    static boolean onPath(String program) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream().filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, program)).anyMatch(Files::isExecutable);
    }

    /** The effective user id of this process, from {@code /proc/self/status}; -1 when it cannot be read. */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
