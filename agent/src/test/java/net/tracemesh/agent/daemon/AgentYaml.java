package net.tracemesh.agent.daemon;

import java.util.List;

/**
 * Agent config files for the tests that run agent daemons ({@value #DATA_DIR} becomes the agent's own data
 * directory, see {@link AgentDaemonProcess#start}).
 */
public final class AgentYaml {
    /** Placeholder in a config for the agent's own data directory. */
    public static final String DATA_DIR = "@DATA@";

    private AgentYaml() {
    }

    /**
     * A config: identity, a probing rate, {@code safety} settings (default {@code max-targets: 65536}), the broker and
     * topic prefix, a short heartbeat and spool delay, and {@code measurements} (YAML list items, see {@link #trace}).
     */
    public static String config(String id, String site, String topicPrefix, String bootstrap, int rate,
                                String safety, String measurements) {
        return """
                agent:
                  id: %s
                  site: "%s"
                  data-dir: "%s"
                probing:
                  rate: %d
                safety:
                %s
                kafka:
                  bootstrap-servers: "%s"
                  topic-prefix: "%s"
                spool:
                  spool-after-s: 2
                heartbeat:
                  interval-s: 1
                measurements:
                %s
                """.formatted(id, site, DATA_DIR, rate, indent(safety.isBlank() ? "max-targets: 65536" : safety), bootstrap,
                topicPrefix, measurements.isBlank() ? "  []" : indent(measurements));
    }

    /**
     * A {@code definitions} section trusting the central public key in {@code publicKeyFile}, to append to
     * {@link #config}: without it an agent ignores the measurements topic.
     */
    public static String definitions(java.nio.file.Path publicKeyFile) {
        return """
                definitions:
                  public-key: "%s"
                """.formatted(publicKeyFile);
    }

    /** A trace measurement of every agent toward {@code targets}, as a YAML list item. */
    public static String trace(String id, String method, int intervalSeconds, String targets,
                               String traceSettings) {
        return """
                - schema: 1
                  id: %s
                  method: %s
                  targets: [%s]
                  interval_s: %d
                  jitter_s: 0
                  agents: {all: true}
                  trace: {%s}
                """.formatted(id, method, targets, intervalSeconds, traceSettings);
    }

    /** {@link #trace(String, String, int, String, String)} with each of {@code targets} quoted. */
    public static String trace(String id, String method, int intervalSeconds, List<String> targets,
                               String traceSettings) {
        return trace(id, method, intervalSeconds,
                String.join(", ", targets.stream().map(t -> "\"" + t + "\"").toList()), traceSettings);
    }

    private static String indent(String text) {
        StringBuilder out = new StringBuilder();
        text.lines().forEach(l -> out.append("  ").append(l).append('\n'));
        return out.toString().stripTrailing();
    }
}
