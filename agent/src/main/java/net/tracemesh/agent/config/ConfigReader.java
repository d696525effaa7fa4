package net.tracemesh.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads typed settings from a YAML tree by their dotted path ({@code kafka.sasl.username}), each overridden by
 * its environment variable ({@code TRACEMESH_KAFKA_SASL_USERNAME}) when that is set. Every error is a
 * {@link ConfigException} naming where the bad value came from: the file and path, or the variable.
 */
final class ConfigReader {
    static final String ENV_PREFIX = "TRACEMESH_";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final int MAX_SHOWN = 40;

    private final JsonNode root;
    private final Map<String, String> environment;
    private final String origin;
    /** Settings taken from the environment: path to variable name. */
    private final Map<String, String> fromEnvironment = new LinkedHashMap<>();

    private ConfigReader(JsonNode root, Map<String, String> environment, String origin) {
        this.root = root;
        this.environment = Map.copyOf(environment);
        this.origin = origin;
    }

    /**
     * Parses YAML text.
     *
     * @param origin the file name for messages, or null
     */
    static ConfigReader parse(String yaml, Map<String, String> environment, String origin) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(prefix(origin) + "not valid YAML" + describe(e), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        ConfigReader reader = new ConfigReader(root, environment == null ? Map.of() : environment, origin);
        if (!root.isObject()) {
            throw reader.fileError("", "expected a mapping of sections (agent, probing, ...), got " + kind(root));
        }
        return reader;
    }

    /** The environment variable that overrides a setting: {@code kafka.sasl.password-file} → TRACEMESH_KAFKA_SASL_PASSWORD_FILE. */
    static String environmentName(String path) {
        return ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Checks that the mapping at {@code path} ("" for the top) has only the known keys. */
    void section(String path, List<String> known) {
        JsonNode node = path.isEmpty() ? root : yaml(path);
        if (node == null) {
            return;
        }
        if (!node.isObject()) {
            throw fileError(path, "expected a mapping of settings, got " + kind(node));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw fileError(path.isEmpty() ? name : path + "." + name, "unknown setting; known: "
                        + String.join(", ", known));
            }
        }
    }

    /** The YAML value at a path, or null if it is absent or null. */
    JsonNode yaml(String path) {
        JsonNode node = root;
        for (String key : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node == null || node.isNull() ? null : node;
    }

    private String environment(String path) {
        String name = environmentName(path);
        String value = environment.get(name);
        if (value != null) {
            fromEnvironment.put(path, name);
        }
        return value;
    }

    String string(String path, String fallback) {
        String env = environment(path);
        if (env != null) {
            return env;
        }
        JsonNode node = yaml(path);
        if (node == null) {
            return fallback;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        throw fileError(path, "expected text, got " + kind(node));
    }

    /** A string where empty means not set. */
    String optionalString(String path) {
        String value = string(path, null);
        return value == null || value.isEmpty() ? null : value;
    }

    Path path(String path, Path fallback) {
        String value = optionalString(path);
        if (value == null) {
            return fallback;
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw error(path, "'" + shown(value) + "' is not a file path: " + e.getReason());
        }
    }

    Path optionalPath(String path) {
        return path(path, null);
    }

    double number(String path, double fallback) {
        String env = environment(path);
        if (env != null) {
            if (!DECIMAL.matcher(env.trim()).matches()) {
                throw environmentError(path, "expected a number, got '" + shown(env) + "'");
            }
            return Double.parseDouble(env.trim());
        }
        JsonNode node = yaml(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw fileError(path, "expected a number, got " + kind(node));
        }
        return node.doubleValue();
    }

    long whole(String path, long fallback) {
        String env = environment(path);
        if (env != null) {
            if (!WHOLE.matcher(env.trim()).matches()) {
                throw environmentError(path, "expected a whole number, got '" + shown(env) + "'");
            }
            try {
                return Long.parseLong(env.trim());
            } catch (NumberFormatException e) {
                throw environmentError(path, env.trim() + " is out of range");
            }
        }
        JsonNode node = yaml(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw fileError(path, "expected a whole number, got " + kind(node));
        }
        if (!node.canConvertToLong()) {
            throw fileError(path, node.asText() + " is out of range");
        }
        return node.longValue();
    }

    int integer(String path, int fallback) {
        long value = whole(path, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw error(path, value + " is out of range");
        }
        return (int) value;
    }

    boolean bool(String path, boolean fallback) {
        String env = environment(path);
        if (env != null) {
            String v = env.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw environmentError(path, "expected true or false, got '" + shown(env) + "'");
            }
            return v.equals("true");
        }
        JsonNode node = yaml(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw fileError(path, "expected true or false, got " + kind(node));
        }
        return node.booleanValue();
    }

    /** One of a fixed set of names. */
    <E> E choice(String path, E fallback, Function<String, Optional<E>> named, String names) {
        String value = string(path, null);
        if (value == null) {
            return fallback;
        }
        return named.apply(value.trim()).orElseThrow(() ->
                error(path, "'" + shown(value) + "' is not one of " + names));
    }

    /** A list of strings; in the environment, comma-separated. */
    List<String> list(String path, List<String> fallback) {
        String env = environment(path);
        if (env != null) {
            List<String> values = new ArrayList<>();
            for (String part : env.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
            return values;
        }
        JsonNode node = yaml(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isArray()) {
            throw fileError(path, "expected a list, got " + kind(node));
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw fileError(path + "[" + i + "]", "expected text, got " + kind(item));
            }
            values.add(item.textValue());
        }
        return values;
    }

    /** A size in bytes: a whole number, or text such as {@code 256MiB} ({@link ByteSize}). */
    long size(String path, long fallback) {
        String env = environment(path);
        String text;
        if (env != null) {
            text = env;
        } else {
            JsonNode node = yaml(path);
            if (node == null) {
                return fallback;
            }
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            if (!node.isTextual()) {
                throw fileError(path, "expected a size such as 268435456 or 256MiB, got " + kind(node));
            }
            text = node.textValue();
        }
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(path, e.getMessage());
        }
    }

    /** A mapping of names to scalar values, as strings (YAML only). */
    Map<String, String> stringMap(String path) {
        JsonNode node = yaml(path);
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null) {
            return values;
        }
        if (!node.isObject()) {
            throw fileError(path, "expected a mapping of names to values, got " + kind(node));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            if (!v.isValueNode() || v.isNull() || v.isBinary()) {
                throw fileError(path + "." + f.getKey(), "expected text, a number or true/false, got " + kind(v));
            }
            values.put(f.getKey(), v.asText());
        }
        return values;
    }

    /**
     * A secret read from a file named by a setting: the file's text without trailing line breaks.
     *
     * @param path the setting that names the file, for messages
     */
    String secret(String path, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw error(path, "cannot read " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw error(path, "cannot read " + file + ": " + describe(e));
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            throw error(path, file + " is empty");
        }
        return text.substring(0, end);
    }

    /** Checks that a file named by a setting can be read. */
    void requireReadable(String path, Path file) {
        if (Files.isDirectory(file)) {
            throw error(path, "cannot read " + file + ": it is a directory");
        }
        if (!Files.exists(file)) {
            throw error(path, "cannot read " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw error(path, "cannot read " + file + ": permission denied");
        }
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return firstLine(e.getMessage());
    }

    /** Builds a record; a validation error becomes a ConfigException, noting a value set in the environment. */
    <T> T validated(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            for (Map.Entry<String, String> env : fromEnvironment.entrySet()) {
                String path = env.getKey();
                if (message.startsWith(path + ":") || message.startsWith(path + "[")) {
                    message += " (set by " + env.getValue() + ")";
                    break;
                }
            }
            throw new ConfigException(prefix(origin) + message, e);
        }
    }

    /** An error about a value at a path, wherever it came from. */
    ConfigException error(String path, String message) {
        return fromEnvironment.containsKey(path) ? environmentError(path, message) : fileError(path, message);
    }

    ConfigException fileError(String path, String message) {
        return new ConfigException(prefix(origin) + (path.isEmpty() ? "" : path + ": ") + message);
    }

    private ConfigException environmentError(String path, String message) {
        return new ConfigException(fromEnvironment.getOrDefault(path, environmentName(path)) + ": " + message);
    }

    private static String prefix(String origin) {
        return origin == null ? "" : origin + ": ";
    }

    /** Where and why YAML did not parse: SnakeYAML's problem and its position when there is one. */
    private static String describe(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null && m.getProblem() != null) {
                return " at line " + (m.getProblemMark().getLine() + 1) + ", column "
                        + (m.getProblemMark().getColumn() + 1) + ": " + firstLine(m.getProblem());
            }
        }
        String message = firstLine(e.getOriginalMessage());
        if (message.startsWith("Trailing token")) {
            message = "more than one document (a config file holds one)";
        }
        return at(e.getLocation()) + ": " + message;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The first line of a message, trimmed; parser messages run over several lines. */
    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        int source = line.indexOf(" at [Source");
        return source < 0 ? line : line.substring(0, source);
    }

    /** How a YAML value looks, for "expected X, got Y" messages. */
    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case STRING -> "text '" + shown(node.textValue()) + "'";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> node.asText();
            case NULL -> "nothing";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String shown(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
    }
}
