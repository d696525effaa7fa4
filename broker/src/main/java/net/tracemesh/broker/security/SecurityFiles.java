package net.tracemesh.broker.security;

import java.nio.file.Path;

/**
 * Where a secured broker keeps its security material: {@code DATA_DIR/security/} (mode 0700). Passwords are in
 * 0600 files next to what they open.
 *
 * @param dir the security directory
 */
public record SecurityFiles(Path dir) {
    /** Name of the security directory inside the broker's data directory. */
    public static final String DIR_NAME = "security";

    /** The layout under a broker data directory. */
    public static SecurityFiles of(Path brokerDataDir) {
        return new SecurityFiles(brokerDataDir.toAbsolutePath().normalize().resolve(DIR_NAME));
    }

    /** The private CA's key and certificate (never leaves the broker). */
    public Path caKeystore() {
        return dir.resolve("ca.p12");
    }

    public Path caPassword() {
        return dir.resolve("ca-password");
    }

    /** The CA certificate, PEM. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** The broker's key and certificate chain. */
    public Path brokerKeystore() {
        return dir.resolve("broker.p12");
    }

    public Path brokerPassword() {
        return dir.resolve("broker-password");
    }

    /** The host names the broker certificate was issued for, one a line. */
    public Path brokerHostnames() {
        return dir.resolve("broker-hostnames");
    }

    /** The CA certificate alone, for clients. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public Path truststorePassword() {
        return dir.resolve("truststore-password");
    }

    /** The SCRAM password of the administrator principal {@link BrokerSecurity#ADMIN_USER}. */
    public Path adminPassword() {
        return dir.resolve("admin-password");
    }

    /** The password of the broker's own principal on the internal controller listener. */
    public Path controllerPassword() {
        return dir.resolve("controller-password");
    }

    /** Kafka client properties of the administrator (bootstrap, SASL_SSL, truststore), 0600. */
    public Path adminProperties() {
        return dir.resolve("admin.properties");
    }

    /** Refused authentications and denied operations, one JSON object a line. */
    public Path auditLog() {
        return dir.resolve("audit.jsonl");
    }
}
