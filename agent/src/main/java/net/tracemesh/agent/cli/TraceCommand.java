package net.tracemesh.agent.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import net.tracemesh.agent.engine.EngineStats;
import net.tracemesh.agent.output.TraceTextWriter;
import net.tracemesh.agent.probe.ProbeMethod;
import net.tracemesh.agent.trace.TraceOptions;
import net.tracemesh.agent.trace.TraceTask;
import net.tracemesh.record.RecordJson;
import net.tracemesh.record.TraceRecord;

/** {@code agent trace}: one-shot traces toward one or many targets. */
final class TraceCommand {
    static final String USAGE = """
            usage: agent trace [-m udp|udp-paris|icmp-paris|tcp] [-q probes-per-hop] [-f first-ttl] [-M max-ttl]
                               [-w wait-seconds] [-p port] [-N parallel-ttls] [-g gap-limit] [-r retries]
                               [-s probe-size] [--mtu] [--rate pps] [--window traces] [--json] [--stats]
                               [--targets FILE|-] [TARGET...]""";
    private static final ArgParser PARSER = new ArgParser(
            Set.of("-m", "-q", "-f", "-M", "-w", "-p", "-N", "-g", "-r", "-s", "--rate", "--window", "--targets"),
            Set.of("--mtu", "--json", "--stats"));
    static final double DEFAULT_RATE = 100;
    private static final double MAX_RATE = 1_000_000;
    private static final int MAX_ACTIVE_TRACES = 8192;
    /** The most traces {@code --window} may keep in flight. */
    private static final int MAX_WINDOW = 65_536;
    private static final int OUTPUT_BUFFER_BYTES = 1 << 16;

    private TraceCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err, InputStream in) {
        ArgParser.Parsed p = PARSER.parse(args);
        TraceOptions options = options(p);
        double rate = p.decimal("--rate", DEFAULT_RATE, 0, MAX_RATE, "probe rate in packets per second");
        boolean json = p.flag("--json");
        // By default, enough traces in flight to keep the rate busy through a tenth of a second of replies, no
        // more: every active trace holds memory.
        int automatic = (int) Math.max(16, Math.min(MAX_ACTIVE_TRACES, rate / 10));
        int maxActive = p.integer("--window", automatic, 1, MAX_WINDOW, "window (traces in flight)");
        int[] targets = Targets.parse(p.positionals(), p.values().get("--targets"), in);

        ProbeRun<TraceRecord> run = new ProbeRun<>();
        Iterator<TraceTask> tasks = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < targets.length;
            }

            @Override
            public TraceTask next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return new TraceTask(targets[next++], options, run.sink());
            }
        };
        EngineStats[] last = {null};
        ProgressBar progress = targets.length > 1 && Terminal.stderrIsTerminal()
                ? new ProgressBar(err, targets.length) : null;
        boolean[] first = {true};
        // Bulk output goes out in large writes, flushed with every progress tick and at the end.
        PrintStream buffered = new PrintStream(new BufferedOutputStream(out, OUTPUT_BUFFER_BYTES), false,
                StandardCharsets.UTF_8);
        if (json) {
            run.whileProbing(() -> RecordJson.prepare(TraceRecord.class));
        }
        run.run(tasks, rate, maxActive, trace -> {
            if (json) {
                try {
                    RecordJson.writeLine(trace, buffered);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                if (!first[0]) {
                    buffered.println();
                }
                buffered.print(TraceTextWriter.format(trace));
            }
            first[0] = false;
        }, failure -> {
            buffered.flush();
            err.println("agent: " + failure);
        }, stats -> {
            last[0] = stats;
            buffered.flush();
            if (progress != null) {
                progress.draw(run.delivered(), stats.probesSent());
            }
        });
        if (progress != null) {
            progress.clear();
        }
        buffered.flush();
        out.flush();
        if (p.flag("--stats") && last[0] != null) {
            EngineStats s = last[0];
            err.printf(java.util.Locale.ROOT, "agent: %d traces, %d probes sent, %d send errors, %d replies matched,"
                    + " dropped %s, capture buffer lost %d%n", run.delivered(), s.probesSent(), s.sendErrors(),
                    s.repliesMatched(), s.drops(), s.kernelDrops());
            if (s.firstSendError() != null) {
                err.println("agent: first send error: " + s.firstSendError());
            }
        }
        return run.failures() == 0 ? 0 : 1;
    }

    private static TraceOptions options(ArgParser.Parsed p) {
        ProbeMethod method;
        try {
            method = ProbeMethod.fromCliName(p.string("-m", ProbeMethod.UDP_PARIS.cliName()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        TraceOptions d = TraceOptions.defaults(method);
        int first = p.integer("-f", d.firstTtl(), 1, 255, "first TTL");
        int max = p.integer("-M", d.maxTtl(), 1, 255, "max TTL");
        double wait = p.decimal("-w", d.waitNanos() / 1e9, 0, 60, "wait");
        try {
            return new TraceOptions(method, first, max,
                    p.integer("-q", d.probesPerHop(), 1, 15, "probes per hop"),
                    (long) (wait * 1e9),
                    p.integer("-p", d.port(), method == ProbeMethod.ICMP_PARIS ? 0 : 1, 65535, "port"),
                    p.integer("-N", d.parallelTtls(), 1, 255, "parallel TTLs"),
                    p.integer("-g", d.gapLimit(), 1, 255, "gap limit"),
                    p.integer("-r", d.retries(), 0, TraceOptions.MAX_RETRIES, "retries"),
                    p.flag("--mtu"),
                    p.integer("-s", 0, 0, 65535, "probe size"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
