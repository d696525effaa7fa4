package net.tracemesh.agent.scenario;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.tracemesh.agent.lab.CommandResult;
import net.tracemesh.agent.lab.Commands;
import net.tracemesh.agent.lab.Netns;
import net.tracemesh.agent.lab.ScenarioLab;

/**
 * Runs the agent's command line ({@code net.tracemesh.agent.cli.AgentMain}) as a subprocess with this JVM's java and
 * test classpath (which holds the agent classes and their dependencies), either inside the lab's vantage
 * namespace or directly (for usage errors, which need no network).
 *
 * <p>An agent that does not exit within {@link #TIMEOUT} is asked for a thread dump (SIGQUIT), killed, and the
 * test fails with the dump's agent threads. After {@value #MAX_HANGS} such hangs, later runs fail at once instead of
 * each waiting out the timeout, which keeps a broken agent from stretching the suite to an hour.
 */
final class AgentCli {
    static final String MAIN_CLASS = "net.tracemesh.agent.cli.AgentMain";
    /** Upper bound for one agent run; the slowest scenario (gap limit with retries, -w 1) needs a few seconds. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_HANGS = 2;

    private static final AtomicInteger HANGS = new AtomicInteger();

    private AgentCli() {
    }

    /** {@code ip netns exec <vantage> java -cp ... AgentMain <args>}. */
    static AgentRun inVantage(ScenarioLab lab, String... args) {
        return in(lab.vantage(), args);
    }

    /** {@code ip netns exec <netns> java -cp ... AgentMain <args>}. */
    static AgentRun in(Netns netns, String... args) {
        failFastAfterHangs(args);
        return toRun(args, netns.exec(javaCommand(args), TIMEOUT, AgentCli::requestThreadDump));
    }

    /** {@code java -cp ... AgentMain <args>} in this process's own namespace. */
    static AgentRun direct(String... args) {
        failFastAfterHangs(args);
        return toRun(args, Commands.run(javaCommand(args), null, TIMEOUT, AgentCli::requestThreadDump));
    }

    /** {@code trace --json -w 1 <args>} in the vantage namespace: the scenario tests' usual call. */
    static AgentRun traceJson(ScenarioLab lab, String... args) {
        List<String> all = new ArrayList<>(List.of("trace", "--json", "-w", "1"));
        all.addAll(Arrays.asList(args));
        return inVantage(lab, all.toArray(String[]::new));
    }

    /** {@code trace -w 1 <args>} (text output) in the vantage namespace. */
    static AgentRun traceText(ScenarioLab lab, String... args) {
        List<String> all = new ArrayList<>(List.of("trace", "-w", "1"));
        all.addAll(Arrays.asList(args));
        return inVantage(lab, all.toArray(String[]::new));
    }

    private static void failFastAfterHangs(String[] args) {
        if (HANGS.get() >= MAX_HANGS) {
            throw new AssertionError("not run: the agent already hung " + HANGS.get() + " times in this test run"
                    + " (see the first failures): agent " + String.join(" ", args));
        }
    }

    private static AgentRun toRun(String[] args, CommandResult result) {
        if (result.exitCode() == -1) {
            HANGS.incrementAndGet();
            throw new AssertionError("agent did not exit within " + TIMEOUT.toSeconds() + " s: agent "
                    + String.join(" ", args) + "\n  stdout before the hang:\n" + outputBeforeDump(result.stdout())
                    + "  agent threads at the timeout:\n" + agentThreads(result.stdout())
                    + "  stderr:\n" + result.stderr());
        }
        return new AgentRun(Arrays.asList(args), result.exitCode(), result.stdout(), result.stderr());
    }

    /** SIGQUIT makes a JVM print all thread stacks to its stdout without stopping. */
    private static void requestThreadDump(Process process) {
        Commands.run(List.of("kill", "-QUIT", Long.toString(process.pid())));
        try {
            Thread.sleep(700);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String outputBeforeDump(String stdout) {
        int dump = stdout.indexOf("Full thread dump");
        String before = dump < 0 ? stdout : stdout.substring(0, stdout.lastIndexOf('\n', dump) + 1);
        StringBuilder out = new StringBuilder();
        before.lines().forEach(line -> out.append("    ").append(line).append('\n'));
        return out.toString();
    }

    /** The stacks of the threads that matter in a JVM thread dump: main and the agent's own (tracemesh-*). */
    static String agentThreads(String dump) {
        StringBuilder out = new StringBuilder();
        boolean keep = false;
        for (String line : dump.split("\n")) {
            if (line.startsWith("\"")) {
                keep = line.startsWith("\"main\"") || line.startsWith("\"tracemesh");
            } else if (line.isBlank()) {
                if (keep) {
                    out.append('\n');
                }
                keep = false;
            }
            if (keep) {
                out.append("    ").append(line).append('\n');
            }
        }
        return out.length() == 0 ? "    (no thread dump)\n" : out.toString();
    }

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        // Short-lived CLI runs: skip the optimising compiler, start fast.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(AgentClasspath.get());
        command.add(MAIN_CLASS);
        command.addAll(Arrays.asList(args));
        return command;
    }
}
