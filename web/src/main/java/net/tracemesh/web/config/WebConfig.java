package net.tracemesh.web.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.tracemesh.collector.config.DurationText;
import net.tracemesh.collector.config.StoreConfig;
import net.tracemesh.collector.config.StoreType;
import net.tracemesh.config.SettingsTree;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.message.Topics;
import net.tracemesh.web.http.WebServerSettings;

/**
 * The web's configuration, read in one place: web.yaml (snake_case keys, every one optional but
 * {@code store.url} for a database), then the environment. Every single-value setting can be overridden by
 * {@code TRACEMESH_<PATH>}: its dotted path upper-cased with '.' written '_' ({@code http.port} →
 * {@code TRACEMESH_HTTP_PORT}, {@code store.password-file} → {@code TRACEMESH_STORE_PASSWORD_FILE});
 * {@code kafka.properties} comes from the file only.
 *
 * <p>Unknown keys, wrong types, out-of-range values, settings that do not fit the store type, unreadable TLS files
 * and a password file every user can read are {@link ConfigException}s naming the setting.
 *
 * @param http   where and how the HTTP server listens
 * @param kafka  where heartbeats and measurement definitions are
 * @param store  where the topology and the accounts are
 * @param auth   the first administrator and session lifetimes
 * @param agents when an agent counts as offline
 * @param measurements how definitions are signed
 */
public record WebConfig(WebServerSettings http, KafkaSettings kafka, StoreConfig store, AccountSettings auth,
                        AgentSettings agents, MeasurementSettings measurements) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_QUERY_WORKERS = 8;
    public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

    private static final List<String> SECTIONS = List.of("http", "kafka", "store", "auth", "agents",
            "measurements");
    private static final List<String> HTTP_KEYS = List.of("host", "port", "tls-certificate", "tls-key",
            "query-workers", "max-body-bytes");
    private static final List<String> KAFKA_KEYS = List.of("bootstrap-servers", "topic-prefix", "properties");
    private static final List<String> STORE_KEYS = List.of("type", "data-dir", "url", "user", "password-file",
            "cache-mb");
    private static final List<String> AUTH_KEYS = List.of("admin-user", "admin-password-file", "session-idle",
            "session-max");
    private static final List<String> AGENTS_KEYS = List.of("offline-after");
    private static final List<String> MEASUREMENTS_KEYS = List.of("signing-key");
    private static final Pattern SERVER = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5})");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,200}");
    private static final int MAX_PORT = 65_535;
    /** How web.yaml's errors read: one line after {@code "web: "}. */
    private static final SettingsTree.Messages MESSAGES = new SettingsTree.Messages(ConfigException::new,
            "a mapping of sections", "a mapping", "unknown setting (known here: %s)", " (line %d, column %d)",
            SettingsTree.Blame.REPLACE_PATH);

    public WebConfig {
        if (http == null || kafka == null || store == null || auth == null || agents == null
                || measurements == null) {
            throw new IllegalArgumentException("every section of the web's configuration is needed");
        }
    }

    /**
     * Reads web.yaml and applies the environment.
     *
     * @param environment usually {@link System#getenv()}
     * @throws ConfigException if the file cannot be read or a setting is wrong; the message names the file
     */
    public static WebConfig load(Path yamlFile, Map<String, String> environment) {
        return read(SettingsTree.load(yamlFile, environment, MESSAGES));
    }

    /** Reads YAML text and applies the environment. */
    public static WebConfig fromYaml(String yaml, Map<String, String> environment) {
        return read(SettingsTree.parse(yaml, environment, null, MESSAGES));
    }

    private static WebConfig read(SettingsTree r) {
        r.onlyKeys("", SECTIONS);
        r.onlyKeys("http", HTTP_KEYS);
        r.onlyKeys("kafka", KAFKA_KEYS);
        r.onlyKeys("store", STORE_KEYS);
        r.onlyKeys("auth", AUTH_KEYS);
        r.onlyKeys("agents", AGENTS_KEYS);
        r.onlyKeys("measurements", MEASUREMENTS_KEYS);

        Path certificate = r.optionalPath("http.tls-certificate");
        Path key = r.optionalPath("http.tls-key");
        if (certificate != null) {
            r.requireReadable("http.tls-certificate", certificate);
        }
        if (key != null) {
            r.requireReadable("http.tls-key", key);
        }
        WebServerSettings http = r.build(() -> new WebServerSettings(
                r.text("http.host", DEFAULT_HOST).strip(),
                r.integer("http.port", WebServerSettings.DEFAULT_PORT),
                certificate, key,
                r.integer("http.query-workers", DEFAULT_QUERY_WORKERS),
                r.whole("http.max-body-bytes", DEFAULT_MAX_BODY_BYTES)));
        if (http.host().isEmpty()) {
            throw r.at("http.host", "is empty (give an address such as 127.0.0.1 or 0.0.0.0)");
        }

        String servers = r.text("kafka.bootstrap-servers", DEFAULT_BOOTSTRAP_SERVERS).strip();
        checkServers(r, servers);
        String prefix = r.text("kafka.topic-prefix", Topics.DEFAULT_PREFIX);
        if (!TOPIC_PREFIX.matcher(prefix).matches()) {
            throw r.at("kafka.topic-prefix", "'" + prefix + "' may hold only letters, digits, '.', '_' and '-' (at"
                    + " most 200)");
        }
        Map<String, String> properties = r.properties("kafka.properties");
        KafkaSettings kafka = r.build(() -> new KafkaSettings(servers, prefix, properties));

        StoreConfig store = readStore(r);
        AccountSettings auth = r.build(() -> new AccountSettings(
                r.text("auth.admin-user", AccountSettings.DEFAULT_ADMIN_USER).strip(),
                r.optionalPath("auth.admin-password-file"),
                duration(r, "auth.session-idle", AccountSettings.defaults().sessionIdle()),
                duration(r, "auth.session-max", AccountSettings.defaults().sessionMax())));
        AgentSettings agents = r.build(() -> new AgentSettings(
                duration(r, "agents.offline-after", AgentSettings.DEFAULT_OFFLINE_AFTER)));
        Path keyDir = store.dataDir() != null ? store.dataDir() : MeasurementSettings.DEFAULT_DIR;
        MeasurementSettings measurements = r.build(() -> new MeasurementSettings(r.path("measurements.signing-key",
                keyDir.resolve(DefinitionSigning.PRIVATE_KEY_FILE))));
        return r.build(() -> new WebConfig(http, kafka, store, auth, agents, measurements));
    }

    private static StoreConfig readStore(SettingsTree r) {
        StoreType type = r.choice("store.type", StoreType.JDBC, StoreType::named, StoreType.names());
        Path dataDir = r.optionalPath("store.data-dir");
        String url = r.optionalText("store.url");
        String user = r.optionalText("store.user");
        Path passwordFile = r.optionalPath("store.password-file");
        if (passwordFile != null && type != StoreType.JDBC) {
            throw r.at("store.password-file", "is only used when store.type is jdbc");
        }
        String password = passwordFile == null ? null : r.privateSecret("store.password-file", passwordFile);
        int cacheMb = StoreConfig.readCacheMb(r, type);
        return r.build(() -> new StoreConfig(type, dataDir, url, user, passwordFile, password, cacheMb));
    }

    private static void checkServers(SettingsTree r, String servers) {
        if (servers.isEmpty()) {
            throw r.at("kafka.bootstrap-servers", "is empty");
        }
        for (String server : servers.split(",", -1)) {
            Matcher m = SERVER.matcher(server.strip());
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > MAX_PORT) {
                throw r.at("kafka.bootstrap-servers", "'" + server.strip() + "' is not host:port (give host:port"
                        + " pairs, comma-separated)");
            }
        }
    }

    /** A duration written as {@link DurationText} reads it ({@code 90s}, {@code 12h}, {@code 7d}). */
    private static Duration duration(SettingsTree r, String path, Duration fallback) {
        return r.parsed(path, fallback, DurationText.EXAMPLES, DurationText::parse);
    }
}
