package net.tracemesh.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command line's answers to mistakes. Every case here must fail before probing starts (no packet channel is
 * ever opened): option mistakes are given without a target or with a target that cannot parse, so that even if an
 * option were wrongly accepted the run would stop at the targets.
 */
class AgentMainTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result withStdin(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AgentMain.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result agent(String... args) {
        return withStdin("", args);
    }

    /** Exit status 2, nothing on stdout, and exactly {@code "agent: " + message} as the one line on stderr. */
    private static void assertUsageError(Result r, String message) {
        assertThat(r.err()).isEqualTo("agent: " + message + NL);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(r.status()).isEqualTo(2);
    }

    @Test
    void unknownCommand() {
        assertUsageError(agent("frobnicate"), "unknown command 'frobnicate' (expected trace, ping or run)");
    }

    @Test
    void unknownMethod() {
        assertUsageError(agent("trace", "-m", "gre"),
                "unknown method 'gre' (expected one of udp, udp-paris, icmp-paris, tcp)");
    }

    @Test
    void unknownOptions() {
        assertUsageError(agent("trace", "--bogus"), "unknown option --bogus");
        assertUsageError(agent("trace", "-x", "999.1.1.1"), "unknown option -x");
        assertUsageError(agent("ping", "--rate", "5", "999.1.1.1"), "unknown option --rate");
        assertUsageError(agent("trace", "--bogus=1"), "unknown option --bogus");
    }

    @Test
    void optionsWithoutTheirValueOrFlagsWithOne() {
        assertUsageError(agent("trace", "-q"), "option -q needs a value");
        assertUsageError(agent("trace", "--json=yes"), "option --json takes no value");
    }

    @ParameterizedTest(name = "trace {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "-f|0|first TTL (-f) must be 1..255, got 0",
            "-f|256|first TTL (-f) must be 1..255, got 256",
            "-M|256|max TTL (-M) must be 1..255, got 256",
            "-M|0|max TTL (-M) must be 1..255, got 0",
            "-q|0|probes per hop (-q) must be 1..15, got 0",
            "-q|16|probes per hop (-q) must be 1..15, got 16",
            "-q|three|probes per hop (-q) must be a whole number, got 'three'",
            "-q|2.5|probes per hop (-q) must be a whole number, got '2.5'",
            "-w|0|wait (-w) must be more than 0 and at most 60, got 0",
            "-w|-1|wait (-w) must be more than 0 and at most 60, got -1",
            "-w|61|wait (-w) must be more than 0 and at most 60, got 61",
            "-w|NaN|wait (-w) must be more than 0 and at most 60, got NaN",
            "-w|soon|wait (-w) must be a number, got 'soon'",
            "--rate|0|probe rate in packets per second (--rate) must be more than 0 and at most 1000000, got 0",
            "--rate|-5|probe rate in packets per second (--rate) must be more than 0 and at most 1000000, got -5",
            "--rate|1e400|probe rate in packets per second (--rate) must be more than 0 and at most 1000000, got 1e400",
            "-p|0|port (-p) must be 1..65535, got 0",
            "-p|65536|port (-p) must be 1..65535, got 65536",
            "-N|0|parallel TTLs (-N) must be 1..255, got 0",
            "-g|0|gap limit (-g) must be 1..255, got 0",
            "-r|11|retries (-r) must be 0..10, got 11",
            "--window|0|window (traces in flight) (--window) must be 1..65536, got 0",
            "--window|many|window (traces in flight) (--window) must be a whole number, got 'many'",
            "-s|31|probe size must be 32..65535, got 31",
    })
    void badTraceOptionValues(String option, String value, String message) {
        assertUsageError(agent("trace", option, value), message);
        assertUsageError(agent("trace", option, value, "999.1.1.1"), message);
    }

    @Test
    void optionValuesAfterAnEqualsSign() {
        assertUsageError(agent("trace", "--rate=0"),
                "probe rate in packets per second (--rate) must be more than 0 and at most 1000000, got 0");
    }

    @Test
    void firstTtlAboveMaxTtl() {
        assertUsageError(agent("trace", "-f", "10", "-M", "5"), "max TTL 5 is below first TTL 10");
    }

    @Test
    void probeSizeBelowTheMethodsMinimum() {
        assertUsageError(agent("trace", "-m", "tcp", "-s", "39"), "probe size must be 40..65535, got 39");
    }

    @Test
    void noTarget() {
        assertUsageError(agent("trace"), "no target given (name one, or use --targets FILE)");
        assertUsageError(agent("trace", "-m", "icmp-paris", "--json"), "no target given (name one, or use --targets FILE)");
    }

    @Test
    void badAddresses() {
        assertUsageError(agent("trace", "999.1.1.1"), "bad address '999.1.1.1' (argument)");
        assertUsageError(agent("trace", "198.18.0"), "bad address '198.18.0' (argument)");
        assertUsageError(agent("trace", "bad_host!"), "bad address 'bad_host!' (argument)");
        assertUsageError(agent("trace", "-"), "bad address '-' (argument)");
    }

    @Test
    void badPrefixes() {
        assertUsageError(agent("trace", "198.18.0.0/abc"), "bad prefix '198.18.0.0/abc' (argument)");
        assertUsageError(agent("trace", "198.18.0/24"), "bad prefix '198.18.0/24' (argument)");
        assertUsageError(agent("trace", "198.18.0.0/33"), "prefix length of '198.18.0.0/33' must be 12..32 (argument)");
        assertUsageError(agent("trace", "10.0.0.0/8"), "prefix length of '10.0.0.0/8' must be 12..32 (argument)");
        assertUsageError(agent("trace", "0.0.0.0/0"), "prefix length of '0.0.0.0/0' must be 12..32 (argument)");
    }

    @Test
    void unreadableTargetFile() {
        Path missing = dir.resolve("missing.txt");
        assertUsageError(agent("trace", "--targets", missing.toString()),
                "cannot read target file " + missing + ": no such file");
        Result directory = agent("trace", "--targets", dir.toString());
        assertThat(directory.status()).isEqualTo(2);
        assertThat(directory.err()).startsWith("agent: cannot read target file " + dir + ": ").endsWith(NL)
                .hasLineCount(1).doesNotContain("Exception");
    }

    @Test
    void emptyTargetFile() throws IOException {
        Path empty = Files.writeString(dir.resolve("targets.txt"), "# nothing here yet\n\n   \n# 198.18.0.1\n");
        assertUsageError(agent("trace", "--targets", empty.toString()),
                "no target given (name one, or use --targets FILE)");
        assertUsageError(agent("trace", "--targets", "-"), "no target given (name one, or use --targets FILE)");
    }

    @Test
    void aBadLineOfATargetFileIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("targets.txt"), "# lab\n198.18.0.1\nnot an address\n");
        assertUsageError(agent("trace", "--targets", file.toString()),
                "bad address 'not an address' (" + file + " line 3)");
        assertUsageError(withStdin("198.18.0.1\n10.0.0.0/8\n", "trace", "--targets", "-"),
                "prefix length of '10.0.0.0/8' must be 12..32 (stdin line 2)");
    }

    @Test
    void pingTakesExactlyOneTarget() {
        assertUsageError(agent("ping", "198.18.0.1", "198.18.0.2"), "ping takes exactly one target address");
        assertUsageError(agent("ping"), "ping takes exactly one target address");
    }

    @ParameterizedTest(name = "ping {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "-c|0|count (-c) must be 1..65536, got 0",
            "-c|65537|count (-c) must be 1..65536, got 65537",
            "-i|0.0009995|interval must be between 0.001 and 3600 seconds",
            "-s|3|size (-s) must be 4..65507, got 3",
            "-t|0|TTL (-t) must be 1..255, got 0",
            "-t|256|TTL (-t) must be 1..255, got 256",
            "-W|0|wait (-W) must be more than 0 and at most 60, got 0",
            "-W|0.0000000001|wait must be more than 0 and at most 60 seconds",
    })
    void badPingOptionValues(String option, String value, String message) {
        assertUsageError(agent("ping", option, value, "999.1.1.1"), message);
    }

    @Test
    void pingWithABadAddress() {
        assertUsageError(agent("ping", "198.18.0.300"), "bad address '198.18.0.300' (argument)");
        assertUsageError(agent("ping", "198.18.0.0/30"), "ping takes exactly one target address");
    }

    @Test
    void pingIntervalTooShortIsExplainedInPlainNumbers() {
        Result r = agent("ping", "-i", "0", "999.1.1.1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("agent: interval (-i) must be").endsWith(", got 0" + NL).hasLineCount(1);
        assertThat(r.err()).as("no scientific notation in a user message").doesNotContain("E-");
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        Result trace = agent("trace", "--help");
        assertThat(trace.status()).isZero();
        assertThat(trace.out()).isEqualTo(TraceCommand.USAGE + NL).startsWith("usage: agent trace");
        assertThat(trace.err()).isEmpty();

        Result ping = agent("ping", "-h", "999.1.1.1");
        assertThat(ping.status()).isZero();
        assertThat(ping.out()).isEqualTo(PingCommand.USAGE + NL);

        for (String help : List.of("--help", "-h", "help")) {
            Result general = agent(help);
            assertThat(general.status()).isZero();
            assertThat(general.out()).startsWith("usage: agent <command> [options]").contains("trace").contains("ping");
            assertThat(general.err()).isEmpty();
        }
    }

    @Test
    void version() {
        Result r = agent("version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo(AgentMain.VERSION + NL);
    }

    @Test
    void noArgumentsPrintsUsageAsAnError() {
        Result r = agent();
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("usage: agent <command> [options]");
        assertThat(r.out()).isEmpty();
    }
}
