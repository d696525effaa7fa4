package net.tracemesh.agent.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The agent's command line: {@code trace}, {@code ping}, {@code run}. */
public final class AgentMain {
    static final String VERSION = "tracemesh agent " + net.tracemesh.agent.daemon.AgentVersion.NUMBER;
    private static final String USAGE = """
            usage: agent <command> [options]
              trace   trace the path to one or many targets (udp, udp-paris, icmp-paris, tcp)
              ping    ICMP echo toward a target
              run     run the agent daemon (scheduled measurements, results to Kafka)
              version print the version
            Run 'agent <command> --help' for a command's options.""";

    private AgentMain() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err, System.in));
    }

    /** Runs a command; returns the exit status (2 for user errors, printed as one line). */
    static int run(List<String> args, PrintStream out, PrintStream err, InputStream in) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            if (rest.contains("--help") || rest.contains("-h")) {
                out.println(switch (command) {
                    case "trace" -> TraceCommand.USAGE;
                    case "ping" -> PingCommand.USAGE;
                    case "run" -> RunCommand.USAGE;
                    default -> USAGE;
                });
                return 0;
            }
            return switch (command) {
                case "trace" -> TraceCommand.run(rest, out, err, in);
                case "ping" -> PingCommand.run(rest, out, err, in);
                case "run" -> RunCommand.run(rest, out, err);
                case "version", "--version" -> {
                    out.println(VERSION);
                    yield 0;
                }
                case "help", "--help", "-h" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + command + "' (expected trace, ping or run)");
            };
        } catch (UsageException e) {
            err.println("agent: " + e.getMessage());
            return 2;
        }
    }
}
