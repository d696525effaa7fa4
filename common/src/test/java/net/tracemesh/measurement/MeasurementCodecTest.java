package net.tracemesh.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import net.tracemesh.measurement.DefinitionException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MeasurementCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String FULL_TRACE = """
            {"schema": 1, "id": "chain-icmp", "description": "lab chain", "method": "icmp-paris",
             "targets": ["198.18.1.1", "198.18.2.0/24"], "interval_s": 300, "jitter_s": 30,
             "start": "2026-11-23T10:00:00Z", "stop": "2026-11-24T10:00:00Z", "paused": true,
             "agents": {"ids": ["fra1-a"], "labels": ["Frankfurt"]},
             "trace": {"probes_per_hop": 2, "first_ttl": 2, "max_ttl": 20, "wait_ms": 1500, "port": 4000,
                       "parallel_ttls": 4, "gap_limit": 3, "retries": 0, "path_mtu": true, "probe_size": 100}}
            """;

    private static final String MINIMAL_PING = """
            {"schema": 1, "id": "p1", "method": "ping", "targets": ["198.18.0.1"], "interval_s": 60,
             "agents": {"all": true}}
            """;

    private static MeasurementDefinition decode(String json) throws DefinitionException {
        return MeasurementCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static DefinitionException refusal(String json) {
        try {
            MeasurementDefinition d = decode(json);
            throw new AssertionError("accepted " + d);
        } catch (DefinitionException e) {
            return e;
        }
    }

    private static DefinitionException refusal(byte[] json) {
        try {
            MeasurementDefinition d = MeasurementCodec.decode(json);
            throw new AssertionError("accepted " + d);
        } catch (DefinitionException e) {
            return e;
        }
    }

    /** {@code base} with the field at {@code path} ("trace.max_ttl") set to {@code value} (a JSON literal). */
    private static String with(String base, String path, String value) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(base);
        String[] parts = path.split("\\.");
        ObjectNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.has(parts[i]) ? (ObjectNode) parent.get(parts[i]) : parent.putObject(parts[i]);
        }
        if (value == null) {
            parent.remove(parts[parts.length - 1]);
        } else {
            parent.set(parts[parts.length - 1], JSON.readTree(value));
        }
        return JSON.writeValueAsString(root);
    }

    @Test
    void decodesEveryField() throws Exception {
        MeasurementDefinition d = decode(FULL_TRACE);
        assertThat(d.id()).isEqualTo("chain-icmp");
        assertThat(d.description()).isEqualTo("lab chain");
        assertThat(d.method()).isEqualTo(MeasurementMethod.ICMP_PARIS);
        assertThat(d.targets()).containsExactly("198.18.1.1", "198.18.2.0/24");
        assertThat(d.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.jitter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.start()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(d.stop()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(d.paused()).isTrue();
        assertThat(d.agents()).isEqualTo(AgentSelector.of(List.of("fra1-a"), List.of("Frankfurt")));
        assertThat(d.trace()).isEqualTo(new TraceSettings(2, 2, 20, 1500, 4000, 4, 3, 0, true, 100));
        assertThat(d.ping()).isNull();
    }

    @Test
    void roundTripsExactly() throws Exception {
        for (String json : List.of(FULL_TRACE, MINIMAL_PING, with(MINIMAL_PING, "ping",
                "{\"count\": 3, \"interval_ms\": 200, \"size\": 1400, \"ttl\": 9, \"wait_ms\": 500, \"df\": true}"),
                with(FULL_TRACE, "trace.port", null))) {
            MeasurementDefinition d = decode(json);
            byte[] encoded = MeasurementCodec.encode(d);
            assertThat(MeasurementCodec.decode(encoded)).isEqualTo(d);
            assertThat(MeasurementCodec.encode(MeasurementCodec.decode(encoded))).isEqualTo(encoded);
        }
    }

    @Test
    void encodesSchemaOneSnakeCaseWithoutNulls() throws Exception {
        JsonNode tree = JSON.readTree(MeasurementCodec.encode(decode(with(FULL_TRACE, "trace.port", null))));
        assertThat(tree.get("schema").intValue()).isEqualTo(1);
        assertThat(tree.get("interval_s").intValue()).isEqualTo(300);
        assertThat(tree.get("start").textValue()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(tree.get("trace").has("probes_per_hop")).isTrue();
        assertThat(tree.get("trace").has("port")).isFalse();
        assertThat(tree.has("ping")).isFalse();

        JsonNode ping = JSON.readTree(MeasurementCodec.encode(decode(MINIMAL_PING)));
        assertThat(ping.has("description")).isFalse();
        assertThat(ping.has("start")).isFalse();
        assertThat(ping.has("stop")).isFalse();
        assertThat(ping.has("trace")).isFalse();
        assertThat(ping.get("agents").toString()).isEqualTo("{\"all\":true}");
        assertThat(ping.get("method").textValue()).isEqualTo("ping");
    }

    @Test
    void appliesDefaults() throws Exception {
        MeasurementDefinition ping = decode(MINIMAL_PING);
        assertThat(ping.description()).isNull();
        assertThat(ping.jitter()).isEqualTo(Duration.ofSeconds(6));
        assertThat(ping.start()).isNull();
        assertThat(ping.stop()).isNull();
        assertThat(ping.paused()).isFalse();
        assertThat(ping.trace()).isNull();
        assertThat(ping.ping()).isEqualTo(new PingSettings(5, 1000, 56, 64, 2000, false));

        MeasurementDefinition trace = decode(with(with(MINIMAL_PING, "method", "\"udp\""), "interval_s", "3600"));
        assertThat(trace.jitter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(trace.ping()).isNull();
        assertThat(trace.trace()).isEqualTo(new TraceSettings(3, 1, 30, 2000, null, 8, 5, 1, false, 0));

        MeasurementDefinition partial = decode(with(with(MINIMAL_PING, "method", "\"tcp\""), "trace",
                "{\"max_ttl\": 12, \"port\": 443}"));
        assertThat(partial.trace()).isEqualTo(new TraceSettings(3, 1, 12, 2000, 443, 8, 5, 1, false, 0));

        MeasurementDefinition nulls = decode(with(with(MINIMAL_PING, "description", "null"), "jitter_s", "null"));
        assertThat(nulls.description()).isNull();
        assertThat(nulls.jitter()).isEqualTo(Duration.ofSeconds(6));
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("interval_s", "0", "interval_s: must be 1..604800, got 0"),
                Arguments.of("interval_s", "604801", "interval_s: must be 1..604800, got 604801"),
                Arguments.of("jitter_s", "-1", "jitter_s: must be 0..interval_s (300), got -1"),
                Arguments.of("jitter_s", "301", "jitter_s: must be 0..interval_s (300), got 301"),
                Arguments.of("id", "\"-lead\"", "id: '-lead' is not a measurement id"),
                Arguments.of("id", "\"" + "a".repeat(65) + "\"", "is not a measurement id"),
                Arguments.of("id", "\"a b\"", "id: 'a b' is not a measurement id"),
                Arguments.of("targets", "[]", "targets: must name at least one address or prefix"),
                Arguments.of("targets", "[\"198.18.0.1\", \"198.18.0.2\", \"224.0.0.1/33\"]",
                        "targets[2]: '224.0.0.1/33' is not an IPv4 address or prefix"),
                Arguments.of("targets", "[\"198.18.1.1/24\"]",
                        "targets[0]: '198.18.1.1/24' has host bits set (the network is 198.18.1.0/24)"),
                Arguments.of("targets", "[\"example.com\"]",
                        "targets[0]: 'example.com' is not an IPv4 address or prefix (host names are not resolved"),
                Arguments.of("targets", "[\"198.18.0.256\"]",
                        "targets[0]: '198.18.0.256' is not an IPv4 address or prefix"),
                Arguments.of("targets", "[\"198.18.0.0/+8\"]", "the prefix length must be a number 0..32"),
                Arguments.of("targets", "[\"198.18.0.0/08\"]", "the prefix length must be a number 0..32"),
                Arguments.of("targets", "[\"198.18.0.0/\"]", "the prefix length must be a number 0..32"),
                Arguments.of("trace.probes_per_hop", "0", "trace.probes_per_hop: must be 1..15, got 0"),
                Arguments.of("trace.probes_per_hop", "16", "trace.probes_per_hop: must be 1..15, got 16"),
                Arguments.of("trace.first_ttl", "0", "trace.first_ttl: must be 1..255, got 0"),
                Arguments.of("trace.first_ttl", "256", "trace.first_ttl: must be 1..255, got 256"),
                Arguments.of("trace.max_ttl", "0", "trace.max_ttl: must be 1..255, got 0"),
                Arguments.of("trace.max_ttl", "256", "trace.max_ttl: must be 1..255, got 256"),
                Arguments.of("trace.wait_ms", "0", "trace.wait_ms: must be 1..60000, got 0"),
                Arguments.of("trace.wait_ms", "60001", "trace.wait_ms: must be 1..60000, got 60001"),
                Arguments.of("trace.port", "0", "trace.port: must be 1..65535, got 0"),
                Arguments.of("trace.port", "65536", "trace.port: must be 1..65535, got 65536"),
                Arguments.of("trace.parallel_ttls", "0", "trace.parallel_ttls: must be 1..255, got 0"),
                Arguments.of("trace.parallel_ttls", "256", "trace.parallel_ttls: must be 1..255, got 256"),
                Arguments.of("trace.gap_limit", "0", "trace.gap_limit: must be 1..255, got 0"),
                Arguments.of("trace.gap_limit", "256", "trace.gap_limit: must be 1..255, got 256"),
                Arguments.of("trace.retries", "-1", "trace.retries: must be 0..10, got -1"),
                Arguments.of("trace.retries", "11", "trace.retries: must be 0..10, got 11"),
                Arguments.of("trace.probe_size", "27", "trace.probe_size: must be 0 (the method's default) or"
                        + " 28..65535, got 27"),
                Arguments.of("trace.probe_size", "65536", "trace.probe_size: must be 0 (the method's default) or"
                        + " 28..65535, got 65536"),
                Arguments.of("trace.probe_size", "30", "trace.probe_size: 30 is below the smallest udp probe"
                        + " (32 bytes)"));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void refusesTraceAndCommonFieldsOutOfRange(String path, String value, String message) throws Exception {
        String base = """
                {"schema": 1, "id": "t", "method": "udp", "targets": ["198.18.0.1"], "interval_s": 300,
                 "agents": {"all": true}, "trace": {}}
                """;
        DefinitionException e = refusal(with(base, path, value));
        assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(e).hasMessageContaining(message);
    }

    @Test
    void refusesMaxTtlBelowFirstTtl() throws Exception {
        DefinitionException e = refusal(with(with(FULL_TRACE, "trace.first_ttl", "10"), "trace.max_ttl", "9"));
        assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(e).hasMessage("trace.max_ttl: 9 is below first_ttl 10");
    }

    static Stream<Arguments> pingOutOfRange() {
        return Stream.of(
                Arguments.of("ping.count", "0", "ping.count: must be 1..65536, got 0"),
                Arguments.of("ping.count", "65537", "ping.count: must be 1..65536, got 65537"),
                Arguments.of("ping.interval_ms", "0", "ping.interval_ms: must be 1..3600000, got 0"),
                Arguments.of("ping.interval_ms", "3600001", "ping.interval_ms: must be 1..3600000, got 3600001"),
                Arguments.of("ping.size", "3", "ping.size: must be 4..65507, got 3"),
                Arguments.of("ping.size", "65508", "ping.size: must be 4..65507, got 65508"),
                Arguments.of("ping.ttl", "0", "ping.ttl: must be 1..255, got 0"),
                Arguments.of("ping.ttl", "256", "ping.ttl: must be 1..255, got 256"),
                Arguments.of("ping.wait_ms", "0", "ping.wait_ms: must be 1..60000, got 0"),
                Arguments.of("ping.wait_ms", "60001", "ping.wait_ms: must be 1..60000, got 60001"));
    }

    @ParameterizedTest
    @MethodSource("pingOutOfRange")
    void refusesPingFieldsOutOfRange(String path, String value, String message) throws Exception {
        DefinitionException e = refusal(with(MINIMAL_PING, path, value));
        assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(e).hasMessage(message);
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("id", "7", "id: expected a string, got the number 7"),
                Arguments.of("description", "[]", "description: expected a string, got a list"),
                Arguments.of("targets", "\"198.18.0.1\"", "targets: expected a list of strings, got the string"),
                Arguments.of("targets", "[\"198.18.0.1\", 5]", "targets[1]: expected a string, got the number 5"),
                Arguments.of("interval_s", "\"300\"", "interval_s: expected a whole number, got the string \"300\""),
                Arguments.of("interval_s", "300.5", "interval_s: expected a whole number, got the number 300.5"),
                Arguments.of("interval_s", "99999999999999999999999", "interval_s: 99999999999999999999999 is out"
                        + " of range"),
                Arguments.of("paused", "\"no\"", "paused: expected true or false, got the string \"no\""),
                Arguments.of("start", "\"yesterday\"", "start: 'yesterday' is not an ISO-8601 instant"),
                Arguments.of("start", "1700000000", "start: expected a string, got the number 1700000000"),
                Arguments.of("agents", "true", "agents: expected an object, got true"),
                Arguments.of("agents", "{}", "agents: selects no agent"),
                Arguments.of("agents", "{\"all\": false}", "agents: selects no agent"),
                Arguments.of("agents", "{\"all\": true, \"ids\": [\"a\"]}", "agents.all: cannot be combined"),
                Arguments.of("agents", "{\"ids\": [\"ok\", \"not ok\"]}", "agents.ids[1]: 'not ok' is not an"
                        + " agent id"),
                Arguments.of("agents", "{\"labels\": [\"\"]}", "agents.labels[0]: a label must be 1..100"),
                Arguments.of("agents", "{\"labels\": \"Frankfurt\"}", "agents.labels: expected a list of strings"),
                Arguments.of("ping", "[]", "ping: expected an object, got a list"),
                Arguments.of("ping.count", "5000000000", "ping.count: 5000000000 is out of range"),
                Arguments.of("ping.df", "1", "ping.df: expected true or false, got the number 1"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void refusesWrongTypes(String path, String value, String message) throws Exception {
        DefinitionException e = refusal(with(MINIMAL_PING, path, value));
        assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(e).hasMessageContaining(message);
    }

    @Test
    void refusesMissingFields() throws Exception {
        for (String field : List.of("schema", "id", "method", "targets", "interval_s", "agents")) {
            DefinitionException e = refusal(with(MINIMAL_PING, field, null));
            assertThat(e.reason()).as(field).isEqualTo(Reason.MISSING_FIELD);
            assertThat(e).hasMessageStartingWith(field + ": is missing");
            assertThat(refusal(with(MINIMAL_PING, field, "null")).reason()).isEqualTo(Reason.MISSING_FIELD);
        }
    }

    @Test
    void refusesUnknownFields() throws Exception {
        DefinitionException top = refusal(with(MINIMAL_PING, "interval", "60"));
        assertThat(top.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
        assertThat(top).hasMessageStartingWith("interval: unknown field; known: schema, id, description, method");

        DefinitionException nested = refusal(with(MINIMAL_PING, "ping.timeout", "3"));
        assertThat(nested.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
        assertThat(nested).hasMessage("ping.timeout: unknown field; known: count, interval_ms, size, ttl, wait_ms, df");

        DefinitionException trace = refusal(with(FULL_TRACE, "trace.maxTtl", "3"));
        assertThat(trace.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
        assertThat(trace).hasMessageStartingWith("trace.maxTtl: unknown field; known: probes_per_hop");

        DefinitionException agents = refusal(with(MINIMAL_PING, "agents.sites", "[\"x\"]"));
        assertThat(agents.reason()).isEqualTo(Reason.UNKNOWN_FIELD);
        assertThat(agents).hasMessage("agents.sites: unknown field; known: all, ids, labels");
    }

    @Test
    void refusesUnknownMethod() throws Exception {
        DefinitionException e = refusal(with(MINIMAL_PING, "method", "\"icmp\""));
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_METHOD);
        assertThat(e).hasMessage("method: unknown method 'icmp'; known: udp, udp-paris, icmp-paris, tcp, ping");
        assertThat(refusal(with(MINIMAL_PING, "method", "1")).reason()).isEqualTo(Reason.BAD_VALUE);
    }

    @Test
    void refusesOtherSchemas() throws Exception {
        DefinitionException two = refusal(with(with(MINIMAL_PING, "schema", "2"), "new_field", "true"));
        assertThat(two.reason()).isEqualTo(Reason.UNSUPPORTED_SCHEMA);
        assertThat(two).hasMessage("schema: 2 is not supported (this version reads schema 1)");
        assertThat(refusal(with(MINIMAL_PING, "schema", "0")).reason()).isEqualTo(Reason.UNSUPPORTED_SCHEMA);
        assertThat(refusal(with(MINIMAL_PING, "schema", "\"1\"")).reason()).isEqualTo(Reason.BAD_VALUE);
    }

    @Test
    void refusesBadJson() {
        String truncated = MINIMAL_PING.substring(0, MINIMAL_PING.indexOf("\"interval_s\""));
        DefinitionException cut = refusal(truncated);
        assertThat(cut.reason()).isEqualTo(Reason.BAD_JSON);
        assertThat(cut).hasMessageStartingWith("not valid JSON at line 1, column ")
                .hasMessageContaining("end-of-input");
        assertThat(cut.getMessage()).doesNotContain("\n").doesNotContain("[Source");

        DefinitionException comma = refusal("{\"schema\": 1,,}");
        assertThat(comma).hasMessageStartingWith("not valid JSON at line 1, column 14: ");
        assertThat(comma.reason()).isEqualTo(Reason.BAD_JSON);

        for (String notAnObject : List.of("[1, 2]", "\"text\"", "42", "null", "true")) {
            DefinitionException e = refusal(notAnObject);
            assertThat(e.reason()).as(notAnObject).isEqualTo(Reason.BAD_JSON);
            assertThat(e.getMessage()).as(notAnObject).matches("(a definition must be a JSON object, got .*"
                    + "|no definition \\(null\\))");
        }

        byte[] garbage = {(byte) 0xFF, (byte) 0xFE, 0x00, 0x7B, (byte) 0x80, (byte) 0xC3, 0x28};
        assertThat(refusal(garbage).reason()).isEqualTo(Reason.BAD_JSON);
        assertThat(refusal("{\"schema\": 1, \"id\": \"\u0000".getBytes(StandardCharsets.UTF_8)).reason())
                .isEqualTo(Reason.BAD_JSON);
        assertThat(refusal(new byte[0])).hasMessage("no data (an empty value)");
        assertThat(refusal((byte[]) null).reason()).isEqualTo(Reason.BAD_JSON);
        assertThat(refusal("   \n ")).hasMessage("no JSON value (only white space)");
        assertThat(refusal(MINIMAL_PING + " {}").reason()).isEqualTo(Reason.BAD_JSON);
        DefinitionException duplicate = refusal("{\"schema\": 1, \"id\": \"a\", \"id\": \"b\"}");
        assertThat(duplicate.reason()).isEqualTo(Reason.BAD_JSON);
        assertThat(duplicate).hasMessageContaining("id");
    }

    @Test
    void refusesSettingsOfTheOtherKind() throws Exception {
        DefinitionException trace = refusal(with(MINIMAL_PING, "trace", "{}"));
        assertThat(trace.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(trace).hasMessage("trace: not allowed for method ping (use ping)");

        DefinitionException ping = refusal(with(FULL_TRACE, "ping", "{\"count\": 1}"));
        assertThat(ping.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(ping).hasMessage("ping: not allowed for method icmp-paris (use trace)");
    }

    @Test
    void refusesStopNotAfterStart() throws Exception {
        DefinitionException before = refusal(with(FULL_TRACE, "stop", "\"2026-11-22T10:00:00Z\""));
        assertThat(before.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(before).hasMessage("stop: 2026-11-22T10:00:00Z is not after start 2026-11-23T10:00:00Z");
        assertThat(refusal(with(FULL_TRACE, "stop", "\"2026-11-23T10:00:00Z\"")).reason())
                .isEqualTo(Reason.BAD_VALUE);
    }

    @Test
    void acceptsInstantsWithOffsets() throws Exception {
        MeasurementDefinition d = decode(with(FULL_TRACE, "start", "\"2026-11-23T11:00:00+01:00\""));
        assertThat(d.start()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void refusesJitterAboveInterval() throws Exception {
        DefinitionException e = refusal(with(FULL_TRACE, "jitter_s", "301"));
        assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(e).hasMessage("jitter_s: must be 0..interval_s (300), got 301");
        assertThat(decode(with(FULL_TRACE, "jitter_s", "300")).jitter()).isEqualTo(Duration.ofSeconds(300));
        assertThat(decode(with(FULL_TRACE, "jitter_s", "0")).jitter()).isEqualTo(Duration.ZERO);
    }

    @Test
    void decodesTreesAsFromTheConfigFile() throws Exception {
        JsonNode tree = JSON.readTree(MINIMAL_PING);
        assertThat(MeasurementCodec.decode(tree)).isEqualTo(decode(MINIMAL_PING));
        assertThat(MeasurementCodec.toTree(MeasurementCodec.decode(tree))).isEqualTo(
                JSON.readTree(MeasurementCodec.encode(decode(MINIMAL_PING))));
        assertThatThrownBy(() -> MeasurementCodec.decode((JsonNode) null)).isInstanceOf(DefinitionException.class);
    }
}
