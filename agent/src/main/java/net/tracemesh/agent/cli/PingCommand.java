package net.tracemesh.agent.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import net.tracemesh.agent.output.PingTextWriter;
import net.tracemesh.agent.ping.PingOptions;
import net.tracemesh.agent.ping.PingTask;
import net.tracemesh.record.PingRecord;
import net.tracemesh.record.RecordJson;

/** {@code agent ping}: ICMP echo toward one target. */
final class PingCommand {
    static final String USAGE = """
            usage: agent ping [-c count] [-i interval-seconds] [-s size] [-t ttl] [-W wait-seconds] [--df] [--json]
                              TARGET""";
    private static final ArgParser PARSER = new ArgParser(Set.of("-c", "-i", "-s", "-t", "-W"),
            Set.of("--df", "--json"));

    private PingCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err, InputStream in) {
        ArgParser.Parsed p = PARSER.parse(args);
        if (p.positionals().size() != 1 || p.positionals().get(0).contains("/")) {
            throw new UsageException("ping takes exactly one target address");
        }
        PingOptions options;
        try {
            options = new PingOptions(
                    p.integer("-c", 5, 1, 65_536, "count"),
                    Math.round(p.decimal("-i", 1, 0, 3600, "interval") * 1e9),
                    p.integer("-s", 56, PingOptions.MIN_DATA, PingOptions.MAX_DATA, "size"),
                    p.integer("-t", 64, 1, 255, "TTL"),
                    (long) (p.decimal("-W", 2, 0, 60, "wait") * 1e9),
                    p.flag("--df"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int target = Targets.parse(p.positionals(), null, in)[0];
        boolean json = p.flag("--json");
        ProbeRun<PingRecord> run = new ProbeRun<>();
        PingRecord[] result = new PingRecord[1];
        run.run(List.of(new PingTask(target, options, run.sink())).iterator(), TraceCommand.DEFAULT_RATE * 10, 1,
                r -> result[0] = r, failure -> err.println("agent: " + failure), stats -> { });
        if (result[0] == null) {
            return 2;
        }
        out.print(json ? RecordJson.write(result[0]) + System.lineSeparator() : PingTextWriter.format(result[0]));
        out.flush();
        return result[0].received() > 0 ? 0 : 1;
    }
}
