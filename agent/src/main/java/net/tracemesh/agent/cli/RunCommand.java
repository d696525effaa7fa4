package net.tracemesh.agent.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code agent run --config FILE}: the long-running agent. Runs until SIGTERM or Ctrl-C, then finishes or
 * spools what is in flight before exiting.
 */
final class RunCommand {
    static final String USAGE = """
            usage: agent run --config FILE
              Runs the agent daemon: the measurements of its config file and those the central side
              publishes, with hop records, trace completions, heartbeats and errors sent to Kafka.
              Every setting can be overridden by an environment variable TRACEMESH_<SECTION>_<SETTING>,
              e.g. TRACEMESH_KAFKA_BOOTSTRAP_SERVERS=broker1:9092 or TRACEMESH_AGENT_ID=fra1-a.
              Stop it with SIGTERM (or Ctrl-C).""";

    private RunCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path config = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") || a.equals("-c")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(a + " needs a file name");
                }
                config = Path.of(args.get(++i));
            } else if (a.startsWith("--config=")) {
                config = Path.of(a.substring("--config=".length()));
            } else {
                throw new UsageException("unknown option '" + a + "' for run (expected --config FILE)");
            }
        }
        if (config == null) {
            throw new UsageException("run needs --config FILE (see agent/src/main/dist/agent.example.yaml)");
        }
        // The daemon reports what it does; the one-shot commands stay quiet.
        System.setProperty("org.slf4j.simpleLogger.log.net.tracemesh", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        return Daemon.run(config, System.getenv(), err);
    }

    /** Kept apart so the one-shot commands never load Vert.x or Kafka classes. */
    private static final class Daemon {
        static int run(Path configFile, java.util.Map<String, String> env, PrintStream err) {
            net.tracemesh.agent.config.AgentConfig config;
            try {
                config = net.tracemesh.agent.config.AgentConfig.load(configFile, env);
            } catch (net.tracemesh.agent.config.ConfigException e) {
                throw new UsageException(e.getMessage());
            }
            net.tracemesh.agent.daemon.AgentDaemon daemon;
            try {
                daemon = net.tracemesh.agent.daemon.AgentDaemon.start(config);
            } catch (IllegalStateException e) {
                err.println("agent: " + e.getMessage());
                return 1;
            }
            net.tracemesh.agent.daemon.RunUntilSignal.await(daemon);
            return 0;
        }
    }
}
