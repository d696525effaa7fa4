package net.tracemesh.agent.config;

import java.nio.file.Path;

/**
 * SASL authentication ({@code kafka.sasl:} in agent.yaml). The password is read from its file when the config is
 * loaded; {@link #toString()} never shows it.
 *
 * @param mechanism    SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN [SCRAM-SHA-512]
 * @param username     the SASL user, or null [null]
 * @param passwordFile where the password was read from, or null [null]
 * @param password     the password (the file's content without trailing line breaks), or null
 */
public record SaslConfig(SaslMechanism mechanism, String username, Path passwordFile, String password) {
    /** No SASL settings: the defaults. */
    public static final SaslConfig NONE = new SaslConfig(SaslMechanism.SCRAM_SHA_512, null, null, null);

    public SaslConfig {
        if (mechanism == null) {
            throw new IllegalArgumentException("kafka.sasl.mechanism: is missing");
        }
        if (username != null && username.isEmpty()) {
            throw new IllegalArgumentException("kafka.sasl.username: is empty");
        }
        if (passwordFile != null && password == null) {
            throw new IllegalArgumentException("kafka.sasl.password-file: " + passwordFile + " was not read");
        }
    }

    /** Whether a username or password is given. */
    public boolean configured() {
        return username != null || password != null;
    }

    /**
     * The {@code sasl.jaas.config} value: the mechanism's login module with the username and password quoted
     * (backslashes and double quotes escaped).
     */
    public String jaasConfig() {
        return mechanism.loginModule() + " required username=\"" + quote(username) + "\" password=\""
                + quote(password) + "\";";
    }

    private static String quote(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "SaslConfig[mechanism=" + mechanism.kafkaName() + ", username=" + username + ", passwordFile="
                + passwordFile + ", password=" + (password == null ? null : "(hidden)") + "]";
    }
}
