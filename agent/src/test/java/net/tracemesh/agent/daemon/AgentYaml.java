package net.tracemesh.agent.daemon;

/** Agent config files for the pipeline tests ({@code @DATA@} becomes the agent's own data directory). */
final class AgentYaml {
    private AgentYaml() {
    }

    static String config(String id, String site, String topicPrefix, String bootstrap, int rate, String safety,
                         String measurements) {
        return """
                agent:
                  id: %s
                  site: "%s"
                  data-dir: "@DATA@"
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
                """.formatted(id, site, rate, indent(safety.isBlank() ? "max-targets: 65536" : safety), bootstrap,
                topicPrefix, measurements.isBlank() ? "  []" : indent(measurements));
    }

    /** A trace measurement of every agent toward {@code targets}, as a YAML list item. */
    static String trace(String id, String method, int intervalSeconds, String targets, String traceSettings) {
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

    private static String indent(String text) {
        StringBuilder out = new StringBuilder();
        text.lines().forEach(l -> out.append("  ").append(l).append('\n'));
        return out.toString().stripTrailing();
    }
}
