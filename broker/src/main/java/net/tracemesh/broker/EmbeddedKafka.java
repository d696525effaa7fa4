package net.tracemesh.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import net.tracemesh.broker.security.BrokerSecurity;
import net.tracemesh.broker.security.SecurityFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (one process is both broker and controller),
 * run inside this JVM from Kafka's own server classes.
 *
 * <p>The data directory is formatted on first use (a fresh cluster id is written to
 * {@code meta.properties}) and reused afterwards, across {@link #stop()}/{@link #start()} cycles and
 * across JVM runs. The client port, when left at 0, is chosen at the first start and kept for later
 * restarts of the same instance, so clients that were retrying during an outage reconnect to the
 * same address. Kafka logs through SLF4J; no Log4j backend is needed.
 *
 * <p>{@link Builder#secured(boolean) secured(true)} makes the client listener SASL_SSL (SCRAM-SHA-512, TLS from a
 * private CA made in {@code DATA_DIR/security}) with Kafka's ACL authorizer, nothing allowed without an ACL, and
 * an audit of refused logins and denied operations; see {@link BrokerSecurity}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build().start()) {
 *     kafka.ensureTopic("tracemesh.hops", 3, Map.of());
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** Sub-directory of the data directory holding Kafka's log directory. */
    static final String LOG_DIR_NAME = "kafka-logs";
    /** File in the data directory locked while a broker uses the directory. */
    static final String LOCK_FILE_NAME = "tracemesh-broker.lock";
    /** Default bind address of the client listener. */
    static final String DEFAULT_LISTEN_HOST = Ports.LOOPBACK;
    /** Default {@code num.partitions}. */
    static final int DEFAULT_PARTITIONS = 3;
    /** The only replication factor one node can offer. */
    private static final short REPLICATION_FACTOR = 1;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Path dataDir;
    private final String listenHost;
    private final String advertisedHost;
    private final int defaultPartitions;
    private final Map<String, String> extraProperties;
    private final boolean secured;
    private final List<String> tlsHostnames;
    /** Security material of a secured broker, prepared at the first start. */
    private volatile BrokerSecurity security;

    /** Client port; 0 until the first start picks one. Written only under this object's lock. */
    private volatile int port;
    /** Controller port; 0 until the first start picks one. Guarded by this. */
    private int controllerPort;
    /** The running server, null when stopped. Guarded by this. */
    private KafkaRaftServer server;
    /** Exclusive lock on the data directory while running. Guarded by this. */
    private FileLock dataDirLock;
    private volatile Admin admin;
    private volatile boolean running;

    private EmbeddedKafka(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.listenHost = b.listenHost;
        this.advertisedHost = b.advertisedHost != null ? b.advertisedHost : Ports.localConnectHost(b.listenHost);
        this.defaultPartitions = b.defaultPartitions;
        this.extraProperties = Map.copyOf(b.properties);
        this.port = b.port;
        this.secured = b.secured;
        this.tlsHostnames = List.copyOf(b.tlsHostnames);
    }

    /** A builder; {@link Builder#dataDir(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of an {@link EmbeddedKafka}; every setter validates its argument. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private String listenHost = DEFAULT_LISTEN_HOST;
        private String advertisedHost;
        private int defaultPartitions = DEFAULT_PARTITIONS;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private boolean secured;
        private final List<String> tlsHostnames = new ArrayList<>();

        private Builder() {
        }

        /** Required: directory for logs and meta.properties, created if missing, reused across runs. */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dataDir");
            return this;
        }

        /** Client listener port, 0 (the default) to pick a free port at the first start. */
        public Builder port(int port) {
            if (port < 0 || port > Ports.MAX_PORT) {
                throw new IllegalArgumentException("port must be 0.." + Ports.MAX_PORT + ", got " + port);
            }
            this.port = port;
            return this;
        }

        /** Bind address of the client listener, default 127.0.0.1; may be 0.0.0.0. */
        public Builder listenHost(String host) {
            this.listenHost = requireHost(host, "listenHost");
            return this;
        }

        /** Host put in advertised.listeners; default the listen host, or 127.0.0.1 for a wildcard listen host. */
        public Builder advertisedHost(String host) {
            String h = requireHost(host, "advertisedHost");
            if (Ports.isWildcard(h)) {
                throw new IllegalArgumentException("advertisedHost must be an address clients can connect to, not "
                        + h);
            }
            this.advertisedHost = h;
            return this;
        }

        /** {@code num.partitions} for automatically created topics, default 3. */
        public Builder defaultPartitions(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("defaultPartitions must be at least 1, got " + n);
            }
            this.defaultPartitions = n;
            return this;
        }

        /**
         * Whether clients must use SASL_SSL with SCRAM-SHA-512 and are bound by ACLs (default false: PLAINTEXT,
         * no authorization). See {@link BrokerSecurity}.
         */
        public Builder secured(boolean secured) {
            this.secured = secured;
            return this;
        }

        /**
         * Another host name or address clients may use to reach a secured broker, put into its certificate
         * (localhost, 127.0.0.1, the listen and the advertised host are always there).
         */
        public Builder tlsHostname(String host) {
            tlsHostnames.add(requireHost(host, "tlsHostname"));
            return this;
        }

        /** Any extra broker property; it overrides the value this class would set. */
        public Builder property(String key, String value) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("property key must not be blank");
            }
            properties.put(key.trim(), Objects.requireNonNull(value, () -> "value of property " + key));
            return this;
        }

        /**
         * The broker, not yet started.
         *
         * @throws IllegalStateException if no data directory was given
         */
        public EmbeddedKafka build() {
            if (dataDir == null) {
                throw new IllegalStateException("EmbeddedKafka needs a data directory: call dataDir(Path)");
            }
            return new EmbeddedKafka(this);
        }

        private static String requireHost(String host, String what) {
            if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(what + " must be a non-blank host name or address, got '"
                        + host + "'");
            }
            return host;
        }
    }

    /**
     * Starts the broker, formatting the data directory on first use, and returns once the broker is
     * registered, unfenced and answers Admin requests. Does nothing if already running.
     *
     * @return this
     * @throws IllegalStateException with the reason when the broker cannot start (data directory not
     *                               usable, port in use, Kafka refusing the configuration or failing)
     */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            return this;
        }
        Path logDir = prepareDataDir();
        lockDataDir();
        try {
            if (secured && security == null) {
                requireSecurableStorage(logDir);
                security = BrokerSecurity.prepare(dataDir, certificateHostnames());
            }
            claimPorts();
            KafkaConfig config = kafkaConfig(logDir);
            formatIfNeeded(config);
            server = startServer(config);
        } catch (RuntimeException e) {
            releaseDataDir();
            throw e;
        }
        try {
            admin = Admin.create(adminProperties());
            awaitBrokerReady();
            if (security != null) {
                security.writeAdminProperties(localBootstrap());
            }
        } catch (RuntimeException e) {
            stop();
            throw e instanceof IllegalStateException ? e
                    : new IllegalStateException("Kafka broker on " + bootstrapServers() + " is not usable: "
                            + describe(e), e);
        }
        running = true;
        LOG.info("Kafka broker running on {} (data in {})", bootstrapServers(), dataDir);
        return this;
    }

    /** Shuts the broker down cleanly, keeping its data; does nothing if it is not running. */
    public synchronized void stop() {
        KafkaRaftServer s = server;
        if (s == null) {
            return;
        }
        running = false;
        server = null;
        Admin a = admin;
        admin = null;
        if (a != null) {
            a.close(ADMIN_CLOSE_TIMEOUT);
        }
        shutdownQuietly(s);
        releaseDataDir();
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    /** True between a successful {@link #start()} and the next {@link #stop()}. */
    public boolean running() {
        return running;
    }

    /** {@code advertisedHost:port}, the value for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.hostPort(advertisedHost, port());
    }

    /** The client port: the configured one, or the one picked at the first start (0 before it). */
    public int port() {
        return port;
    }

    /** The data directory (absolute). */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether clients must authenticate (SASL_SSL) and are bound by ACLs. */
    public boolean secured() {
        return secured;
    }

    /** Where a secured broker keeps its certificates, passwords and audit log. */
    public SecurityFiles securityFiles() {
        return SecurityFiles.of(dataDir);
    }

    /**
     * Client properties of the broker administrator (a super user) for a local client: {@code bootstrap.servers},
     * and for a secured broker SASL_SSL with the administrator's credential and the broker's truststore. Holds a
     * password: do not log it.
     *
     * @throws IllegalStateException if a secured broker was never started
     */
    public Map<String, Object> adminClientProperties() {
        BrokerSecurity s = security;
        if (secured && s == null) {
            throw new IllegalStateException("the secured broker in " + dataDir + " has not been started yet");
        }
        return s == null ? Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, localBootstrap())
                : s.adminClientProperties(localBootstrap());
    }

    /**
     * Creates the topic with replication factor 1 if it does not exist yet and waits until every
     * partition has a leader. An existing topic is left as it is (partition count and configs are not
     * changed).
     *
     * @throws IllegalArgumentException for an invalid topic name, partition count or config
     * @throws IllegalStateException    if the broker is not running or the topic does not become ready
     */
    public void ensureTopic(String name, int partitions, Map<String, String> configs) {
        Objects.requireNonNull(name, "topic name");
        Objects.requireNonNull(configs, "topic configs");
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException("invalid topic name '" + name + "': " + e.getMessage(), e);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least 1 partition, got " + partitions);
        }
        Admin a = requireAdmin();
        NewTopic topic = new NewTopic(name, partitions, REPLICATION_FACTOR).configs(Map.copyOf(configs));
        try {
            a.createTopics(List.of(topic)).all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created topic {} ({} partitions, configs {})", name, partitions, configs);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                LOG.debug("topic {} already exists", name);
            } else if (e.getCause() instanceof InvalidConfigurationException
                    || e.getCause() instanceof InvalidPartitionsException
                    || e.getCause() instanceof PolicyViolationException) {
                throw new IllegalArgumentException("cannot create topic " + name + ": " + e.getCause().getMessage(),
                        e.getCause());
            } else {
                throw new IllegalStateException("cannot create topic " + name + ": " + describe(e.getCause()),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " was not created within " + TOPIC_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
        awaitTopicReady(a, name);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir + (running ? ", running]" : ", stopped]");
    }

    // --- start-up steps -------------------------------------------------------------------------

    /** Creates the data and log directories and checks that they are writable directories. */
    private Path prepareDataDir() {
        Path logDir = dataDir.resolve(LOG_DIR_NAME);
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new IllegalStateException("Kafka data directory " + dataDir + " exists but is not a directory");
        }
        try {
            Files.createDirectories(logDir);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("cannot create Kafka data directory " + logDir + ": " + e.getFile()
                    + " exists and is not a directory", e);
        } catch (IOException | SecurityException e) {
            throw new IllegalStateException("cannot create Kafka data directory " + logDir + ": " + describe(e), e);
        }
        try {
            Files.deleteIfExists(Files.createTempFile(logDir, ".write-check", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new IllegalStateException("Kafka data directory " + logDir + " is not writable: " + describe(e), e);
        }
        return logDir;
    }

    /**
     * Takes an exclusive lock on the data directory for as long as the broker runs. Kafka locks its
     * log directories only when the broker half starts, after the controller half has already opened
     * the metadata log; a second broker on the same directory would damage that log (and Kafka then
     * halts the JVM), so it is refused here first.
     */
    private void lockDataDir() {
        Path lockFile = dataDir.resolve(LOCK_FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("Kafka data directory " + dataDir
                        + " is in use by another broker (in this or another process)");
            }
            dataDirLock = lock;
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock Kafka data directory " + dataDir + ": " + describe(e), e);
        } finally {
            if (dataDirLock == null && channel != null) {
                closeQuietly(channel);
            }
        }
    }

    private void releaseDataDir() {
        FileLock lock = dataDirLock;
        dataDirLock = null;
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.warn("could not release the lock on {}", dataDir, e);
            }
            closeQuietly(lock.channel());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a lock file channel failed", e);
        }
    }

    private KafkaRaftServer startServer(KafkaConfig config) {
        KafkaRaftServer started = null;
        try {
            started = new KafkaRaftServer(config, Time.SYSTEM);
            started.startup();
            return started;
        } catch (Exception e) {
            if (started != null) {
                shutdownQuietly(started);
            }
            throw new IllegalStateException("Kafka broker in " + dataDir + " failed to start on "
                    + bootstrapServers() + ": " + describe(e), e);
        }
    }

    /**
     * Picks the client and controller ports at the first start and checks them before every start.
     * The client port must stay the same (clients keep its address); the controller port is internal
     * to this process and is replaced if something else took it meanwhile.
     */
    private void claimPorts() {
        if (port == 0) {
            port = Ports.pickFree(listenHost);
        } else {
            Ports.requireFree(listenHost, port, "Kafka client port");
        }
        if (controllerPort == 0 || !Ports.isFree(BrokerProperties.CONTROLLER_HOST, controllerPort)) {
            if (controllerPort != 0) {
                LOG.warn("controller port {} is taken, using a new one", controllerPort);
            }
            do {
                controllerPort = Ports.pickFree(BrokerProperties.CONTROLLER_HOST);
            } while (controllerPort == port);
        }
    }

    private KafkaConfig kafkaConfig(Path logDir) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (security != null) {
            overrides.putAll(security.brokerProperties(listenHost, port, advertisedHost,
                    BrokerProperties.CONTROLLER_LISTENER, BrokerProperties.CONTROLLER_HOST, controllerPort));
        }
        overrides.putAll(extraProperties);
        Properties props = BrokerProperties.build(logDir, listenHost, port, advertisedHost, controllerPort,
                defaultPartitions, overrides);
        try {
            return new KafkaConfig(props, false);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new IllegalStateException("invalid Kafka broker configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Formats the log directories with a new cluster id unless one of them already holds a
     * meta.properties (then Kafka itself checks that the directories agree).
     */
    private void formatIfNeeded(KafkaConfig config) {
        List<String> dirs = new ArrayList<>(config.logDirs());
        if (!dirs.contains(config.metadataLogDir())) {
            dirs.add(config.metadataLogDir());
        }
        for (String dir : dirs) {
            if (Files.exists(Path.of(dir, MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
                if (security != null && security.adminCredentialNew()) {
                    throw new IllegalStateException("Kafka data directory " + dataDir + " was formatted without"
                            + " security, so it has no administrator credential; secure a new data directory (or"
                            + " restore " + security.files().adminPassword() + ")");
                }
                return;
            }
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Formatter formatter = new Formatter()
                    .setPrintStream(print)
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setUnstableFeatureVersionsEnabled(config.unstableFeatureVersionsEnabled());
            dirs.forEach(formatter::addDirectory);
            if (security != null) {
                formatter.setScramArguments(security.scramArguments());
            }
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dirs + ": " + describe(e), e);
        }
        LOG.info("formatted Kafka storage in {} for new cluster {}", dirs, clusterId);
        LOG.debug("Kafka storage formatter output: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    /**
     * A secured broker's administrator credential is written when the storage is formatted: storage formatted
     * without it cannot be secured (checked before any security file is made).
     */
    private void requireSecurableStorage(Path logDir) {
        if (Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))
                && !Files.exists(SecurityFiles.of(dataDir).adminPassword())) {
            throw new IllegalStateException("Kafka data directory " + dataDir + " was formatted without security,"
                    + " so it has no administrator credential; secure a new data directory (or restore "
                    + SecurityFiles.of(dataDir).adminPassword() + ")");
        }
    }

    /** Certificate host names of a secured broker: loopback, the listen and advertised hosts, and the extra ones. */
    private List<String> certificateHostnames() {
        LinkedHashSet<String> names = new LinkedHashSet<>(List.of("localhost", Ports.LOOPBACK));
        if (!Ports.isWildcard(listenHost)) {
            names.add(listenHost);
        } else {
            try {
                names.add(java.net.InetAddress.getLocalHost().getHostName());
            } catch (java.io.IOException e) {
                LOG.debug("no local host name for the broker certificate", e);
            }
        }
        names.add(advertisedHost);
        names.addAll(tlsHostnames);
        return List.copyOf(names);
    }

    private String localBootstrap() {
        return Ports.hostPort(Ports.localConnectHost(listenHost), port);
    }

    private Properties adminProperties() {
        Properties p = new Properties();
        if (security != null) {
            security.adminClientProperties(localBootstrap()).forEach(p::put);
        }
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, localBootstrap());
        p.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "tracemesh-embedded-kafka-admin");
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ADMIN_CALL_TIMEOUT.toMillis()));
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ADMIN_CALL_TIMEOUT.toMillis()));
        return p;
    }

    /**
     * Waits until the broker answers describeCluster and lists itself; a KRaft broker lists only
     * unfenced brokers, so this also means it accepts produce requests.
     */
    private void awaitBrokerReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                Collection<Node> nodes = admin.describeCluster().nodes()
                        .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (nodes.stream().anyMatch(n -> n.id() == BrokerProperties.NODE_ID)) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Kafka broker to be ready", e);
            }
            pause();
        }
        throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not become ready within "
                + READY_TIMEOUT + (last == null ? "" : ": " + describe(last)), last);
    }

    private void awaitTopicReady(Admin a, String name) {
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                TopicDescription description = a.describeTopics(List.of(name)).allTopicNames()
                        .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
                if (description != null && !description.partitions().isEmpty()
                        && description.partitions().stream().allMatch(EmbeddedKafka::hasLeader)) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + name, e);
            }
            pause();
        }
        throw new IllegalStateException("topic " + name + " did not get partition leaders within " + TOPIC_TIMEOUT
                + (last == null ? "" : ": " + describe(last)), last);
    }

    private static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty();
    }

    private Admin requireAdmin() {
        Admin a = admin;
        if (a == null) {
            throw new IllegalStateException("Kafka broker in " + dataDir + " is not running; call start() first");
        }
        return a;
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (Exception e) {
            LOG.warn("error while shutting down the Kafka broker", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    /** The message of an exception and of its causes, one readable line. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ExecutionException && c.getCause() != null) {
                continue;
            }
            String m = c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
            if (sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
        }
        return sb.toString();
    }
}
