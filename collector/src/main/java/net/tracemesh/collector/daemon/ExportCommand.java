package net.tracemesh.collector.daemon;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.tracemesh.collector.config.CollectorConfig;
import net.tracemesh.collector.config.StoreConfig;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.collector.store.CollectorStore;

/**
 * {@code collector export}: writes the merged topology graph, or the part a filter selects, as DOT, GraphML or
 * JSON. It opens the store itself, so an embedded store must not be in use by a running collector.
 */
final class ExportCommand {
    static final String USAGE = """
            usage: collector export --format dot|graphml|json (--data-dir DIR | --config FILE) [--output FILE]
                                    [--agent ID]... [--prefix P] [--from T] [--to T] [--limit N]
              Writes the topology graph (default: all of it, up to 10000 nodes) from the collector's store.
              --format F      dot (Graphviz), graphml or json
              --data-dir DIR  an embedded store's directory (store.data-dir); the collector must be stopped
              --config FILE   the store named in a collector.yaml (embedded or jdbc)
              --output FILE   where to write [standard output]
              --agent ID      only what these vantage points saw (repeat for several) [every agent]
              --prefix P      only nodes on routes toward destinations in this prefix (198.18.0.0/16, or an address)
              --from T        leave out what was last seen before T
              --to T          leave out what was first seen after T
                              T: an instant (2026-11-23T10:00:00Z), a UTC date (2026-11-23), or an age (7d: ago)
              --limit N       the most nodes, 1..100000 [10000]""";
    private static final String PARTIAL_SUFFIX = ".partial";

    private ExportCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> environment) {
        ExportRequest request = ExportRequest.parse(args, Instant.now());
        StoreConfig storeConfig = request.dataDir() != null ? existingEmbedded(request.dataDir())
                : RunCommand.loadConfig(request.config(), environment).store();
        Subgraph graph;
        try (CollectorStore store = CollectorService.openStore(storeConfig)) {
            graph = new TopologyQueries(store.readDataSource()).subgraph(request.filter());
        } catch (RuntimeException e) {
            err.println("collector: cannot read the " + storeConfig.describe() + ": " + firstLine(e.getMessage()));
            return CollectorMain.FAILED;
        }
        try {
            if (request.output() == null) {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                request.format().writer().write(graph, w);
                w.flush();
            } else {
                writeFile(request, graph);
            }
        } catch (IOException | UncheckedIOException e) {
            Throwable why = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
            err.println("collector: cannot write " + (request.output() == null ? "the graph" : request.output())
                    + ": " + firstLine(why.getMessage()));
            return CollectorMain.FAILED;
        }
        if (graph.truncated()) {
            err.println("collector: " + graph.matchedNodes() + " nodes matched; the first "
                    + graph.nodes().size() + " were written (raise --limit for more)");
        }
        return 0;
    }

    /** The embedded store in {@code dir}, which must hold a collector database (opening would create one). */
    private static StoreConfig existingEmbedded(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CollectorStore.DATABASE_NAME + CollectorStore.SQLITE_FILE_SUFFIX))
                && !Files.isRegularFile(dir.resolve(CollectorStore.DATABASE_NAME + CollectorStore.H2_FILE_SUFFIX))) {
            throw new UsageException("--data-dir: no collector store in " + dir + " (no "
                    + CollectorStore.DATABASE_NAME + CollectorStore.SQLITE_FILE_SUFFIX + " or "
                    + CollectorStore.DATABASE_NAME + CollectorStore.H2_FILE_SUFFIX + ")");
        }
        return StoreConfig.embedded(dir);
    }

    /** Writes beside the output file, then moves it into place: a failed export leaves no half-written file. */
    private static void writeFile(ExportRequest request, Subgraph graph) throws IOException {
        Path target = request.output().toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + PARTIAL_SUFFIX);
        try {
            try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                request.format().writer().write(graph, w);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.strip().lines().findFirst().orElse("").strip();
    }
}
