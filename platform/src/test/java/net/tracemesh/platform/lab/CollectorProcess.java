package net.tracemesh.platform.lab;

import java.nio.file.Path;
import java.time.Duration;
import net.tracemesh.collector.assemble.AssemblerSettings;
import net.tracemesh.collector.ingest.CollectorIngest;
import net.tracemesh.collector.ingest.IngestSettings;
import net.tracemesh.collector.ingest.IngestStats;
import net.tracemesh.collector.store.CollectorStore;

/**
 * A collector as a process of its own, for tests that kill it: opens the embedded store in a data directory and runs
 * a {@link CollectorIngest} on it until the process is stopped. SIGTERM closes the ingest (committing its safe
 * offsets) and then the store; SIGKILL just ends it.
 *
 * <p>Arguments: {@code <data-dir> <bootstrap-servers> <topic-prefix> <group-id>}. Prints
 * {@value #STATS_LINE} followed by the {@link IngestStats} fields ({@code recordsRead tracesApplied
 * tracesAlreadyApplied duplicateMessages}) every {@link #REPORT_INTERVAL}, and {@value #FAILED_LINE} with the reason
 * if the ingest stops on its own (the process then exits with {@link #EXIT_INGEST_FAILED}).
 */
public final class CollectorProcess {
    /** Start of the progress lines. */
    public static final String STATS_LINE = "stats";
    /** Start of the line printed when the ingest stopped on its own. */
    public static final String FAILED_LINE = "failed";
    /** Exit status when the ingest stopped on its own. */
    public static final int EXIT_INGEST_FAILED = 2;
    /** Exit status for bad arguments. */
    public static final int EXIT_USAGE = 64;
    /** How often progress is printed. */
    public static final Duration REPORT_INTERVAL = Duration.ofMillis(200);
    /** Traces whose completion never comes are closed this long after their first message. */
    public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(45);

    private CollectorProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: CollectorProcess <data-dir> <bootstrap-servers> <topic-prefix> <group-id>");
            System.exit(EXIT_USAGE);
        }
        CollectorStore store = CollectorStore.openEmbedded(Path.of(args[0]));
        CollectorIngest ingest = new CollectorIngest(settings(args[1], args[2], args[3]), store);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                ingest.close();
            } finally {
                store.close();
            }
        }, "collector-process-shutdown"));
        ingest.start();
        while (ingest.running()) {
            IngestStats s = ingest.stats();
            System.out.println(STATS_LINE + " " + s.recordsRead() + " " + s.tracesApplied() + " "
                    + s.tracesAlreadyApplied() + " " + s.duplicateMessages());
            Thread.sleep(REPORT_INTERVAL.toMillis());
        }
        String reason = ingest.failure().map(Throwable::toString).orElse("ingest stopped");
        System.out.println(FAILED_LINE + " " + reason);
        System.exit(EXIT_INGEST_FAILED);
    }

    /** The ingest settings these tests give every collector, in process or forked. */
    public static IngestSettings settings(String bootstrap, String topicPrefix, String groupId) {
        return IngestSettings.defaults(bootstrap).withTopicPrefix(topicPrefix).withGroupId(groupId)
                .withPollTimeout(Duration.ofMillis(200))
                .withAssembler(AssemblerSettings.defaults().withOpenTimeout(OPEN_TIMEOUT));
    }
}
