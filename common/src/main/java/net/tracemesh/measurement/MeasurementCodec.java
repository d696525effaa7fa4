package net.tracemesh.measurement;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.tracemesh.measurement.DefinitionException.Reason;

/**
 * The one place that knows how a {@link MeasurementDefinition} looks in JSON (schema 1, snake_case, absent
 * optional fields left out). Decoding is strict: unknown fields, wrong types, duplicate keys and trailing data
 * are refused with a {@link DefinitionException} whose message names the field; no Jackson exception escapes.
 * {@code decode(encode(d))} equals {@code d}.
 */
public final class MeasurementCodec {
    /** The schema version this codec reads and writes. */
    public static final int SCHEMA_VERSION = 1;

    static final String SCHEMA = "schema";
    static final String ID = "id";
    static final String DESCRIPTION = "description";
    static final String METHOD = "method";
    static final String TARGETS = "targets";
    static final String INTERVAL_S = "interval_s";
    static final String JITTER_S = "jitter_s";
    static final String START = "start";
    static final String STOP = "stop";
    static final String PAUSED = "paused";
    static final String AGENTS = "agents";
    static final String TRACE = "trace";
    static final String PING = "ping";
    private static final List<String> FIELDS = List.of(SCHEMA, ID, DESCRIPTION, METHOD, TARGETS, INTERVAL_S,
            JITTER_S, START, STOP, PAUSED, AGENTS, TRACE, PING);

    static final String ALL = "all";
    static final String IDS = "ids";
    static final String LABELS = "labels";
    private static final List<String> AGENT_FIELDS = List.of(ALL, IDS, LABELS);

    static final String PROBES_PER_HOP = "probes_per_hop";
    static final String FIRST_TTL = "first_ttl";
    static final String MAX_TTL = "max_ttl";
    static final String WAIT_MS = "wait_ms";
    static final String PORT = "port";
    static final String PARALLEL_TTLS = "parallel_ttls";
    static final String GAP_LIMIT = "gap_limit";
    static final String RETRIES = "retries";
    static final String PATH_MTU = "path_mtu";
    static final String PROBE_SIZE = "probe_size";
    private static final List<String> TRACE_FIELDS = List.of(PROBES_PER_HOP, FIRST_TTL, MAX_TTL, WAIT_MS, PORT,
            PARALLEL_TTLS, GAP_LIMIT, RETRIES, PATH_MTU, PROBE_SIZE);

    static final String COUNT = "count";
    static final String INTERVAL_MS = "interval_ms";
    static final String SIZE = "size";
    static final String TTL = "ttl";
    static final String DF = "df";
    private static final List<String> PING_FIELDS = List.of(COUNT, INTERVAL_MS, SIZE, TTL, WAIT_MS, DF);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private MeasurementCodec() {
    }

    /**
     * Decodes a definition from UTF-8 JSON bytes (a topic value).
     *
     * @throws DefinitionException {@link Reason#BAD_JSON} with the parser's line and column if the bytes are not
     *                             one JSON object, or as {@link #decode(JsonNode)}
     */
    public static MeasurementDefinition decode(byte[] json) throws DefinitionException {
        if (json == null || json.length == 0) {
            throw new DefinitionException(Reason.BAD_JSON, "no data (an empty value)");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new DefinitionException(Reason.BAD_JSON, "not valid JSON" + at(e.getLocation()) + ": "
                    + cleanParserMessage(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new DefinitionException(Reason.BAD_JSON, "not valid JSON: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new DefinitionException(Reason.BAD_JSON, "no JSON value (only white space)");
        }
        return decode(tree);
    }

    /**
     * Decodes a definition from a JSON tree (also the shape of a definition in the agent's YAML file).
     *
     * @throws DefinitionException naming the field and why
     */
    public static MeasurementDefinition decode(JsonNode json) throws DefinitionException {
        if (json == null || json.isMissingNode() || json.isNull()) {
            throw new DefinitionException(Reason.BAD_JSON, "no definition (null)");
        }
        if (!json.isObject()) {
            throw new DefinitionException(Reason.BAD_JSON, "a definition must be a JSON object, got "
                    + kind(json));
        }
        JsonNode schema = present(json, SCHEMA);
        if (schema == null) {
            throw new DefinitionException(Reason.MISSING_FIELD, "schema: is missing (this version reads schema "
                    + SCHEMA_VERSION + ")");
        }
        long version = longValue(schema, SCHEMA);
        if (version != SCHEMA_VERSION) {
            throw new DefinitionException(Reason.UNSUPPORTED_SCHEMA, "schema: " + version
                    + " is not supported (this version reads schema " + SCHEMA_VERSION + ")");
        }
        refuseUnknown(json, "", FIELDS);

        String methodName = text(required(json, METHOD, METHOD), METHOD);
        MeasurementMethod method = MeasurementMethod.fromWireName(methodName).orElseThrow(() ->
                new DefinitionException(Reason.UNKNOWN_METHOD, "method: unknown method '" + methodName
                        + "'; known: " + MeasurementMethod.wireNames()));
        String id = text(required(json, ID, ID), ID);
        JsonNode descriptionNode = present(json, DESCRIPTION);
        String description = descriptionNode == null ? null : text(descriptionNode, DESCRIPTION);
        List<String> targets = textList(required(json, TARGETS, TARGETS), TARGETS);
        Duration interval = Duration.ofSeconds(longValue(required(json, INTERVAL_S, INTERVAL_S), INTERVAL_S));
        JsonNode jitterNode = present(json, JITTER_S);
        Duration jitter = jitterNode == null ? null : Duration.ofSeconds(longValue(jitterNode, JITTER_S));
        Instant start = instant(present(json, START), START);
        Instant stop = instant(present(json, STOP), STOP);
        JsonNode pausedNode = present(json, PAUSED);
        boolean paused = pausedNode != null && bool(pausedNode, PAUSED);
        AgentSelector agents = agents(required(json, AGENTS, AGENTS));

        JsonNode traceNode = present(json, TRACE);
        JsonNode pingNode = present(json, PING);
        if (traceNode != null && !method.isTrace()) {
            throw bad("trace: not allowed for method " + method.wireName() + " (use ping)");
        }
        if (pingNode != null && method.isTrace()) {
            throw bad("ping: not allowed for method " + method.wireName() + " (use trace)");
        }
        TraceSettings trace = traceNode == null ? null : trace(traceNode);
        PingSettings ping = pingNode == null ? null : ping(pingNode);
        try {
            return new MeasurementDefinition(id, description, method, targets, interval, jitter, start, stop, paused,
                    agents, trace, ping);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    /** The definition as schema-1 JSON bytes (UTF-8). */
    public static byte[] encode(MeasurementDefinition d) {
        try {
            return MAPPER.writeValueAsBytes(toTree(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    /** The definition as a schema-1 JSON tree, fields in schema order, nulls left out. */
    public static ObjectNode toTree(MeasurementDefinition d) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(SCHEMA, SCHEMA_VERSION);
        o.put(ID, d.id());
        if (d.description() != null) {
            o.put(DESCRIPTION, d.description());
        }
        o.put(METHOD, d.method().wireName());
        ArrayNode targets = o.putArray(TARGETS);
        d.targets().forEach(targets::add);
        o.put(INTERVAL_S, (int) d.interval().getSeconds()); // at most a week: fits an int
        o.put(JITTER_S, (int) d.jitter().getSeconds());
        if (d.start() != null) {
            o.put(START, d.start().toString());
        }
        if (d.stop() != null) {
            o.put(STOP, d.stop().toString());
        }
        o.put(PAUSED, d.paused());
        ObjectNode agents = o.putObject(AGENTS);
        if (d.agents().all()) {
            agents.put(ALL, true);
        }
        if (!d.agents().ids().isEmpty()) {
            ArrayNode ids = agents.putArray(IDS);
            d.agents().ids().forEach(ids::add);
        }
        if (!d.agents().labels().isEmpty()) {
            ArrayNode labels = agents.putArray(LABELS);
            d.agents().labels().forEach(labels::add);
        }
        if (d.trace() != null) {
            TraceSettings t = d.trace();
            ObjectNode n = o.putObject(TRACE);
            n.put(PROBES_PER_HOP, t.probesPerHop());
            n.put(FIRST_TTL, t.firstTtl());
            n.put(MAX_TTL, t.maxTtl());
            n.put(WAIT_MS, t.waitMs());
            if (t.port() != null) {
                n.put(PORT, t.port());
            }
            n.put(PARALLEL_TTLS, t.parallelTtls());
            n.put(GAP_LIMIT, t.gapLimit());
            n.put(RETRIES, t.retries());
            n.put(PATH_MTU, t.pathMtu());
            n.put(PROBE_SIZE, t.probeSize());
        }
        if (d.ping() != null) {
            PingSettings p = d.ping();
            ObjectNode n = o.putObject(PING);
            n.put(COUNT, p.count());
            n.put(INTERVAL_MS, p.intervalMs());
            n.put(SIZE, p.size());
            n.put(TTL, p.ttl());
            n.put(WAIT_MS, p.waitMs());
            n.put(DF, p.df());
        }
        return o;
    }

    private static AgentSelector agents(JsonNode node) throws DefinitionException {
        requireObject(node, AGENTS);
        refuseUnknown(node, AGENTS + ".", AGENT_FIELDS);
        JsonNode allNode = present(node, ALL);
        boolean all = allNode != null && bool(allNode, AGENTS + "." + ALL);
        JsonNode idsNode = present(node, IDS);
        JsonNode labelsNode = present(node, LABELS);
        List<String> ids = idsNode == null ? List.of() : textList(idsNode, AGENTS + "." + IDS);
        List<String> labels = labelsNode == null ? List.of() : textList(labelsNode, AGENTS + "." + LABELS);
        try {
            return new AgentSelector(all, ids, labels);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw bad(AGENTS + (message.startsWith(ALL) || message.startsWith(IDS) || message.startsWith(LABELS)
                    ? "." : ": ") + message);
        }
    }

    private static TraceSettings trace(JsonNode node) throws DefinitionException {
        requireObject(node, TRACE);
        refuseUnknown(node, TRACE + ".", TRACE_FIELDS);
        TraceSettings d = TraceSettings.DEFAULTS;
        JsonNode portNode = present(node, PORT);
        Integer port = portNode == null ? d.port() : Integer.valueOf(intValue(portNode, TRACE + "." + PORT));
        try {
            return new TraceSettings(
                    intOr(node, TRACE, PROBES_PER_HOP, d.probesPerHop()),
                    intOr(node, TRACE, FIRST_TTL, d.firstTtl()),
                    intOr(node, TRACE, MAX_TTL, d.maxTtl()),
                    intOr(node, TRACE, WAIT_MS, d.waitMs()),
                    port,
                    intOr(node, TRACE, PARALLEL_TTLS, d.parallelTtls()),
                    intOr(node, TRACE, GAP_LIMIT, d.gapLimit()),
                    intOr(node, TRACE, RETRIES, d.retries()),
                    boolOr(node, TRACE, PATH_MTU, d.pathMtu()),
                    intOr(node, TRACE, PROBE_SIZE, d.probeSize()));
        } catch (IllegalArgumentException e) {
            throw bad(TRACE + "." + e.getMessage());
        }
    }

    private static PingSettings ping(JsonNode node) throws DefinitionException {
        requireObject(node, PING);
        refuseUnknown(node, PING + ".", PING_FIELDS);
        PingSettings d = PingSettings.DEFAULTS;
        try {
            return new PingSettings(
                    intOr(node, PING, COUNT, d.count()),
                    intOr(node, PING, INTERVAL_MS, d.intervalMs()),
                    intOr(node, PING, SIZE, d.size()),
                    intOr(node, PING, TTL, d.ttl()),
                    intOr(node, PING, WAIT_MS, d.waitMs()),
                    boolOr(node, PING, DF, d.df()));
        } catch (IllegalArgumentException e) {
            throw bad(PING + "." + e.getMessage());
        }
    }

    /** The field's value, or null if it is absent or JSON null. */
    private static JsonNode present(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static JsonNode required(JsonNode object, String field, String path) throws DefinitionException {
        JsonNode value = present(object, field);
        if (value == null) {
            throw new DefinitionException(Reason.MISSING_FIELD, path + ": is missing");
        }
        return value;
    }

    private static void requireObject(JsonNode node, String path) throws DefinitionException {
        if (!node.isObject()) {
            throw bad(path + ": expected an object, got " + kind(node));
        }
    }

    private static void refuseUnknown(JsonNode object, String prefix, List<String> known)
            throws DefinitionException {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new DefinitionException(Reason.UNKNOWN_FIELD, prefix + name + ": unknown field; known: "
                        + String.join(", ", known));
            }
        }
    }

    private static String text(JsonNode node, String path) throws DefinitionException {
        if (!node.isTextual()) {
            throw bad(path + ": expected a string, got " + kind(node));
        }
        return node.textValue();
    }

    private static List<String> textList(JsonNode node, String path) throws DefinitionException {
        if (!node.isArray()) {
            throw bad(path + ": expected a list of strings, got " + kind(node));
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            values.add(text(node.get(i), path + "[" + i + "]"));
        }
        return values;
    }

    private static long longValue(JsonNode node, String path) throws DefinitionException {
        if (!node.isIntegralNumber()) {
            throw bad(path + ": expected a whole number, got " + kind(node));
        }
        if (!node.canConvertToLong()) {
            throw bad(path + ": " + node.asText() + " is out of range");
        }
        return node.longValue();
    }

    private static int intValue(JsonNode node, String path) throws DefinitionException {
        long value = longValue(node, path);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw bad(path + ": " + value + " is out of range");
        }
        return (int) value;
    }

    private static int intOr(JsonNode object, String prefix, String field, int fallback)
            throws DefinitionException {
        JsonNode node = present(object, field);
        return node == null ? fallback : intValue(node, prefix + "." + field);
    }

    private static boolean bool(JsonNode node, String path) throws DefinitionException {
        if (!node.isBoolean()) {
            throw bad(path + ": expected true or false, got " + kind(node));
        }
        return node.booleanValue();
    }

    private static boolean boolOr(JsonNode object, String prefix, String field, boolean fallback)
            throws DefinitionException {
        JsonNode node = present(object, field);
        return node == null ? fallback : bool(node, prefix + "." + field);
    }

    private static Instant instant(JsonNode node, String path) throws DefinitionException {
        if (node == null) {
            return null;
        }
        String text = text(node, path);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw bad(path + ": '" + text + "' is not an ISO-8601 instant like 2026-11-23T10:00:00Z");
        }
    }

    private static DefinitionException bad(String message) {
        return new DefinitionException(Reason.BAD_VALUE, message);
    }

    /** How a value looks, for "expected X, got Y" messages. */
    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "the string \"" + abbreviate(node.textValue()) + "\"";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> node.asText();
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        final int max = 40;
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The parser's message on one line, without the source description Jackson appends. */
    static String cleanParserMessage(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String line = message.replaceAll("\\s+", " ").trim();
        int source = line.indexOf(" (start marker at [Source");
        if (source < 0) {
            source = line.indexOf(" at [Source");
        }
        return source < 0 ? line : line.substring(0, source);
    }
}
