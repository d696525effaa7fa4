package net.tracemesh.agent.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The SASL mechanisms the agent can use, with Kafka's login module for each. */
public enum SaslMechanism {
    PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
    SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
    SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

    private final String kafkaName;
    private final String loginModule;

    SaslMechanism(String kafkaName, String loginModule) {
        this.kafkaName = kafkaName;
        this.loginModule = loginModule;
    }

    /** The name in {@code sasl.mechanism} and in agent.yaml ({@code SCRAM-SHA-512}). */
    public String kafkaName() {
        return kafkaName;
    }

    /** The JAAS login module class name for {@code sasl.jaas.config}. */
    public String loginModule() {
        return loginModule;
    }

    /** The mechanism with this Kafka name, if any. */
    public static Optional<SaslMechanism> named(String name) {
        return Arrays.stream(values()).filter(m -> m.kafkaName.equals(name)).findFirst();
    }

    /** The Kafka names, comma-separated, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(SaslMechanism::kafkaName).collect(Collectors.joining(", "));
    }
}
