package net.tracemesh.agent.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Read access to one {@code trace --json} line, in the field names of the agent contract. */
final class TraceJson {
    private final JsonNode node;

    TraceJson(JsonNode node) {
        this.node = node;
    }

    JsonNode node() {
        return node;
    }

    String dst() {
        return text("dst");
    }

    String src() {
        return text("src");
    }

    String method() {
        return text("method");
    }

    String stopReason() {
        return text("stop_reason");
    }

    /** {@code stop_icmp_code}, or null when absent. */
    Integer stopIcmpCode() {
        return integer(node, "stop_icmp_code");
    }

    /** {@code path_mtu}, or null when absent. */
    Integer pathMtu() {
        return integer(node, "path_mtu");
    }

    String text(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    List<Hop> hops() {
        List<Hop> hops = new ArrayList<>();
        JsonNode array = node.get("hops");
        if (array != null) {
            array.forEach(hop -> hops.add(Hop.of(hop)));
        }
        return hops;
    }

    List<Hop> hopsAt(int ttl) {
        return hops().stream().filter(h -> h.ttl() == ttl).toList();
    }

    /** Distinct reply addresses per TTL, TTLs ascending; TTLs without replies are absent. */
    Map<Integer, Set<String>> addressesByTtl() {
        Map<Integer, Set<String>> byTtl = new TreeMap<>();
        for (Hop hop : hops()) {
            byTtl.computeIfAbsent(hop.ttl(), ttl -> new LinkedHashSet<>()).add(hop.addr());
        }
        return byTtl;
    }

    /** Highest TTL with a reply, 0 when there is none. */
    int lastTtl() {
        return hops().stream().mapToInt(Hop::ttl).max().orElse(0);
    }

    @Override
    public String toString() {
        return node.toString();
    }

    static Integer integer(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : value.asInt();
    }

    /** One entry of {@code hops}; absent optional fields are null. */
    record Hop(int ttl, String addr, double rttMs, Integer icmpType, Integer icmpCode, Integer replyTtl, int probe,
               Integer mtu, String tcpFlags) {

        static Hop of(JsonNode hop) {
            JsonNode flags = hop.get("tcp_flags");
            return new Hop(hop.path("ttl").asInt(-1), hop.path("addr").asText(null), hop.path("rtt_ms").asDouble(-1),
                    integer(hop, "icmp_type"), integer(hop, "icmp_code"), integer(hop, "reply_ttl"),
                    hop.path("probe").asInt(-1), integer(hop, "mtu"),
                    flags == null || flags.isNull() ? null : flags.asText());
        }

        boolean isTimeExceeded() {
            return Integer.valueOf(11).equals(icmpType) && Integer.valueOf(0).equals(icmpCode);
        }

        boolean is(int type, int code) {
            return Integer.valueOf(type).equals(icmpType) && Integer.valueOf(code).equals(icmpCode);
        }
    }
}
