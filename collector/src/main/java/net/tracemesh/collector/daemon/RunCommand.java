package net.tracemesh.collector.daemon;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.tracemesh.collector.config.CollectorConfig;
import net.tracemesh.collector.config.ConfigException;

/**
 * {@code collector run --config FILE}: the long-running collector. It runs until SIGTERM or Ctrl-C, then stops
 * consuming, commits what is stored and closes the store; the JVM then ends with status 143 (130 for Ctrl-C), as
 * a process stopped by a signal does. If the ingest fails, it stops with status {@value CollectorMain#FAILED}.
 */
final class RunCommand {
    static final String USAGE = """
            usage: collector run --config FILE
              Runs the collector daemon: consumes the hop records and trace completions the agents publish,
              merges them into the topology graph and route history in the store, and drops raw hop records
              older than retention.hop-max-age. See collector/src/main/dist/collector.example.yaml.
              Every setting can be overridden by an environment variable TRACEMESH_<SECTION>_<SETTING>,
              e.g. TRACEMESH_KAFKA_BOOTSTRAP_SERVERS=broker1:9092 or TRACEMESH_RETENTION_HOP_MAX_AGE=7d.
              Stop it with SIGTERM (or Ctrl-C); it exits with 1 if consuming or storing fails.""";
    private static final String SHUTDOWN_THREAD = "tracemesh-collector-shutdown";

    private RunCommand() {
    }

    static int run(List<String> args, PrintStream err, Map<String, String> environment) {
        CollectorConfig config = loadConfig(configFile(args), environment);
        // the daemon reports what it does, with times
        System.setProperty("org.slf4j.simpleLogger.log.net.tracemesh", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        CollectorService service;
        try {
            service = CollectorService.start(config);
        } catch (RuntimeException e) {
            err.println("collector: cannot start: " + e.getMessage());
            return CollectorMain.FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, SHUTDOWN_THREAD));
        Optional<Throwable> failure;
        try {
            failure = service.awaitEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            service.close();
            return CollectorMain.FAILED;
        }
        if (failure.isEmpty()) {
            return 0; // closed by the shutdown hook: the JVM is ending with the signal's status
        }
        String why = String.valueOf(failure.get()).strip().lines().findFirst().orElse("");
        err.println("collector: stopped because the ingest failed: " + why);
        service.close();
        return CollectorMain.FAILED;
    }

    /** The file of {@code --config FILE} (or {@code --config=FILE}); every other argument is a mistake. */
    static Path configFile(List<String> args) {
        String file = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") || a.equals("-c")) {
                file = CollectorMain.value(args, ++i, a, "a file name");
            } else if (a.startsWith("--config=")) {
                file = a.substring("--config=".length());
            } else {
                throw new UsageException("unknown option '" + a + "' for run (expected --config FILE)");
            }
        }
        if (file == null || file.isBlank()) {
            throw new UsageException("run needs --config FILE (see collector/src/main/dist/collector.example.yaml)");
        }
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw new UsageException("--config: '" + file + "' is not a file path");
        }
    }

    static CollectorConfig loadConfig(Path file, Map<String, String> environment) {
        try {
            return CollectorConfig.load(file, environment);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
