package net.tracemesh.collector.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The settings of one collector.yaml, each looked up by its dotted path ({@code store.password-file}) and
 * overridden by the environment variable named after that path ({@code TRACEMESH_STORE_PASSWORD_FILE}). Every
 * problem becomes a {@link ConfigException} whose message starts with where the value came from.
 */
final class SettingsReader {
    static final String ENV_PREFIX = "TRACEMESH_";
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]{1,18}");
    private static final int LONGEST_QUOTE = 40;

    private final JsonNode root;
    private final Map<String, String> environment;
    /** The config file's name, or null when the text did not come from a file. */
    private final String file;
    /** Settings whose value came from the environment, with the variable's name. */
    private final Map<String, String> overridden = new HashMap<>();

    private SettingsReader(JsonNode root, Map<String, String> environment, String file) {
        this.root = root;
        this.environment = environment;
        this.file = file;
    }

    /** Parses the YAML text of a config file; empty text is a file that sets nothing. */
    static SettingsReader of(String yaml, Map<String, String> environment, String file) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new ConfigException((file == null ? "" : file + ": ") + "not valid YAML" + where + ": "
                    + firstLine(e.getOriginalMessage()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        SettingsReader reader = new SettingsReader(root, environment == null ? Map.of() : Map.copyOf(environment),
                file);
        if (!root.isObject()) {
            throw reader.inFile("", "expected a mapping of sections, got " + describe(root));
        }
        return reader;
    }

    /** {@code store.password-file} → {@code TRACEMESH_STORE_PASSWORD_FILE}. */
    static String variable(String path) {
        return ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Refuses keys of the mapping at {@code path} ("" for the top level) that are not {@code known}. */
    void onlyKeys(String path, List<String> known) {
        JsonNode node = path.isEmpty() ? root : node(path);
        if (node == null) {
            return;
        }
        if (!node.isObject()) {
            throw inFile(path, "expected a mapping, got " + describe(node));
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                throw inFile(path.isEmpty() ? key : path + "." + key, "unknown setting (known here: "
                        + String.join(", ", known) + ")");
            }
        });
    }

    /** Text; a number in the file is taken as its digits. */
    String text(String path, String fallback) {
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

    /** Text where an empty value means not set. */
    String optionalText(String path) {
        String value = text(path, null);
        return value == null || value.isBlank() ? null : value;
    }

    Path path(String path, Path fallback) {
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

    int count(String path, int fallback) {
        String env = fromEnvironment(path);
        long value;
        if (env != null) {
            if (!WHOLE_NUMBER.matcher(env.strip()).matches()) {
                throw at(path, "expected a whole number, got '" + quote(env) + "'");
            }
            value = Long.parseLong(env.strip());
        } else {
            JsonNode node = node(path);
            if (node == null) {
                return fallback;
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw inFile(path, "expected a whole number, got " + describe(node));
            }
            value = node.longValue();
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw at(path, value + " is out of range");
        }
        return (int) value;
    }

    Duration duration(String path, Duration fallback) {
        String env = fromEnvironment(path);
        String value;
        if (env != null) {
            value = env;
        } else {
            JsonNode node = node(path);
            if (node == null) {
                return fallback;
            }
            if (!node.isTextual()) {
                throw inFile(path, "expected " + DurationText.EXAMPLES + ", got " + describe(node));
            }
            value = node.textValue();
        }
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw at(path, e.getMessage());
        }
    }

    /** Names mapped to scalar values, as text; from the file only. */
    Map<String, String> properties(String path) {
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
            if (!v.isValueNode() || v.isNull()) {
                throw inFile(path + "." + e.getKey(), "expected text, a number or true/false, got " + describe(v));
            }
            values.put(e.getKey(), v.asText());
        });
        return values;
    }

    /**
     * The secret held in a file named by setting {@code path}: its text without trailing line breaks. A file that
     * every user may read is refused, where the file system has POSIX permissions.
     */
    String secret(String path, Path secretFile) {
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
        } catch (NoSuchFileException e) {
            throw at(path, "cannot read " + secretFile + ": no such file");
        } catch (IOException e) {
            throw at(path, "cannot read " + secretFile + ": " + firstLine(e.getMessage()));
        }
        String text;
        try {
            text = Files.readString(secretFile, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw at(path, "cannot read " + secretFile + ": not UTF-8 text");
        } catch (AccessDeniedException e) {
            throw at(path, "cannot read " + secretFile + ": permission denied");
        } catch (IOException e) {
            throw at(path, "cannot read " + secretFile + ": " + firstLine(e.getMessage()));
        }
        String secret = text.replaceAll("[\r\n]+$", "");
        if (secret.isEmpty()) {
            throw at(path, secretFile + " is empty");
        }
        return secret;
    }

    /**
     * Builds a settings record. Its constructor reports a bad value as an IllegalArgumentException whose message
     * starts with the setting's path; that becomes a ConfigException saying where the value came from.
     */
    <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            for (Map.Entry<String, String> o : overridden.entrySet()) {
                if (message.startsWith(o.getKey() + ":")) {
                    throw new ConfigException(o.getValue() + message.substring(o.getKey().length()), e);
                }
            }
            throw new ConfigException((file == null ? "" : file + ": ") + message, e);
        }
    }

    /** An error about the value of a setting, attributed to the environment variable if that is where it came from. */
    ConfigException at(String path, String message) {
        String variable = overridden.get(path);
        return variable != null ? new ConfigException(variable + ": " + message) : inFile(path, message);
    }

    private ConfigException inFile(String path, String message) {
        return new ConfigException((file == null ? "" : file + ": ") + (path.isEmpty() ? "" : path + ": ") + message);
    }

    private String fromEnvironment(String path) {
        String name = variable(path);
        String value = environment.get(name);
        if (value != null) {
            overridden.put(path, name);
        }
        return value;
    }

    private JsonNode node(String path) {
        JsonNode node = root;
        for (String key : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node == null || node.isNull() ? null : node;
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case STRING -> "text '" + quote(node.textValue()) + "'";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> node.asText();
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String quote(String s) {
        return s.length() <= LONGEST_QUOTE ? s : s.substring(0, LONGEST_QUOTE) + "...";
    }

    static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "unreadable";
        }
        return message.strip().lines().findFirst().orElse("").strip();
    }
}
