package net.tracemesh.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.tracemesh.agent.measurement.PolicyViolation;
import net.tracemesh.agent.measurement.TargetPolicy;
import net.tracemesh.config.SettingsTree;
import net.tracemesh.measurement.DefinitionException;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.MeasurementCodec;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.measurement.SigningKeyException;

/**
 * The agent daemon's configuration, loaded in one place: agent.yaml (kebab-case keys, every one optional), then
 * the environment. Every scalar setting can be overridden by {@code TRACEMESH_<PATH>}, the setting's path upper-cased
 * with '.' and '-' replaced by '_' ({@code kafka.bootstrap-servers} → {@code TRACEMESH_KAFKA_BOOTSTRAP_SERVERS});
 * {@code TRACEMESH_SAFETY_DENY} is a comma-separated list. {@code kafka.properties} and {@code measurements} come
 * from the file only; other {@code TRACEMESH_*} variables are ignored.
 *
 * <p>Unknown keys, wrong types and out-of-range values are {@link ConfigException}s naming the setting. The
 * measurements in the file are decoded as on the measurements topic and checked against the safety settings; a
 * bad one stops startup.
 *
 * @param agent        who the agent is
 * @param probing      how fast it probes
 * @param safety       what it refuses to probe
 * @param kafka        how it reaches Kafka
 * @param spool        how results wait while Kafka is unreachable
 * @param heartbeat    how often it reports its status
 * @param definitions  which central measurement definitions it trusts
 * @param measurements measurements defined in the file, ids distinct, each accepted by the safety settings
 */
public record AgentConfig(IdentityConfig agent, ProbingConfig probing, SafetyConfig safety, KafkaConfig kafka,
                          SpoolConfig spool, HeartbeatConfig heartbeat, DefinitionsConfig definitions,
                          List<MeasurementDefinition> measurements) {
    private static final List<String> SECTIONS = List.of("agent", "probing", "safety", "kafka", "spool", "heartbeat",
            "definitions", "measurements");
    private static final List<String> AGENT_KEYS = List.of("id", "site", "data-dir");
    private static final List<String> PROBING_KEYS = List.of("rate", "max-active");
    private static final List<String> SAFETY_KEYS = List.of("allow-loopback", "deny", "max-probes-per-round",
            "max-targets");
    private static final List<String> KAFKA_KEYS = List.of("bootstrap-servers", "topic-prefix", "security-protocol",
            "sasl", "tls", "properties");
    private static final List<String> SASL_KEYS = List.of("mechanism", "username", "password-file");
    private static final List<String> TLS_KEYS = List.of("truststore", "truststore-password-file", "keystore",
            "keystore-password-file");
    private static final List<String> SPOOL_KEYS = List.of("dir", "max-bytes", "memory-records", "spool-after-s");
    private static final List<String> HEARTBEAT_KEYS = List.of("interval-s");
    private static final List<String> DEFINITIONS_KEYS = List.of("public-key", "accept-unsigned");
    /** How agent.yaml's errors read: one line after {@code "agent: "}. */
    private static final SettingsTree.Messages MESSAGES = new SettingsTree.Messages(ConfigException::new,
            "a mapping of sections (agent, probing, ...)", "a mapping of settings", "unknown setting; known: %s",
            " at line %d, column %d", SettingsTree.Blame.APPEND_VARIABLE);

    public AgentConfig {
        if (agent == null || probing == null || safety == null || kafka == null || spool == null
                || heartbeat == null || definitions == null) {
            throw new IllegalArgumentException("every section is needed");
        }
        requireOwnIdentity(agent, kafka);
        measurements = List.copyOf(measurements == null ? List.of() : measurements);
        Map<String, Integer> seen = new HashMap<>();
        TargetPolicy policy = safety.toPolicy();
        for (int i = 0; i < measurements.size(); i++) {
            MeasurementDefinition d = measurements.get(i);
            Integer earlier = seen.putIfAbsent(d.id(), i);
            if (earlier != null) {
                throw new IllegalArgumentException("measurements[" + i + "]: id '" + d.id()
                        + "' is already used by measurements[" + earlier + "]");
            }
            try {
                policy.check(d);
            } catch (PolicyViolation v) {
                throw new IllegalArgumentException("measurements[" + i + "]: refused by the safety settings: "
                        + v.getMessage());
            }
        }
    }

    /**
     * With SASL the agent logs in to Kafka as itself: the broker's ACLs are per user, so {@code agent.id} must be
     * given and equal {@code kafka.sasl.username} (the name it was enrolled under).
     */
    private static void requireOwnIdentity(IdentityConfig agent, KafkaConfig kafka) {
        if (!kafka.securityProtocol().usesSasl()) {
            return;
        }
        String user = kafka.sasl().username();
        if (agent.id() == null) {
            throw new IllegalArgumentException("agent.id: is required with kafka.security-protocol "
                    + kafka.securityProtocol() + " and must equal kafka.sasl.username ('" + user + "')");
        }
        if (!agent.id().equals(user)) {
            throw new IllegalArgumentException("kafka.sasl.username: '" + user + "' is not this agent's id '"
                    + agent.id() + "' (an agent logs in as itself: enroll it under its agent.id)");
        }
    }

    /**
     * Loads agent.yaml and applies the environment.
     *
     * @param environment usually {@link System#getenv()}
     * @throws ConfigException if the file cannot be read or a setting is wrong; the message names the file
     */
    public static AgentConfig load(Path yamlFile, Map<String, String> environment) {
        return read(SettingsTree.load(yamlFile, environment, MESSAGES));
    }

    /** Reads YAML text (an empty text means every default) and applies the environment. */
    public static AgentConfig fromYaml(String text, Map<String, String> environment) {
        return read(SettingsTree.parse(text, environment, null, MESSAGES));
    }

    /** Every setting at its default, no measurements. */
    public static AgentConfig defaults() {
        return fromYaml("", Map.of());
    }

    private static AgentConfig read(SettingsTree r) {
        r.onlyKeys("", SECTIONS);
        r.onlyKeys("agent", AGENT_KEYS);
        r.onlyKeys("probing", PROBING_KEYS);
        r.onlyKeys("safety", SAFETY_KEYS);
        r.onlyKeys("kafka", KAFKA_KEYS);
        r.onlyKeys("kafka.sasl", SASL_KEYS);
        r.onlyKeys("kafka.tls", TLS_KEYS);
        r.onlyKeys("spool", SPOOL_KEYS);
        r.onlyKeys("heartbeat", HEARTBEAT_KEYS);
        r.onlyKeys("definitions", DEFINITIONS_KEYS);

        IdentityConfig agent = r.build(() -> new IdentityConfig(r.optionalText("agent.id"),
                r.text("agent.site", ""), r.path("agent.data-dir", IdentityConfig.DEFAULT_DATA_DIR)));
        ProbingConfig probing = r.build(() -> new ProbingConfig(
                r.number("probing.rate", ProbingConfig.DEFAULT_RATE), r.integer("probing.max-active", 0)));
        SafetyConfig safety = r.build(() -> new SafetyConfig(r.bool("safety.allow-loopback", false),
                r.list("safety.deny", List.of()),
                r.whole("safety.max-probes-per-round", SafetyConfig.DEFAULT_MAX_PROBES_PER_ROUND),
                r.integer("safety.max-targets", SafetyConfig.DEFAULT_MAX_TARGETS)));
        KafkaConfig kafka = readKafka(r);
        SpoolConfig spool = r.build(() -> new SpoolConfig(
                r.path("spool.dir", agent.dataDir().resolve(SpoolConfig.DEFAULT_DIR_NAME)),
                r.parsed("spool.max-bytes", SpoolConfig.DEFAULT_MAX_BYTES, "a size such as 268435456 or 256MiB",
                        ByteSize::parse, Long::valueOf),
                r.integer("spool.memory-records", SpoolConfig.DEFAULT_MEMORY_RECORDS),
                Duration.ofSeconds(r.whole("spool.spool-after-s", SpoolConfig.DEFAULT_SPOOL_AFTER.toSeconds()))));
        HeartbeatConfig heartbeat = r.build(() -> new HeartbeatConfig(Duration.ofSeconds(
                r.whole("heartbeat.interval-s", HeartbeatConfig.DEFAULT_INTERVAL.toSeconds()))));
        DefinitionsConfig definitions = readDefinitions(r);
        List<MeasurementDefinition> measurements = readMeasurements(r);
        return r.build(() -> new AgentConfig(agent, probing, safety, kafka, spool, heartbeat, definitions,
                measurements));
    }

    private static KafkaConfig readKafka(SettingsTree r) {
        SaslMechanism mechanism = r.choice("kafka.sasl.mechanism", SaslMechanism.SCRAM_SHA_512, SaslMechanism::named,
                "one of " + SaslMechanism.names());
        Path passwordFile = r.optionalPath("kafka.sasl.password-file");
        String password = passwordFile == null ? null : r.secret("kafka.sasl.password-file", passwordFile);
        SaslConfig sasl = r.build(() -> new SaslConfig(mechanism, r.optionalText("kafka.sasl.username"),
                passwordFile, password));

        Path truststore = r.optionalPath("kafka.tls.truststore");
        if (truststore != null) {
            r.requireReadable("kafka.tls.truststore", truststore);
        }
        Path truststorePasswordFile = r.optionalPath("kafka.tls.truststore-password-file");
        String truststorePassword = truststorePasswordFile == null ? null
                : r.secret("kafka.tls.truststore-password-file", truststorePasswordFile);
        Path keystore = r.optionalPath("kafka.tls.keystore");
        if (keystore != null) {
            r.requireReadable("kafka.tls.keystore", keystore);
        }
        Path keystorePasswordFile = r.optionalPath("kafka.tls.keystore-password-file");
        String keystorePassword = keystorePasswordFile == null ? null
                : r.secret("kafka.tls.keystore-password-file", keystorePasswordFile);
        TlsConfig tls = r.build(() -> new TlsConfig(truststore, truststorePasswordFile, truststorePassword,
                keystore, keystorePasswordFile, keystorePassword));

        return r.build(() -> new KafkaConfig(
                r.text("kafka.bootstrap-servers", KafkaConfig.DEFAULT_BOOTSTRAP_SERVERS).trim(),
                r.text("kafka.topic-prefix", KafkaConfig.DEFAULT_TOPIC_PREFIX),
                r.choice("kafka.security-protocol", SecurityProtocol.PLAINTEXT, SecurityProtocol::named,
                        "one of " + SecurityProtocol.names()),
                sasl, tls, r.properties("kafka.properties")));
    }

    private static DefinitionsConfig readDefinitions(SettingsTree r) {
        Path keyFile = r.optionalPath("definitions.public-key");
        PublicKey key = null;
        if (keyFile != null) {
            r.requireReadable("definitions.public-key", keyFile);
            try {
                key = DefinitionSigning.readPublicKey(keyFile);
            } catch (SigningKeyException e) {
                throw r.at("definitions.public-key", e.getMessage());
            }
        }
        PublicKey publicKey = key;
        return r.build(() -> new DefinitionsConfig(keyFile, publicKey, r.bool("definitions.accept-unsigned", false)));
    }

    private static List<MeasurementDefinition> readMeasurements(SettingsTree r) {
        JsonNode list = r.node("measurements");
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            throw r.inFile("measurements", "expected a list of measurement definitions, got "
                    + SettingsTree.describe(list));
        }
        List<MeasurementDefinition> definitions = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            try {
                definitions.add(MeasurementCodec.decode(item));
            } catch (DefinitionException e) {
                JsonNode id = item.get("id");
                String which = "measurements[" + i + "]" + (id != null && id.isTextual()
                        ? " (id '" + id.textValue() + "')" : "");
                throw r.inFile(which, e.getMessage());
            }
        }
        return definitions;
    }
}
