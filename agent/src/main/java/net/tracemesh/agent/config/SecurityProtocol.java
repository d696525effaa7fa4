package net.tracemesh.agent.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Kafka's {@code security.protocol}: whether the connection is encrypted (TLS) and authenticated (SASL). */
public enum SecurityProtocol {
    PLAINTEXT(false, false),
    SSL(false, true),
    SASL_PLAINTEXT(true, false),
    SASL_SSL(true, true);

    private final boolean sasl;
    private final boolean tls;

    SecurityProtocol(boolean sasl, boolean tls) {
        this.sasl = sasl;
        this.tls = tls;
    }

    /** Whether the agent authenticates with a SASL username and password. */
    public boolean usesSasl() {
        return sasl;
    }

    /** Whether the connection is TLS. */
    public boolean usesTls() {
        return tls;
    }

    /** The protocol with this name (as Kafka spells it), if any. */
    public static Optional<SecurityProtocol> named(String name) {
        return Arrays.stream(values()).filter(p -> p.name().equals(name)).findFirst();
    }

    /** The names, comma-separated, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
