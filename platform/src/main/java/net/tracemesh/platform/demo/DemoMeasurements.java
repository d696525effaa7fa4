package net.tracemesh.platform.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The demo's default measurements, created through the web's API like a user would on the Measurements page: Paris
 * traceroutes from every vantage point to the lab's destinations, ICMP (with path MTU discovery, which shows site A's
 * 600-byte link) and UDP (which the firewall stops toward {@value DemoTopology#FIREWALLED_DESTINATION}).
 */
final class DemoMeasurements {
    static final String ICMP_ID = "demo-icmp-paris";
    static final String UDP_ID = "demo-udp-paris";
    private static final String PATH = "/api/v1/measurements";
    private static final Duration CATALOG_WAIT = Duration.ofSeconds(90);
    private static final int MAX_TTL = 12;
    private static final int WAIT_MS = 1000;
    private static final int JITTER_S = 5;

    private DemoMeasurements() {
    }

    /** The definitions, one round every {@code intervalSeconds}. */
    static List<ObjectNode> definitions(int intervalSeconds) {
        ObjectNode icmp = definition(ICMP_ID, "icmp-paris", intervalSeconds,
                "demo: ICMP Paris traceroute from every vantage point, path MTU discovery on");
        ((ObjectNode) icmp.get("trace")).put("path_mtu", true);
        ObjectNode udp = definition(UDP_ID, "udp-paris", intervalSeconds,
                "demo: UDP Paris traceroute from every vantage point (the firewall drops it toward "
                        + DemoTopology.FIREWALLED_DESTINATION + ")");
        ((ObjectNode) udp.get("trace")).put("gap_limit", 3);
        return List.of(icmp, udp);
    }

    private static ObjectNode definition(String id, String method, int intervalSeconds, String description) {
        ObjectNode d = DemoWebClient.json().createObjectNode();
        d.put("schema", 1).put("id", id).put("description", description).put("method", method);
        ArrayNode targets = d.putArray("targets");
        DemoTopology.DESTINATIONS.forEach(targets::add);
        d.put("interval_s", intervalSeconds).put("jitter_s", Math.min(JITTER_S, intervalSeconds));
        d.putObject("agents").put("all", true);
        d.putObject("trace").put("max_ttl", MAX_TTL).put("wait_ms", WAIT_MS);
        return d;
    }

    /**
     * Creates the definitions (replacing those of an earlier demo with the same ids), waiting while the web's catalog
     * is still reading the measurements topic.
     */
    static void install(DemoWebClient web, int intervalSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CATALOG_WAIT.toNanos();
        for (ObjectNode definition : definitions(intervalSeconds)) {
            while (true) {
                DemoWebClient.Answer answer = web.post(PATH, definition);
                if (answer.status() == 409) {
                    answer = web.put(PATH + "/" + definition.get("id").asText(), definition);
                }
                if (answer.status() == 200 || answer.status() == 201) {
                    break;
                }
                if (answer.status() != 503 || System.nanoTime() > deadline) {
                    throw new DemoException("the web refused measurement " + definition.get("id").asText()
                            + " (" + answer.status() + "): " + answer.body());
                }
                Thread.sleep(1000);
            }
        }
    }
}
