package net.tracemesh.broker.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.tracemesh.message.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * Enrollment and audit for a secured broker, run on the broker's host by its administrator:
 *
 * <pre>
 * java -cp tracemesh.jar net.tracemesh.broker.security.SecurityAdmin COMMAND [ARG] (--data-dir BROKER_DIR | --admin-config FILE) [options]
 *   enroll-agent ID --out DIR [--bootstrap HOST:PORT] [--secrets-dir PATH] [--prefix P]
 *   revoke-agent ID
 *   list-agents
 *   enroll-service collector|web NAME --out DIR [--group G] [--bootstrap HOST:PORT] [--secrets-dir PATH] [--prefix P]
 *   create-topics [--prefix P]
 *   events [--since TIME|AGE] [--json]          (needs --data-dir)
 * </pre>
 *
 * <p>{@code --data-dir} is the broker's data directory: the administrator's client properties
 * ({@code security/admin.properties}, written by the broker when it starts) and the audit log are there.
 * Enrolling creates a random SCRAM-SHA-512 password for the user and its ACLs ({@link AccessRules}); enrolling
 * again gives a new password (the old one stops working). The bundle in {@code --out} holds the password
 * ({@code kafka-password}), the broker's truststore and its password, and {@code kafka-snippet.yaml}: the
 * {@code kafka:} section for agent.yaml (agents) or for collector.yaml / web.yaml (services), with file paths under
 * {@code --secrets-dir} (default: the bundle directory itself). Revoking deletes the credential and every ACL of
 * the user. Exit status: 0, 1 when Kafka refuses or cannot be reached, 2 for bad arguments.
 */
public final class SecurityAdmin {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    static final String USAGE = """
            usage: SecurityAdmin COMMAND [ARG] (--data-dir BROKER_DIR | --admin-config FILE) [options]
              enroll-agent ID --out DIR [--bootstrap HOST:PORT] [--secrets-dir PATH] [--prefix P]
              revoke-agent ID
              list-agents [--prefix P]
              enroll-service collector|web NAME --out DIR [--group G] [--bootstrap HOST:PORT] [--secrets-dir PATH] [--prefix P]
              create-topics [--prefix P]
              events [--since TIME|AGE] [--json]""";
    static final String PASSWORD_FILE = "kafka-password";
    static final String TRUSTSTORE_FILE = "truststore.p12";
    static final String TRUSTSTORE_PASSWORD_FILE = "truststore-password";
    static final String SNIPPET_FILE = "kafka-snippet.yaml";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern AGE = Pattern.compile("([0-9]+)([smhd])");

    private final PrintStream out;

    SecurityAdmin(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            System.exit(args.length == 0 ? EXIT_USAGE : 0);
            return;
        }
        int status;
        try {
            status = new SecurityAdmin(System.out).run(Arguments.parse(args));
        } catch (IllegalArgumentException e) {
            System.err.println("SecurityAdmin: " + e.getMessage());
            System.err.println(USAGE);
            status = EXIT_USAGE;
        } catch (IllegalStateException | UncheckedIOException e) {
            System.err.println("SecurityAdmin: " + e.getMessage());
            status = EXIT_FAILURE;
        }
        System.exit(status);
    }

    /**
     * Runs one command as {@link #main} would, printing to {@code out}, for tests and launchers.
     *
     * @return the exit status
     * @throws IllegalArgumentException for bad arguments
     * @throws IllegalStateException    when Kafka refuses or cannot be reached
     */
    public static int run(PrintStream out, String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no command");
        }
        return new SecurityAdmin(out).run(Arguments.parse(args));
    }

    /** Parsed command line: the command, its positional arguments and {@code --name value} options. */
    record Arguments(String command, List<String> positional, Map<String, String> options) {
        static Arguments parse(String[] args) {
            List<String> positional = new ArrayList<>();
            Map<String, String> options = new HashMap<>();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--json")) {
                    options.put(a, "true");
                } else if (a.startsWith("--")) {
                    int eq = a.indexOf('=');
                    if (eq > 0) {
                        options.put(a.substring(0, eq), a.substring(eq + 1));
                    } else if (i + 1 < args.length) {
                        options.put(a, args[++i]);
                    } else {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                } else {
                    positional.add(a);
                }
            }
            return new Arguments(args[0], List.copyOf(positional), Map.copyOf(options));
        }

        String option(String name, String fallback) {
            return options.getOrDefault(name, fallback);
        }

        String required(String name) {
            String v = options.get(name);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(command + " needs " + name);
            }
            return v;
        }

        String argument(int index, String what) {
            if (positional.size() <= index) {
                throw new IllegalArgumentException(command + " needs " + what);
            }
            return positional.get(index);
        }

        void only(String... allowed) {
            List<String> known = new ArrayList<>(List.of("--data-dir", "--admin-config"));
            known.addAll(List.of(allowed));
            for (String name : options.keySet()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("unknown option " + name + " for " + command);
                }
            }
        }
    }

    /** Runs one command; returns the exit status. */
    int run(Arguments a) {
        return switch (a.command()) {
            case "enroll-agent" -> {
                a.only("--out", "--bootstrap", "--secrets-dir", "--prefix");
                String id = AccessRules.requireName(a.argument(0, "an agent id"));
                String prefix = prefix(a);
                Path outDir = Path.of(a.required("--out"));
                try (Admin admin = admin(a)) {
                    String password = Secrets.newPassword();
                    setPassword(admin, id, password);
                    await(admin.createAcls(AccessRules.agent(prefix, id)).all(), "creating the ACLs of " + id);
                    Bundle bundle = writeBundle(a, outDir, password);
                    Secrets.writeOwnerOnly(outDir.resolve(SNIPPET_FILE), agentSnippet(id, prefix, bundle));
                }
                out.println("enrolled agent " + id + "; bundle in " + outDir.toAbsolutePath()
                        + " (copy it to the agent host's secrets directory, merge " + SNIPPET_FILE + " into agent.yaml)");
                yield 0;
            }
            case "enroll-service" -> {
                a.only("--out", "--bootstrap", "--secrets-dir", "--prefix", "--group");
                String kind = a.argument(0, "collector or web");
                String name = AccessRules.requireName(a.argument(1, "a service name"));
                String prefix = prefix(a);
                List<AclBinding> acls = switch (kind) {
                    case "collector" -> AccessRules.collector(prefix, name,
                            a.option("--group", AccessRules.DEFAULT_COLLECTOR_GROUP));
                    case "web" -> AccessRules.web(prefix, name);
                    default -> throw new IllegalArgumentException("enroll-service needs collector or web, got '"
                            + kind + "'");
                };
                Path outDir = Path.of(a.required("--out"));
                try (Admin admin = admin(a)) {
                    String password = Secrets.newPassword();
                    setPassword(admin, name, password);
                    await(admin.createAcls(acls).all(), "creating the ACLs of " + name);
                    Bundle bundle = writeBundle(a, outDir, password);
                    Secrets.writeOwnerOnly(outDir.resolve(SNIPPET_FILE), serviceSnippet(name, password, prefix,
                            bundle));
                }
                out.println("enrolled " + kind + " " + name + "; bundle in " + outDir.toAbsolutePath() + " (merge "
                        + SNIPPET_FILE + " into the " + kind + "'s config file; it holds the password: keep it 0600)");
                yield 0;
            }
            case "revoke-agent" -> {
                a.only();
                String id = AccessRules.requireName(a.argument(0, "an agent id"));
                try (Admin admin = admin(a)) {
                    int credentials = deleteCredentials(admin, id);
                    int acls = await(admin.deleteAcls(List.of(new AclBindingFilter(ResourcePatternFilter.ANY,
                            new AccessControlEntryFilter(AccessRules.principal(id), null, AclOperation.ANY,
                                    AclPermissionType.ANY)))).all(), "deleting the ACLs of " + id).size();
                    out.println("revoked " + id + ": " + credentials + " credential(s) and " + acls
                            + " ACL(s) deleted");
                }
                yield 0;
            }
            case "list-agents" -> {
                a.only("--prefix");
                String prefix = prefix(a);
                try (Admin admin = admin(a)) {
                    Map<String, List<AclBinding>> acls = aclsByUser(admin);
                    Map<String, UserScramCredentialsDescription> users = await(
                            admin.describeUserScramCredentials().all(), "listing the SCRAM users");
                    TreeMap<String, String> agents = new TreeMap<>();
                    acls.forEach((user, list) -> {
                        if (AccessRules.looksLikeAgent(prefix, list)) {
                            agents.put(user, users.containsKey(user) ? "enrolled"
                                    : "ACLs but no credential (revoked or not finished)");
                        }
                    });
                    agents.forEach((user, state) -> out.println(user + "\t" + state));
                }
                yield 0;
            }
            case "create-topics" -> {
                a.only("--prefix");
                String prefix = prefix(a);
                try (Admin admin = admin(a)) {
                    List<NewTopic> topics = new ArrayList<>();
                    for (Topics.Spec spec : Topics.ALL) {
                        topics.add(new NewTopic(spec.fullName(prefix), Optional.of(spec.partitions()), Optional.empty())
                                .configs(spec.compacted() ? Map.of("cleanup.policy", "compact") : Map.of()));
                    }
                    topics.add(new NewTopic(prefix + Topics.DEAD_LETTER, Optional.of(1), Optional.empty()));
                    for (var e : admin.createTopics(topics).values().entrySet()) {
                        try {
                            e.getValue().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                            out.println("created " + e.getKey());
                        } catch (ExecutionException ex) {
                            if (!(ex.getCause() instanceof TopicExistsException)) {
                                throw new IllegalStateException("cannot create " + e.getKey() + ": "
                                        + ex.getCause().getMessage(), ex.getCause());
                            }
                            out.println("exists  " + e.getKey());
                        } catch (TimeoutException | InterruptedException ex) {
                            throw new IllegalStateException("creating " + e.getKey() + " did not finish", ex);
                        }
                    }
                }
                yield 0;
            }
            case "events" -> {
                a.only("--since", "--json");
                Path dataDir = Path.of(a.required("--data-dir"));
                Instant since = a.options().containsKey("--since") ? since(a.options().get("--since")) : Instant.EPOCH;
                for (AuditEvent e : AuditLog.readSince(SecurityFiles.of(dataDir).auditLog(), since)) {
                    out.println(a.options().containsKey("--json") ? json(e) : e.describe());
                }
                yield 0;
            }
            default -> throw new IllegalArgumentException("unknown command '" + a.command() + "'");
        };
    }

    private static String prefix(Arguments a) {
        String prefix = a.option("--prefix", Topics.DEFAULT_PREFIX);
        if (!prefix.matches("[A-Za-z0-9._-]{0,200}")) {
            throw new IllegalArgumentException("--prefix may hold only letters, digits, '.', '_' and '-'");
        }
        return prefix;
    }

    /** The administrator's client properties, from --admin-config or the broker data directory. */
    static Properties adminProperties(Arguments a) {
        Path file;
        if (a.options().containsKey("--admin-config")) {
            file = Path.of(a.options().get("--admin-config"));
        } else if (a.options().containsKey("--data-dir")) {
            file = SecurityFiles.of(Path.of(a.options().get("--data-dir"))).adminProperties();
        } else {
            throw new IllegalArgumentException(a.command() + " needs --data-dir BROKER_DIR or --admin-config FILE");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the administrator's client properties " + file + ": "
                    + e.getMessage() + " (a secured broker writes them when it starts)", e);
        }
        p.putIfAbsent("request.timeout.ms", Long.toString(CALL_TIMEOUT.toMillis()));
        p.putIfAbsent("default.api.timeout.ms", Long.toString(CALL_TIMEOUT.toMillis()));
        return p;
    }

    private static Admin admin(Arguments a) {
        return Admin.create(adminProperties(a));
    }

    private static void setPassword(Admin admin, String user, String password) {
        List<UserScramCredentialAlteration> change = List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, BrokerSecurity.SCRAM_ITERATIONS), password));
        await(admin.alterUserScramCredentials(change).all(), "setting the password of " + user);
    }

    private static int deleteCredentials(Admin admin, String user) {
        Map<String, UserScramCredentialsDescription> described;
        try {
            described = admin.describeUserScramCredentials(List.of(user)).all()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return 0;
            }
            throw new IllegalStateException("cannot read the credentials of " + user + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new IllegalStateException("reading the credentials of " + user + " did not finish", e);
        }
        List<UserScramCredentialAlteration> deletions = new ArrayList<>();
        UserScramCredentialsDescription d = described.get(user);
        if (d != null) {
            d.credentialInfos().forEach(i -> deletions.add(new UserScramCredentialDeletion(user, i.mechanism())));
        }
        if (!deletions.isEmpty()) {
            await(admin.alterUserScramCredentials(deletions).all(), "deleting the credentials of " + user);
        }
        return deletions.size();
    }

    private static Map<String, List<AclBinding>> aclsByUser(Admin admin) {
        Map<String, List<AclBinding>> byUser = new LinkedHashMap<>();
        for (AclBinding b : await(admin.describeAcls(AclBindingFilter.ANY).values(), "listing the ACLs")) {
            String principal = b.entry().principal();
            if (principal.startsWith("User:")) {
                byUser.computeIfAbsent(principal.substring("User:".length()), k -> new ArrayList<>()).add(b);
            }
        }
        return byUser;
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " did not finish within " + CALL_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }

    /** The files of a bundle as the client host will see them. */
    record Bundle(String bootstrap, Path passwordFile, Path truststore, Path truststorePasswordFile,
                  String truststorePassword) {
    }

    private static Bundle writeBundle(Arguments a, Path outDir, String password) {
        Properties admin = adminProperties(a);
        Path truststore = Path.of(admin.getProperty("ssl.truststore.location"));
        String truststorePassword = admin.getProperty("ssl.truststore.password");
        Secrets.ownerOnlyDirectory(outDir);
        Secrets.writeOwnerOnly(outDir.resolve(PASSWORD_FILE), password + "\n");
        Secrets.writeOwnerOnly(outDir.resolve(TRUSTSTORE_PASSWORD_FILE), truststorePassword + "\n");
        try {
            Files.copy(truststore, outDir.resolve(TRUSTSTORE_FILE), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the truststore " + truststore + ": " + e.getMessage(), e);
        }
        Path secrets = Path.of(a.option("--secrets-dir", outDir.toAbsolutePath().toString()));
        return new Bundle(a.option("--bootstrap", admin.getProperty("bootstrap.servers")),
                secrets.resolve(PASSWORD_FILE), secrets.resolve(TRUSTSTORE_FILE),
                secrets.resolve(TRUSTSTORE_PASSWORD_FILE), truststorePassword);
    }

    /** The agent.yaml part that makes an agent log in as {@code id}. */
    static String agentSnippet(String id, String prefix, Bundle b) {
        return """
                # tracemesh agent enrolled as %1$s: merge into agent.yaml (agent.id must equal kafka.sasl.username)
                agent:
                  id: %1$s
                kafka:
                  bootstrap-servers: "%2$s"
                  topic-prefix: "%3$s"
                  security-protocol: SASL_SSL
                  sasl:
                    mechanism: SCRAM-SHA-512
                    username: %1$s
                    password-file: "%4$s"
                  tls:
                    truststore: "%5$s"
                    truststore-password-file: "%6$s"
                """.formatted(id, b.bootstrap(), prefix, b.passwordFile(), b.truststore(), b.truststorePasswordFile());
    }

    /** The collector.yaml / web.yaml {@code kafka:} part (pass-through client properties, password inline). */
    static String serviceSnippet(String name, String password, String prefix, Bundle b) {
        return """
                # tracemesh service enrolled as %1$s: merge into its config file; this file holds the password
                kafka:
                  bootstrap-servers: "%2$s"
                  topic-prefix: "%3$s"
                  properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: SCRAM-SHA-512
                    sasl.jaas.config: '%4$s'
                    ssl.truststore.type: PKCS12
                    ssl.truststore.location: "%5$s"
                    ssl.truststore.password: "%6$s"
                """.formatted(name, b.bootstrap(), prefix,
                BrokerSecurity.jaas(BrokerSecurity.SCRAM_LOGIN_MODULE, name, password, ""), b.truststore(),
                b.truststorePassword());
    }

    static Instant since(String value) {
        Matcher m = AGE.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration age = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(age);
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since must be a time (2026-12-06T10:00:00Z) or an age (30m, 1h,"
                    + " 7d), got '" + value + "'", e);
        }
    }

    private static String json(AuditEvent e) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .writeValueAsString(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
