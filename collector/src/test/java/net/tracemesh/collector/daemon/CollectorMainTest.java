package net.tracemesh.collector.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import net.tracemesh.collector.export.GraphFormat;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.measurement.Ipv4Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: what each argument means, and one clear line with status 2 for every mistake. */
class CollectorMainTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path dir;

    private final CommandRun command = new CommandRun();

    @Test
    void withoutACommandItPrintsTheUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).startsWith("usage: collector <command>");
        assertThat(run("help")).isZero();
        assertThat(out()).contains("run ", "export ");
    }

    @Test
    void eachCommandExplainsItself() {
        assertThat(run("run", "--help")).isZero();
        assertThat(out()).startsWith("usage: collector run --config FILE");
        command.resetOut();
        assertThat(run("export", "-h")).isZero();
        assertThat(out()).startsWith("usage: collector export --format dot|graphml|json");
    }

    @Test
    void runMistakesAreOneLine() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "retention: {hop-max-age: 1m}\n");
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("run")).isEqualTo(2);
        assertThat(run("run", "--config")).isEqualTo(2);
        assertThat(run("run", "--verbose")).isEqualTo(2);
        assertThat(run("run", "--config", missing.toString())).isEqualTo(2);
        assertThat(run("run", "--config=" + bad)).isEqualTo(2);
        assertThat(err().lines().toList()).containsExactly(
                "collector: unknown command 'frobnicate' (expected run or export)",
                "collector: run needs --config FILE (see collector/src/main/dist/collector.example.yaml)",
                "collector: --config needs a file name",
                "collector: unknown option '--verbose' for run (expected --config FILE)",
                "collector: cannot read config file " + missing + ": no such file",
                "collector: " + bad + ": retention.hop-max-age: must be 1h..100000d, got 1m");
    }

    @Test
    void runStopsWithStatusOneWhenTheStoreIsInUse() throws Exception {
        Path storeDir = dir.resolve("store");
        Path config = Files.writeString(dir.resolve("collector.yaml"), "store: {data-dir: '" + storeDir + "'}\n");
        try (CollectorStore inUse = CollectorStore.openEmbedded(storeDir)) {
            assertThat(run("run", "--config", config.toString())).isEqualTo(1);
            assertThat(inUse.counts().appliedTraces()).isZero();
        }
        assertThat(err()).startsWith("collector: cannot start: the collector store in " + storeDir)
                .contains("is already open").hasLineCount(1);
    }

    @Test
    void exportReadsEveryOption() {
        ExportRequest r = ExportRequest.parse(List.of("--format", "GraphML", "--data-dir", "/var/lib/tm",
                "--output", "out.graphml", "--agent", "fra1", "--agent", "ams1", "--prefix", "198.18.0.0/16",
                "--from", "2026-11-01", "--to", "2026-11-23T10:00:00Z", "--limit", "500"), NOW);
        assertThat(r.format()).isEqualTo(GraphFormat.GRAPHML);
        assertThat(r.dataDir()).isEqualTo(Path.of("/var/lib/tm"));
        assertThat(r.config()).isNull();
        assertThat(r.output()).isEqualTo(Path.of("out.graphml"));
        assertThat(r.filter()).isEqualTo(new SubgraphFilter(Set.of("fra1", "ams1"), Ipv4Prefix.parse("198.18.0.0/16"),
                Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-23T10:00:00Z"), 500));
    }

    @Test
    void exportDefaultsToTheWholeGraphOnStandardOutput() {
        ExportRequest r = ExportRequest.parse(List.of("-f", "dot", "--config", "collector.yaml"), NOW);
        assertThat(r.format()).isEqualTo(GraphFormat.DOT);
        assertThat(r.config()).isEqualTo(Path.of("collector.yaml"));
        assertThat(r.dataDir()).isNull();
        assertThat(r.output()).isNull();
        assertThat(r.filter()).isEqualTo(SubgraphFilter.everything());
    }

    @ParameterizedTest
    @CsvSource({"2026-11-23T10:15:30Z, 2026-11-23T10:15:30Z", "2026-11-20, 2026-11-20T00:00:00Z",
            "7d, 2026-11-16T12:00:00Z", "90m, 2026-11-23T10:30:00Z", "1h30m, 2026-11-23T10:30:00Z"})
    void exportTimesAreInstantsDatesOrAges(String text, String instant) {
        assertThat(ExportRequest.time("--from", text, NOW)).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--data-dir /x | export needs --format dot, graphml or json",
            "--format svg --data-dir /x | --format: 'svg' is not one of dot, graphml, json",
            "--format dot | export needs the store: --data-dir DIR or --config FILE",
            "--format dot --data-dir /x --config c.yaml | give --data-dir or --config, not both",
            "--format dot --data-dir | --data-dir needs a directory",
            "--format dot --data-dir /x --limit 0 | --limit: must be a number of nodes 1..100000, got '0'",
            "--format dot --data-dir /x --limit lots | --limit: must be a number of nodes 1..100000, got 'lots'",
            "--format dot --data-dir /x --prefix 198.18.0.1/16 | --prefix: '198.18.0.1/16' has host bits set "
                    + "(the network is 198.18.0.0/16)",
            "--format dot --data-dir /x --from yesterday | --from: 'yesterday' is not a time (give an instant such "
                    + "as 2026-11-23T10:00:00Z, a date such as 2026-11-23, or an age such as 7d)",
            "--format dot --data-dir /x --from 2026-11-23 --to 2026-11-01 | the window starts "
                    + "(2026-11-23T00:00:00Z) after it ends (2026-11-01T00:00:00Z)",
            "--format dot --data-dir /x --agent --limit 5 | --agent needs an agent id",
            "--format dot --data-dir /x --edges | unknown option '--edges' for export (see export --help)"})
    void exportMistakesAreOneLine(String args, String message) {
        assertThatThrownBy(() -> ExportRequest.parse(List.of(args.split(" ")), NOW))
                .isInstanceOf(UsageException.class).hasMessage(message);
        assertThat(run(("export " + args).split(" "))).isEqualTo(2);
        assertThat(err()).isEqualTo("collector: " + message + System.lineSeparator());
    }

    @Test
    void exportFromADirectoryWithoutAStoreCreatesNothing() {
        Path empty = dir.resolve("empty");
        assertThat(run("export", "--format", "json", "--data-dir", empty.toString())).isEqualTo(2);
        assertThat(err()).isEqualTo("collector: --data-dir: no collector store in " + empty
                + " (no tracemesh.db or tracemesh.mv.db)"
                + System.lineSeparator());
        assertThat(empty).doesNotExist();
    }

    private int run(String... args) {
        return command.run(args);
    }

    private String out() {
        return command.out();
    }

    private String err() {
        return command.err();
    }
}
