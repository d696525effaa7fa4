package net.tracemesh.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The settings of one YAML config file (agent.yaml, collector.yaml), each looked up by its dotted path
 * ({@code kafka.sasl.username}) and overridden by the environment variable named after that path
 * ({@code TRACEMESH_KAFKA_SASL_USERNAME}) when that is set. Every problem is one line that starts with where the bad
 * value came from: the file and the setting's path, or the variable. Which settings exist and their defaults belong
 * to the daemon that reads them; how its messages read and what they are thrown as are its {@link Messages}.
 */
public final class SettingsTree {
    /** What every overriding environment variable's name starts with. */
    public static final String ENV_PREFIX = "TRACEMESH_";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final int LONGEST_QUOTE = 40;

    /**
     * How one daemon words its configuration errors, and the exception they are thrown as.
     *
     * @param exception       makes the daemon's exception from a one-line message and its cause (null when none)
     * @param rootExpected    what the whole file must be, as in "expected a mapping of sections, got a list"
     * @param sectionExpected what a section that lists settings must be, as in "expected a mapping, got a list"
     * @param unknownSetting  the message for a key that is not a setting; {@code %s} stands for the known keys,
     *                        comma-separated
     * @param position        where in the text YAML did not parse; {@code %d} and {@code %d} stand for the line and
     *                        the column, both counted from 1
     * @param blame           how a record's refusal of a value from the environment names the variable
     */
    public record Messages(BiFunction<String, Throwable, ? extends RuntimeException> exception, String rootExpected,
                           String sectionExpected, String unknownSetting, String position, Blame blame) {
        public Messages {
            Objects.requireNonNull(exception, "exception");
            Objects.requireNonNull(rootExpected, "rootExpected");
            Objects.requireNonNull(sectionExpected, "sectionExpected");
            Objects.requireNonNull(unknownSetting, "unknownSetting");
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(blame, "blame");
        }

        RuntimeException error(String message, Throwable cause) {
            return exception.apply(message, cause);
        }
    }

    /** How a message from a settings record that starts with a setting's path names the variable that set it. */
    public enum Blame {
        /** {@code "probing.rate: must be more than 0, got 0.0 (set by TRACEMESH_PROBING_RATE)"}. */
        APPEND_VARIABLE,
        /** {@code "TRACEMESH_PROBING_RATE: must be more than 0, got 0.0"}. */
        REPLACE_PATH
    }

    private final JsonNode root;
    private final Map<String, String> environment;
    /** The config file's name, or null when the text did not come from a file. */
    private final String file;
    private final Messages messages;
    /** Settings whose value came from the environment: path to the variable's name, in the order first read. */
    private final Map<String, String> overridden = new LinkedHashMap<>();

    private SettingsTree(JsonNode root, Map<String, String> environment, String file, Messages messages) {
        this.root = root;
        this.environment = environment;
        this.file = file;
        this.messages = messages;
    }

    /**
     * Reads a config file and parses it.
     *
     * @param environment usually {@link System#getenv()}
     */
    public static SettingsTree load(Path yamlFile, Map<String, String> environment, Messages messages) {
        String text;
        try {
            text = Files.readString(yamlFile, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw messages.error("cannot read config file " + yamlFile + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw messages.error("cannot read config file " + yamlFile + ": " + reason(e), e);
        }
        return parse(text, environment, yamlFile.toString(), messages);
    }

    /**
     * Parses YAML text; empty text is a file that sets nothing.
     *
     * @param file the file's name for messages, or null when the text did not come from a file
     */
    public static SettingsTree parse(String yaml, Map<String, String> environment, String file, Messages messages) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw messages.error(prefix(file) + "not valid YAML" + whyNotYaml(e, messages.position()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        SettingsTree tree = new SettingsTree(root, environment == null ? Map.of() : Map.copyOf(environment), file,
                messages);
        if (!root.isObject()) {
            throw tree.inFile("", "expected " + messages.rootExpected() + ", got " + describe(root));
        }
        return tree;
    }

    /**
     * The variable that overrides a setting: {@code kafka.sasl.password-file} →
     * {@code TRACEMESH_KAFKA_SASL_PASSWORD_FILE}.
     */
    public static String variable(String path) {
        return ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Refuses keys of the mapping at {@code path} ("" for the top level) that are not {@code known}. */
    public void onlyKeys(String path, List<String> known) {
        JsonNode node = path.isEmpty() ? root : node(path);
        if (node == null) {
            return;
        }
        if (!node.isObject()) {
            throw inFile(path, "expected " + messages.sectionExpected() + ", got " + describe(node));
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                throw inFile(path.isEmpty() ? key : path + "." + key,
                        String.format(Locale.ROOT, messages.unknownSetting(), String.join(", ", known)));
            }
        });
    }

    /** The value in the file at a path, or null if it is absent or null; the environment does not count here. */
    public JsonNode node(String path) {
        JsonNode node = root;
        for (String key : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node == null || node.isNull() ? null : node;
    }

    /** Text; a number in the file is taken as its digits. */
    public String text(String path, String fallback) {
        String env = fromEnvironment(path);
        if (env != null) {
            return env;
        }
        JsonNode node = node(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw inFile(path, "expected text, got " + describe(node));
        }
        return node.asText();
    }

    /** Text where an empty or blank value means not set. */
    public String optionalText(String path) {
        String value = text(path, null);
        return value == null || value.isBlank() ? null : value;
    }

    public Path path(String path, Path fallback) {
        String value = optionalText(path);
        if (value == null) {
            return fallback;
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw at(path, "'" + quote(value) + "' is not a file path: " + e.getReason());
        }
    }

    /** A file path, or null when not set. */
    public Path optionalPath(String path) {
        return path(path, null);
    }

    public double number(String path, double fallback) {
        String env = fromEnvironment(path);
        if (env != null) {
            if (!DECIMAL.matcher(env.strip()).matches()) {
                throw at(path, "expected a number, got '" + quote(env) + "'");
            }
            return Double.parseDouble(env.strip());
        }
        JsonNode node = node(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw inFile(path, "expected a number, got " + describe(node));
        }
        return node.doubleValue();
    }

    public long whole(String path, long fallback) {
        String env = fromEnvironment(path);
        if (env != null) {
            if (!WHOLE.matcher(env.strip()).matches()) {
                throw at(path, "expected a whole number, got '" + quote(env) + "'");
            }
            try {
                return Long.parseLong(env.strip());
            } catch (NumberFormatException e) {
                throw at(path, env.strip() + " is out of range");
            }
        }
        JsonNode node = node(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw inFile(path, "expected a whole number, got " + describe(node));
        }
        if (!node.canConvertToLong()) {
            throw inFile(path, node.asText() + " is out of range");
        }
        return node.longValue();
    }

    public int integer(String path, int fallback) {
        long value = whole(path, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw at(path, value + " is out of range");
        }
        return (int) value;
    }

    /** true or false; in the environment in any case. */
    public boolean bool(String path, boolean fallback) {
        String env = fromEnvironment(path);
        if (env != null) {
            String v = env.strip().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw at(path, "expected true or false, got '" + quote(env) + "'");
            }
            return v.equals("true");
        }
        JsonNode node = node(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw inFile(path, "expected true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    /**
     * One of a fixed set of names.
     *
     * @param named the value a name stands for, if any
     * @param names the names, as in "'X' is not {@code names}": "one of A, B, C" or "a or b"
     */
    public <E> E choice(String path, E fallback, Function<String, Optional<E>> named, String names) {
        String value = text(path, null);
        if (value == null) {
            return fallback;
        }
        return named.apply(value.strip()).orElseThrow(() -> at(path, "'" + quote(value) + "' is not " + names));
    }

    /** A list of text; in the environment, comma-separated. */
    public List<String> list(String path, List<String> fallback) {
        String env = fromEnvironment(path);
        if (env != null) {
            List<String> values = new ArrayList<>();
            for (String part : env.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.strip());
                }
            }
            return values;
        }
        JsonNode node = node(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isArray()) {
            throw inFile(path, "expected a list, got " + describe(node));
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw inFile(path + "[" + i + "]", "expected text, got " + describe(item));
            }
            values.add(item.textValue());
        }
        return values;
    }

    /**
     * A value written as text and parsed, such as a duration or a size.
     *
     * @param expected what the file must hold, as in "expected {@code expected}, got the number 5"
     * @param parse    the value the text means; an IllegalArgumentException's message says what is wrong with it
     */
    public <T> T parsed(String path, T fallback, String expected, Function<String, T> parse) {
        return parsed(path, fallback, expected, parse, null);
    }

    /**
     * A value written as text and parsed, or as a whole number in the file.
     *
     * @param wholeNumber the value a whole number in the file means, or null if the file must hold text
     */
    public <T> T parsed(String path, T fallback, String expected, Function<String, T> parse,
                        LongFunction<T> wholeNumber) {
        String text = fromEnvironment(path);
        if (text == null) {
            JsonNode node = node(path);
            if (node == null) {
                return fallback;
            }
            if (wholeNumber != null && node.isIntegralNumber() && node.canConvertToLong()) {
                return wholeNumber.apply(node.longValue());
            }
            if (!node.isTextual()) {
                throw inFile(path, "expected " + expected + ", got " + describe(node));
            }
            text = node.textValue();
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw at(path, e.getMessage());
        }
    }

    /** Names mapped to single values, as text; from the file only. */
    public Map<String, String> properties(String path) {
        JsonNode node = node(path);
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null) {
            return values;
        }
        if (!node.isObject()) {
            throw inFile(path, "expected a mapping of names to values, got " + describe(node));
        }
        node.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull() || v.isBinary()) {
                throw inFile(path + "." + e.getKey(), "expected text, a number or true/false, got " + describe(v));
            }
            values.put(e.getKey(), v.asText());
        });
        return values;
    }

    /**
     * The secret held in a file named by setting {@code path}: the file's text without trailing line breaks.
     */
    public String secret(String path, Path secretFile) {
        String text;
        try {
            text = Files.readString(secretFile, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw at(path, "cannot read " + secretFile + ": not UTF-8 text");
        } catch (IOException e) {
            throw at(path, "cannot read " + secretFile + ": " + reason(e));
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            throw at(path, secretFile + " is empty");
        }
        return text.substring(0, end);
    }

    /**
     * As {@link #secret}, from a file that not every user may read: one that is, where the file system has POSIX
     * permissions, is refused.
     */
    public String privateSecret(String path, Path secretFile) {
        if (Files.isDirectory(secretFile)) {
            throw at(path, secretFile + " is a directory, not a file holding the password");
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(secretFile);
            if (mode.contains(PosixFilePermission.OTHERS_READ)) {
                throw at(path, secretFile + " can be read by every user (" + PosixFilePermissions.toString(mode)
                        + "); make it private first, e.g. chmod 600 " + secretFile);
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: nothing to check
        } catch (IOException e) {
            throw at(path, "cannot read " + secretFile + ": " + reason(e));
        }
        return secret(path, secretFile);
    }

    /** Checks that a file named by setting {@code path} can be read. */
    public void requireReadable(String path, Path file) {
        if (Files.isDirectory(file)) {
            throw at(path, "cannot read " + file + ": it is a directory");
        }
        if (!Files.exists(file)) {
            throw at(path, "cannot read " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw at(path, "cannot read " + file + ": permission denied");
        }
    }

    /**
     * Builds a settings record. Its constructor reports a bad value as an IllegalArgumentException whose message
     * starts with the setting's path; that becomes the daemon's exception saying where the value came from.
     */
    public <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            for (Map.Entry<String, String> o : overridden.entrySet()) {
                String path = o.getKey();
                String variable = o.getValue();
                if (messages.blame() == Blame.REPLACE_PATH && message.startsWith(path + ":")) {
                    throw messages.error(variable + message.substring(path.length()), e);
                }
                if (messages.blame() == Blame.APPEND_VARIABLE
                        && (message.startsWith(path + ":") || message.startsWith(path + "["))) {
                    message += " (set by " + variable + ")";
                    break;
                }
            }
            throw messages.error(prefix(file) + message, e);
        }
    }

    /** An error about the value of a setting, naming the variable if that is where the value came from. */
    public RuntimeException at(String path, String message) {
        String variable = overridden.get(path);
        return variable != null ? messages.error(variable + ": " + message, null) : inFile(path, message);
    }

    /** An error about what the file holds at a path ("" for the whole file). */
    public RuntimeException inFile(String path, String message) {
        return messages.error(prefix(file) + (path.isEmpty() ? "" : path + ": ") + message, null);
    }

    /** How a YAML value looks, for "expected X, got Y" messages. */
    public static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case STRING -> "text '" + quote(node.textValue()) + "'";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> node.asText();
            case NULL -> "nothing";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private String fromEnvironment(String path) {
        String name = variable(path);
        String value = environment.get(name);
        if (value != null) {
            overridden.put(path, name);
        }
        return value;
    }

    private static String prefix(String file) {
        return file == null ? "" : file + ": ";
    }

    /** Where and why YAML did not parse: SnakeYAML's problem and its position when there is one. */
    private static String whyNotYaml(JsonProcessingException e, String position) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null && m.getProblem() != null) {
                return String.format(Locale.ROOT, position, m.getProblemMark().getLine() + 1,
                        m.getProblemMark().getColumn() + 1) + ": " + firstLine(m.getProblem());
            }
        }
        String message = firstLine(e.getOriginalMessage());
        if (message.startsWith("Trailing token")) {
            message = "more than one document (a config file holds one)";
        }
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1 ? ""
                : String.format(Locale.ROOT, position, location.getLineNr(), location.getColumnNr());
        return where + ": " + message;
    }

    /** Why a file could not be read or written, in a few words ("no such file", "permission denied"...). */
    public static String reason(IOException e) {
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

    /** The first line of a message, trimmed; parser messages run over several lines. */
    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "unreadable";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        int source = line.indexOf(" at [Source");
        return source < 0 ? line : line.substring(0, source);
    }

    private static String quote(String s) {
        return s.length() <= LONGEST_QUOTE ? s : s.substring(0, LONGEST_QUOTE) + "...";
    }
}
