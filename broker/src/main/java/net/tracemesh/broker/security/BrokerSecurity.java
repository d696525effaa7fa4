package net.tracemesh.broker.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * What makes an embedded broker secure, prepared in its data directory on first use and reused afterwards:
 *
 * <ul>
 *   <li>the client listener ({@value #CLIENT_LISTENER}) is SASL_SSL with SCRAM-SHA-512 only; TLS from a private CA
 *       ({@link TlsMaterial});</li>
 *   <li>the controller listener stays on loopback and needs a password too (SASL PLAIN, one user, the broker
 *       itself: {@value #CONTROLLER_USER});</li>
 *   <li>Kafka's ACL authorizer with nothing allowed without an ACL; super users are only the administrator
 *       {@value #ADMIN_USER} (SCRAM credential written into the metadata when the storage is formatted, password in
 *       {@code security/admin-password}) and the broker's controller principal;</li>
 *   <li>refused logins and denied operations go to {@code security/audit.jsonl} ({@link AuditLog}).</li>
 * </ul>
 */
public final class BrokerSecurity {
    /** The administrator principal (SCRAM), a super user. */
    public static final String ADMIN_USER = "tracemesh-admin";
    /** The broker's own principal on the controller listener (PLAIN, loopback only), a super user. */
    public static final String CONTROLLER_USER = "tracemesh-controller";
    /** Names no agent or service may take. */
    public static final Set<String> RESERVED_USERS = Set.of(ADMIN_USER, CONTROLLER_USER);
    /** Name of the client listener of a secured broker. */
    public static final String CLIENT_LISTENER = "CLIENT";
    /** The only SASL mechanism clients may use. */
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** SCRAM iterations for new credentials (Kafka's minimum is 4096). */
    public static final int SCRAM_ITERATIONS = 8192;
    /** Longest a client session lasts before it must log in again. */
    static final java.time.Duration MAX_REAUTH = java.time.Duration.ofMinutes(10);
    static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private final SecurityFiles files;
    private final String adminPassword;
    private final String controllerPassword;
    private final boolean adminCredentialNew;

    private BrokerSecurity(SecurityFiles files, String adminPassword, String controllerPassword,
                           boolean adminCredentialNew) {
        this.files = files;
        this.adminPassword = adminPassword;
        this.controllerPassword = controllerPassword;
        this.adminCredentialNew = adminCredentialNew;
    }

    /**
     * Creates what is missing under {@code dataDir/security}: passwords, CA, broker certificate for
     * {@code hostnames} (issued again if they changed), truststore; and installs the login audit.
     *
     * @throws IllegalStateException if keytool fails or the files cannot be written
     */
    public static BrokerSecurity prepare(Path dataDir, Collection<String> hostnames) {
        SecurityFiles files = SecurityFiles.of(dataDir);
        try {
            Secrets.ownerOnlyDirectory(files.dir());
            boolean adminNew = !Files.exists(files.adminPassword());
            String admin = Secrets.readOrCreate(files.adminPassword());
            String controller = Secrets.readOrCreate(files.controllerPassword());
            new TlsMaterial(files).ensure(hostnames);
            AuditLog.forFile(files.auditLog());
            AuditingSaslProvider.install();
            return new BrokerSecurity(files, admin, controller, adminNew);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException("cannot prepare the broker's security files in " + files.dir() + ": "
                    + e.getMessage(), e);
        }
    }

    public SecurityFiles files() {
        return files;
    }

    /**
     * Whether the administrator password was created by this {@link #prepare}: then its SCRAM credential exists
     * only if the storage is formatted now ({@link #scramArguments()}).
     */
    public boolean adminCredentialNew() {
        return adminCredentialNew;
    }

    /**
     * The broker properties of the secured listeners, authorizer and audit; they replace the plain ones.
     *
     * @param controllerHost host of the controller listener (loopback)
     */
    public Map<String, String> brokerProperties(String listenHost, int port, String advertisedHost,
                                                String controllerListener, String controllerHost,
                                                int controllerPort) {
        String client = CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT);
        String controller = controllerListener.toLowerCase(java.util.Locale.ROOT);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", CLIENT_LISTENER + "://" + hostPort(listenHost, port) + "," + controllerListener + "://"
                + hostPort(controllerHost, controllerPort));
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + hostPort(advertisedHost, port));
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_SSL," + controllerListener
                + ":SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("sasl.mechanism.controller.protocol", "PLAIN");

        p.put("listener.name." + client + ".sasl.enabled.mechanisms", MECHANISM);
        p.put("listener.name." + client + "." + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                jaas(SCRAM_LOGIN_MODULE, ADMIN_USER, adminPassword, ""));
        p.put("listener.name." + client + ".ssl.keystore.type", "PKCS12");
        p.put("listener.name." + client + ".ssl.keystore.location", files.brokerKeystore().toString());
        p.put("listener.name." + client + ".ssl.keystore.password", Secrets.read(files.brokerPassword()));
        p.put("listener.name." + client + ".ssl.key.password", Secrets.read(files.brokerPassword()));
        p.put("listener.name." + client + ".ssl.truststore.type", "PKCS12");
        p.put("listener.name." + client + ".ssl.truststore.location", files.truststore().toString());
        p.put("listener.name." + client + ".ssl.truststore.password", Secrets.read(files.truststorePassword()));
        p.put("listener.name." + client + ".ssl.client.auth", "none");
        p.put("listener.name." + client + ".ssl.engine.factory.class", ClientAddresses.EngineFactory.class.getName());

        p.put("listener.name." + controller + ".sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name." + controller + ".plain.sasl.jaas.config", jaas(PLAIN_LOGIN_MODULE, CONTROLLER_USER,
                controllerPassword, " user_" + CONTROLLER_USER + "=\"" + controllerPassword + "\""));

        // a revoked credential stops working on open connections too, at their next re-authentication
        p.put("connections.max.reauth.ms", Long.toString(MAX_REAUTH.toMillis()));
        p.put("authorizer.class.name", AuditingAuthorizer.class.getName());
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + ADMIN_USER + ";User:" + CONTROLLER_USER);
        p.put(AuditingAuthorizer.AUDIT_FILE_CONFIG, files.auditLog().toString());
        return p;
    }

    /** The formatter's {@code --add-scram} arguments: the administrator's credential. */
    public List<String> scramArguments() {
        return List.of(MECHANISM + "=[name=" + ADMIN_USER + ",iterations=" + SCRAM_ITERATIONS + ",password="
                + adminPassword + "]");
    }

    /** The administrator's client properties for {@code bootstrap}. Holds a password: do not log. */
    public Map<String, Object> adminClientProperties(String bootstrap) {
        return clientProperties(bootstrap, ADMIN_USER, adminPassword, files.truststore(),
                Secrets.read(files.truststorePassword()));
    }

    /** Writes {@link #adminClientProperties} to {@code security/admin.properties} (0600). */
    public void writeAdminProperties(String bootstrap) {
        Properties p = new Properties();
        adminClientProperties(bootstrap).forEach((k, v) -> p.setProperty(k, v.toString()));
        StringBuilder text = new StringBuilder("# Kafka client properties of the tracemesh broker administrator "
                + "(SecurityAdmin, kafka-*.sh --command-config)\n");
        new TreeMap<>(p).forEach((k, v) -> text.append(k).append('=').append(escape(v.toString())).append('\n'));
        Secrets.writeOwnerOnly(files.adminProperties(), text.toString());
    }

    /** SASL_SSL / SCRAM-SHA-512 client properties for a user. Holds a password: do not log. */
    public static Map<String, Object> clientProperties(String bootstrap, String user, String password,
                                                       Path truststore, String truststorePassword) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaas(SCRAM_LOGIN_MODULE, user, password, ""));
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", truststorePassword);
        return p;
    }

    static String jaas(String module, String user, String password, String extra) {
        return module + " required username=\"" + quote(user) + "\" password=\"" + quote(password) + "\"" + extra
                + ";";
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** A value as java.util.Properties reads it back: backslashes and leading blanks escaped. */
    private static String escape(String value) {
        String v = value.replace("\\", "\\\\");
        return v.startsWith(" ") ? "\\" + v : v;
    }
}
