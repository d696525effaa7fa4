package net.tracemesh.agent.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * TLS stores ({@code kafka.tls:} in agent.yaml). The store type follows the file name: {@code .p12} and
 * {@code .pfx} are PKCS12, {@code .jks} is JKS. Passwords are read from their files when the config is loaded;
 * {@link #toString()} never shows them.
 *
 * @param truststore               CA certificates to trust, or null for the JVM's [null]
 * @param truststorePasswordFile   where the truststore password was read from, or null [null]
 * @param truststorePassword       the truststore password, or null
 * @param keystore                 the agent's key and certificate for mutual TLS, or null [null]
 * @param keystorePasswordFile     where the keystore password was read from; required with a keystore [null]
 * @param keystorePassword         the keystore password, or null
 */
public record TlsConfig(Path truststore, Path truststorePasswordFile, String truststorePassword, Path keystore,
                        Path keystorePasswordFile, String keystorePassword) {
    /** No TLS stores: the defaults. */
    public static final TlsConfig NONE = new TlsConfig(null, null, null, null, null, null);
    public static final String PKCS12 = "PKCS12";
    public static final String JKS = "JKS";

    public TlsConfig {
        if (truststore != null) {
            storeType("kafka.tls.truststore", truststore);
        }
        if (keystore != null) {
            storeType("kafka.tls.keystore", keystore);
        }
        if (truststore == null && (truststorePasswordFile != null || truststorePassword != null)) {
            throw new IllegalArgumentException("kafka.tls.truststore-password-file: set without"
                    + " kafka.tls.truststore");
        }
        if (keystore == null && (keystorePasswordFile != null || keystorePassword != null)) {
            throw new IllegalArgumentException("kafka.tls.keystore-password-file: set without kafka.tls.keystore");
        }
        if (keystore != null && keystorePassword == null) {
            throw new IllegalArgumentException("kafka.tls.keystore-password-file: is required with"
                    + " kafka.tls.keystore");
        }
        if (truststorePasswordFile != null && truststorePassword == null) {
            throw new IllegalArgumentException("kafka.tls.truststore-password-file: " + truststorePasswordFile
                    + " was not read");
        }
        if (keystorePasswordFile != null && keystorePassword == null) {
            throw new IllegalArgumentException("kafka.tls.keystore-password-file: " + keystorePasswordFile
                    + " was not read");
        }
    }

    /** Whether any store is given. */
    public boolean configured() {
        return truststore != null || keystore != null;
    }

    /**
     * The store type of a file by its name: PKCS12 for .p12 and .pfx, JKS for .jks.
     *
     * @param setting the setting's path, for the message
     * @throws IllegalArgumentException for other names
     */
    public static String storeType(String setting, Path store) {
        String name = store.getFileName() == null ? "" : store.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return PKCS12;
        }
        if (name.endsWith(".jks")) {
            return JKS;
        }
        throw new IllegalArgumentException(setting + ": cannot tell the store type of '" + store
                + "' (name it .p12 or .pfx for PKCS12, .jks for JKS)");
    }

    @Override
    public String toString() {
        return "TlsConfig[truststore=" + truststore + ", truststorePasswordFile=" + truststorePasswordFile
                + ", truststorePassword=" + hidden(truststorePassword) + ", keystore=" + keystore
                + ", keystorePasswordFile=" + keystorePasswordFile + ", keystorePassword=" + hidden(keystorePassword)
                + "]";
    }

    private static String hidden(String password) {
        return password == null ? null : "(hidden)";
    }
}
