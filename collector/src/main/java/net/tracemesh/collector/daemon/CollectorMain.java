package net.tracemesh.collector.daemon;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The collector's command line, {@code java -jar collector/target/collector.jar <command>}: {@code run} (the
 * daemon) and {@code export} (the graph, or part of it, as DOT, GraphML or JSON).
 */
public final class CollectorMain {
    /** Exit status of a mistake in the command line or the configuration. */
    static final int USAGE_ERROR = 2;
    /** Exit status of a failure while running: the store or Kafka. */
    static final int FAILED = 1;
    static final String USAGE = """
            usage: collector <command> [options]
              run      run the collector daemon: hop records from Kafka into the store, with retention
              export   write the topology graph, or a part of it, as DOT, GraphML or JSON
            Run 'collector <command> --help' for a command's options.""";

    private CollectorMain() {
    }

    public static void main(String[] args) {
        int status = run(Arrays.asList(args), System.out, System.err, System.getenv());
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs one command.
     *
     * @return the exit status: 0, {@value #FAILED} when the store or Kafka failed, {@value #USAGE_ERROR} for a
     *         mistake of the user's (printed as one line)
     */
    static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> environment) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return USAGE_ERROR;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            if (rest.contains("--help") || rest.contains("-h")) {
                out.println(switch (command) {
                    case "run" -> RunCommand.USAGE;
                    case "export" -> ExportCommand.USAGE;
                    default -> USAGE;
                });
                return 0;
            }
            return switch (command) {
                case "run" -> RunCommand.run(rest, err, environment);
                case "export" -> ExportCommand.run(rest, out, err, environment);
                case "help", "--help", "-h" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + command + "' (expected run or export)");
            };
        } catch (UsageException e) {
            err.println("collector: " + e.getMessage());
            return USAGE_ERROR;
        }
    }

    /** The value after an option, or a usage error naming the option. */
    static String value(List<String> args, int i, String option, String what) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new UsageException(option + " needs " + what);
        }
        return args.get(i);
    }
}
