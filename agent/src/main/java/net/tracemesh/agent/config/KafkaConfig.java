package net.tracemesh.agent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How the agent reaches Kafka ({@code kafka:} in agent.yaml).
 *
 * @param bootstrapServers  {@code host:port} pairs, comma-separated [localhost:9092]
 * @param topicPrefix       put before every topic name, letters, digits, '.', '_', '-' [tracemesh.]
 * @param securityProtocol  PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL [PLAINTEXT]
 * @param sasl              SASL settings, required with the SASL protocols and refused without them
 * @param tls               TLS stores, refused without the TLS protocols (SSL, SASL_SSL)
 * @param properties        other Kafka client properties passed through as they are [{}]; the settings above
 *                          cannot be given here too
 */
public record KafkaConfig(String bootstrapServers, String topicPrefix, SecurityProtocol securityProtocol,
                          SaslConfig sasl, TlsConfig tls, Map<String, String> properties) {
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_TOPIC_PREFIX = "tracemesh.";

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SECURITY_PROTOCOL = "security.protocol";
    public static final String SASL_MECHANISM = "sasl.mechanism";
    public static final String SASL_JAAS_CONFIG = "sasl.jaas.config";
    public static final String SSL_TRUSTSTORE_LOCATION = "ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "ssl.key.password";

    /** Client properties that typed settings own, with the setting to use instead. */
    private static final Map<String, String> OWNED = Map.ofEntries(
            Map.entry(BOOTSTRAP_SERVERS, "kafka.bootstrap-servers"),
            Map.entry(SECURITY_PROTOCOL, "kafka.security-protocol"),
            Map.entry(SASL_MECHANISM, "kafka.sasl.mechanism"),
            Map.entry(SASL_JAAS_CONFIG, "kafka.sasl.username and kafka.sasl.password-file"),
            Map.entry(SSL_TRUSTSTORE_LOCATION, "kafka.tls.truststore"),
            Map.entry(SSL_TRUSTSTORE_PASSWORD, "kafka.tls.truststore-password-file"),
            Map.entry(SSL_TRUSTSTORE_TYPE, "kafka.tls.truststore (by its extension)"),
            Map.entry(SSL_KEYSTORE_LOCATION, "kafka.tls.keystore"),
            Map.entry(SSL_KEYSTORE_PASSWORD, "kafka.tls.keystore-password-file"),
            Map.entry(SSL_KEYSTORE_TYPE, "kafka.tls.keystore (by its extension)"),
            Map.entry(SSL_KEY_PASSWORD, "kafka.tls.keystore-password-file"));
    private static final Set<String> OWNED_KEYS = OWNED.keySet();

    private static final Pattern SERVER = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):([0-9]{1,5})");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,200}");
    private static final int MAX_PORT = 65_535;

    public KafkaConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap-servers: is empty");
        }
        for (String server : bootstrapServers.split(",", -1)) {
            var m = SERVER.matcher(server.trim());
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > MAX_PORT) {
                throw new IllegalArgumentException("kafka.bootstrap-servers: '" + server.trim()
                        + "' is not host:port (give host:port pairs, comma-separated)");
            }
        }
        if (topicPrefix == null || !TOPIC_PREFIX.matcher(topicPrefix).matches()) {
            throw new IllegalArgumentException("kafka.topic-prefix: '" + topicPrefix + "' may hold only letters,"
                    + " digits, '.', '_' and '-' (at most 200)");
        }
        if (securityProtocol == null) {
            throw new IllegalArgumentException("kafka.security-protocol: is missing");
        }
        sasl = sasl == null ? SaslConfig.NONE : sasl;
        tls = tls == null ? TlsConfig.NONE : tls;
        if (securityProtocol.usesSasl()) {
            if (sasl.username() == null) {
                throw new IllegalArgumentException("kafka.sasl.username: is required when kafka.security-protocol is "
                        + securityProtocol);
            }
            if (sasl.password() == null) {
                throw new IllegalArgumentException("kafka.sasl.password-file: is required when"
                        + " kafka.security-protocol is " + securityProtocol);
            }
        } else if (sasl.configured()) {
            throw new IllegalArgumentException("kafka.sasl: a username or password is set but"
                    + " kafka.security-protocol is " + securityProtocol + " (use SASL_SSL or SASL_PLAINTEXT)");
        }
        if (!securityProtocol.usesTls() && tls.configured()) {
            throw new IllegalArgumentException("kafka.tls: a store is set but kafka.security-protocol is "
                    + securityProtocol + " (use SSL or SASL_SSL)");
        }
        properties = Collections.unmodifiableMap(new TreeMap<>(properties == null ? Map.of() : properties));
        for (Map.Entry<String, String> p : properties.entrySet()) {
            if (p.getKey().isBlank()) {
                throw new IllegalArgumentException("kafka.properties: a property name is empty");
            }
            if (OWNED_KEYS.contains(p.getKey())) {
                throw new IllegalArgumentException("kafka.properties." + p.getKey() + ": set it with "
                        + OWNED.get(p.getKey()) + " instead");
            }
            if (p.getValue() == null) {
                throw new IllegalArgumentException("kafka.properties." + p.getKey() + ": has no value");
            }
        }
    }

    /** The defaults: a local broker without security. */
    public static KafkaConfig defaults() {
        return new KafkaConfig(DEFAULT_BOOTSTRAP_SERVERS, DEFAULT_TOPIC_PREFIX, SecurityProtocol.PLAINTEXT,
                SaslConfig.NONE, TlsConfig.NONE, Map.of());
    }

    /** A topic's full name: the prefix and the name ({@code topic("hops")} is {@code tracemesh.hops}). */
    public String topic(String name) {
        return topicPrefix + name;
    }

    /**
     * Kafka client properties for producers and consumers alike: {@code bootstrap.servers},
     * {@code security.protocol}, with SASL {@code sasl.mechanism} and {@code sasl.jaas.config}, with TLS stores
     * {@code ssl.truststore.*} and {@code ssl.keystore.*}, then the pass-through properties. Values are strings;
     * callers add serializers and delivery settings. The map holds passwords: do not log it.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(BOOTSTRAP_SERVERS, bootstrapServers);
        p.put(SECURITY_PROTOCOL, securityProtocol.name());
        if (securityProtocol.usesSasl()) {
            p.put(SASL_MECHANISM, sasl.mechanism().kafkaName());
            p.put(SASL_JAAS_CONFIG, sasl.jaasConfig());
        }
        if (securityProtocol.usesTls()) {
            if (tls.truststore() != null) {
                p.put(SSL_TRUSTSTORE_LOCATION, tls.truststore().toString());
                p.put(SSL_TRUSTSTORE_TYPE, TlsConfig.storeType("kafka.tls.truststore", tls.truststore()));
                if (tls.truststorePassword() != null) {
                    p.put(SSL_TRUSTSTORE_PASSWORD, tls.truststorePassword());
                }
            }
            if (tls.keystore() != null) {
                p.put(SSL_KEYSTORE_LOCATION, tls.keystore().toString());
                p.put(SSL_KEYSTORE_TYPE, TlsConfig.storeType("kafka.tls.keystore", tls.keystore()));
                p.put(SSL_KEYSTORE_PASSWORD, tls.keystorePassword());
            }
        }
        p.putAll(properties);
        return Collections.unmodifiableMap(p);
    }
}
