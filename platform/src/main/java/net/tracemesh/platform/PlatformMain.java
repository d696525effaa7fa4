package net.tracemesh.platform;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.tracemesh.agent.config.AgentConfig;
import net.tracemesh.agent.config.ConfigException;
import net.tracemesh.agent.daemon.AgentDaemon;
import net.tracemesh.agent.daemon.RunUntilSignal;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.collector.config.CollectorConfig;
import net.tracemesh.collector.daemon.CollectorService;
import net.tracemesh.collector.ingest.CollectorTopics;
import net.tracemesh.collector.store.StoreException;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.SigningKeyException;
import net.tracemesh.message.Topics;
import net.tracemesh.platform.demo.DemoMain;
import net.tracemesh.web.WebApp;
import net.tracemesh.web.WebMain;
import net.tracemesh.web.auth.AccountStore;
import net.tracemesh.web.config.MeasurementSettings;
import net.tracemesh.web.config.WebConfig;

/**
 * The whole platform on one machine: {@code java -jar platform/target/tracemesh.jar [standalone] [options]}
 * starts an embedded Kafka broker (KRaft, Kafka's own classes, data under the data directory), creates the
 * platform's topics, runs a local agent with the measurements of its config file, and a collector that merges
 * what the agents publish into an embedded store under {@code <data-dir>/collector}, and the web UI and REST API
 * over that store (accounts under {@code <data-dir>/web}). It probes nothing it was not told to: without
 * measurements the agent waits for definitions on the measurements topic.
 */
public final class PlatformMain {
    static final String USAGE = """
            usage: tracemesh demo up|down [options]   (a lab with the whole platform on it; demo --help)
                   tracemesh [standalone] [--data-dir DIR] [--agent-config FILE] [--kafka-port N]
                             [--kafka-listen HOST] [--web-port N] [--web-listen HOST]
                             [--no-agent] [--no-collector] [--no-web]
              Runs the platform on this machine: an embedded Kafka broker, a local agent, a collector and the
              web UI and API.
              --data-dir DIR        where the broker, the agent and the collector keep their files
                                    [./tracemesh-data]
              --agent-config FILE   the local agent's config (agent.yaml; its Kafka settings are replaced
                                    by the embedded broker's) [none: no local measurements]
              --kafka-port N        the broker's client port [9092]
              --kafka-listen HOST   the address the broker listens on and advertises [127.0.0.1]
              --no-agent            run no local agent
              --web-port N          the web UI's and API's port [8080]
              --web-listen HOST     the address the web server listens on [127.0.0.1]
              --no-collector        run no collector (the graph store under DIR/collector stays closed;
                                    no web either)
              --no-web              run no web server
            The first start creates the web's administrator 'admin' with a generated password, kept in
            DIR/web/admin-password (mode 0600). The web reads TRACEMESH_HTTP_* / TRACEMESH_AUTH_* settings
            (e.g. TRACEMESH_HTTP_TLS_CERTIFICATE and TRACEMESH_HTTP_TLS_KEY for HTTPS).
            The web signs measurement definitions with DIR/web/definitions-signing-key.pem (made on the first
            start, also with --no-web); the local agent trusts its public key DIR/web/definitions-signing-key.pub.pem,
            the file other agents need as definitions.public-key.
            Raw probing needs root or CAP_NET_RAW; stop with Ctrl-C or SIGTERM.""";

    private PlatformMain() {
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.log.net.tracemesh", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        int status = run(Arrays.asList(args), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && args.get(0).equals("demo")) {
            return DemoMain.run(args.subList(1, args.size()), out, err);
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tracemesh: " + e.getMessage());
            return 2;
        }
        if (options.help) {
            out.println(USAGE);
            return 0;
        }
        Platform platform;
        try {
            platform = Platform.start(options, System.getenv());
        } catch (ConfigException | net.tracemesh.collector.config.ConfigException e) {
            err.println("tracemesh: " + e.getMessage());
            return 2;
        } catch (net.tracemesh.web.config.ConfigException e) {
            err.println("tracemesh: " + e.getMessage());
            return 2;
        } catch (IllegalStateException | StoreException e) {
            err.println("tracemesh: " + e.getMessage());
            return 1;
        }
        out.println("tracemesh running: Kafka at " + platform.kafka.bootstrapServers()
                + (platform.agent == null ? ", no agent"
                : ", agent " + platform.agent.identity().id())
                + (platform.collector == null ? ", no collector" : ", collector")
                + (platform.web == null ? ", no web" : ", web UI at " + platform.webUrl())
                + " (data in " + options.dataDir + "). Stop with Ctrl-C.");
        RunUntilSignal.await(platform);
        return 0;
    }

    /** The running parts, stopped in reverse order. */
    public static final class Platform implements AutoCloseable {
        /** The collector's store directory under the data directory. */
        static final String COLLECTOR_DIR = "collector";
        /** The web's account store and the administrator's first password, under the data directory. */
        static final String WEB_DIR = "web";
        static final String ADMIN_PASSWORD_FILE = "admin-password";
        /** The web's definitions signing key, and the local agent's public key (see the web's and agent's config). */
        private static final String SIGNING_KEY = "TRACEMESH_MEASUREMENTS_SIGNING_KEY";
        private static final String DEFINITIONS_PUBLIC_KEY = "TRACEMESH_DEFINITIONS_PUBLIC_KEY";
        private static final String STORE_VARIABLES = "TRACEMESH_STORE_";
        private static final String STORE_CACHE_VARIABLE = "TRACEMESH_STORE_CACHE_MB";
        private static final long WEB_START_SECONDS = 60;
        final EmbeddedKafka kafka;
        final AgentDaemon agent;
        final CollectorService collector;
        final WebParts web;

        private Platform(EmbeddedKafka kafka, AgentDaemon agent, CollectorService collector, WebParts web) {
            this.kafka = kafka;
            this.agent = agent;
            this.collector = collector;
            this.web = web;
        }

        /** The web server, its Vert.x instance and its account store. */
        record WebParts(Vertx vertx, AccountStore accounts, WebApp app, boolean tls, String host) {
            void close() {
                try {
                    WebApp.stopBlocking(app, vertx, Duration.ofSeconds(WEB_START_SECONDS));
                } finally {
                    accounts.close();
                }
            }
        }

        public String webUrl() {
            return (web.tls() ? "https" : "http") + "://" + (web.host().equals("0.0.0.0") ? "127.0.0.1" : web.host())
                    + ":" + web.app().port() + "/";
        }

        public static Platform start(Options options, Map<String, String> environment) {
            AgentConfig config = null;
            Map<String, String> env = new HashMap<>(environment);
            if (!options.noAgent) {
                // Loaded first so a bad config fails before anything starts.
                env.putIfAbsent("TRACEMESH_AGENT_DATA_DIR", options.dataDir.resolve("agent").toString());
                env.put("TRACEMESH_KAFKA_BOOTSTRAP_SERVERS", options.kafkaListen + ":" + options.kafkaPort);
                env.put("TRACEMESH_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
                config = agentConfig(options, env);
                if (config.definitions().publicKeyFile() == null) {
                    // The local agent trusts the definitions of the web on this data directory (started here or
                    // elsewhere): the web's key pair is made now if it does not exist yet.
                    env.put(DEFINITIONS_PUBLIC_KEY, definitionsKeyPair(options, environment).toString());
                    config = agentConfig(options, env);
                }
            }
            String prefix = config != null ? config.kafka().topicPrefix() : Topics.DEFAULT_PREFIX;
            CollectorConfig collectorConfig = options.noCollector ? null
                    : collectorConfig(options, prefix, environment);
            WebConfig webConfig = collectorConfig == null || options.noWeb ? null
                    : webConfig(options, prefix, environment);
            EmbeddedKafka kafka = EmbeddedKafka.builder()
                    .dataDir(options.dataDir.resolve("kafka"))
                    .port(options.kafkaPort)
                    .listenHost(options.kafkaListen)
                    .build()
                    .start();
            CollectorService collector = null;
            WebParts web = null;
            try {
                for (Topics.Spec spec : Topics.ALL) {
                    kafka.ensureTopic(spec.fullName(prefix), spec.partitions(),
                            spec.compacted() ? Map.of("cleanup.policy", "compact") : Map.of());
                }
                if (collectorConfig != null) {
                    kafka.ensureTopic(prefix + CollectorTopics.DEAD_LETTER, 1, Map.of());
                    collector = CollectorService.start(collectorConfig);
                }
                if (webConfig != null) {
                    web = startWeb(webConfig, options, collector);
                }
                AgentDaemon agent = config == null ? null : AgentDaemon.start(config);
                return new Platform(kafka, agent, collector, web);
            } catch (RuntimeException e) {
                if (web != null) {
                    web.close();
                }
                if (collector != null) {
                    collector.close();
                }
                kafka.close();
                throw e;
            }
        }

        /**
         * The public key file of the web's definitions signing key ({@code measurements.signing-key}, by default
         * {@code <data-dir>/web/definitions-signing-key.pem}), the pair created first if the private key does not
         * exist.
         */
        private static Path definitionsKeyPair(Options options, Map<String, String> environment) {
            String set = environment.get(SIGNING_KEY);
            MeasurementSettings settings = new MeasurementSettings(set != null && !set.isBlank() ? Path.of(set)
                    : options.dataDir.resolve(WEB_DIR).resolve(DefinitionSigning.PRIVATE_KEY_FILE));
            try {
                WebApp.signingKey(settings); // a pair that cannot be used stops the start here
                return settings.publicKey();
            } catch (SigningKeyException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        /** The local agent's config: its file's, or the defaults, under the environment's settings. */
        private static AgentConfig agentConfig(Options options, Map<String, String> env) {
            return options.agentConfig == null ? AgentConfig.fromYaml("", env)
                    : AgentConfig.load(options.agentConfig, env);
        }

        /**
         * The collector's settings: those of the environment ({@code TRACEMESH_RETENTION_*}, ...), with Kafka
         * pointed at the embedded broker and the store embedded under {@code <data-dir>/collector}.
         */
        private static CollectorConfig collectorConfig(Options options, String prefix,
                                                       Map<String, String> environment) {
            Map<String, String> env = withoutStoreSettings(environment);
            env.put("TRACEMESH_KAFKA_BOOTSTRAP_SERVERS", options.kafkaListen + ":" + options.kafkaPort);
            env.put("TRACEMESH_KAFKA_TOPIC_PREFIX", prefix);
            env.put("TRACEMESH_STORE_TYPE", "embedded");
            env.put("TRACEMESH_STORE_DATA_DIR", options.dataDir.resolve(COLLECTOR_DIR).toString());
            return CollectorConfig.fromYaml("", env);
        }

        /**
         * The web over the collector's store: accounts in their own embedded store under {@code <data-dir>/web},
         * the administrator created on the first start.
         */
        private static WebParts startWeb(WebConfig config, Options options, CollectorService collector) {
            Path dir = options.dataDir.resolve(WEB_DIR);
            AccountStore accounts = WebMain.openAccounts(config.store(), config.auth());
            Vertx vertx = null;
            try {
                WebMain.bootstrapAdmin(accounts, config.auth(), System.err);
                vertx = Vertx.vertx();
                WebApp app = WebApp.start(vertx, config, collector.store().readDataSource(), accounts,
                        collector::stats).toCompletionStage().toCompletableFuture()
                        .get(WEB_START_SECONDS, TimeUnit.SECONDS);
                return new WebParts(vertx, accounts, app, config.http().tls(), config.http().host());
            } catch (IOException | ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                cleanUp(vertx, accounts);
                throw new IllegalStateException("the web server did not start (" + dir + "): "
                        + cause.getMessage(), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cleanUp(vertx, accounts);
                throw new IllegalStateException("interrupted while the web server started", e);
            } catch (RuntimeException e) {
                cleanUp(vertx, accounts);
                throw e;
            }
        }

        private static void cleanUp(Vertx vertx, AccountStore accounts) {
            if (vertx != null) {
                vertx.close();
            }
            accounts.close();
        }

        /**
         * The web's settings: those of the environment ({@code TRACEMESH_HTTP_*}, {@code TRACEMESH_AUTH_*}, ...), with
         * the listening address of the command line, Kafka pointed at the embedded broker and the account store
         * embedded under {@code <data-dir>/web}.
         */
        private static WebConfig webConfig(Options options, String prefix, Map<String, String> environment) {
            Map<String, String> env = withoutStoreSettings(environment);
            env.put("TRACEMESH_HTTP_HOST", options.webListen);
            env.put("TRACEMESH_HTTP_PORT", Integer.toString(options.webPort));
            env.put("TRACEMESH_KAFKA_BOOTSTRAP_SERVERS", options.kafkaListen + ":" + options.kafkaPort);
            env.put("TRACEMESH_KAFKA_TOPIC_PREFIX", prefix);
            env.put("TRACEMESH_STORE_TYPE", "embedded");
            env.put("TRACEMESH_STORE_DATA_DIR", options.dataDir.resolve(WEB_DIR).toString());
            env.putIfAbsent("TRACEMESH_AUTH_ADMIN_PASSWORD_FILE",
                    options.dataDir.resolve(WEB_DIR).resolve(ADMIN_PASSWORD_FILE).toString());
            try {
                Files.createDirectories(options.dataDir.resolve(WEB_DIR));
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + options.dataDir.resolve(WEB_DIR) + ": "
                        + e.getMessage(), e);
            }
            return WebConfig.fromYaml("", env);
        }

        /** The environment less its {@code TRACEMESH_STORE_*} settings: the platform chooses the stores itself. */
        private static Map<String, String> withoutStoreSettings(Map<String, String> environment) {
            Map<String, String> env = new HashMap<>();
            environment.forEach((name, value) -> {
                // the page cache of the embedded stores is the user's to size (TRACEMESH_STORE_CACHE_MB)
                if (!name.startsWith(STORE_VARIABLES) || name.equals(STORE_CACHE_VARIABLE)) {
                    env.put(name, value);
                }
            });
            return env;
        }

        @Override
        public void close() {
            try {
                if (agent != null) {
                    agent.close();
                }
                if (web != null) {
                    web.close();
                }
            } finally {
                try {
                    if (collector != null) {
                        collector.close();
                    }
                } finally {
                    kafka.close();
                }
            }
        }
    }

    /** Parsed command line. */
    public static final class Options {
        Path dataDir = Path.of("tracemesh-data");
        Path agentConfig;
        int kafkaPort = 9092;
        String kafkaListen = "127.0.0.1";
        boolean noAgent;
        boolean noCollector;
        boolean noWeb;
        int webPort = 8080;
        String webListen = "127.0.0.1";
        boolean help;

        public static Options parse(List<String> args) {
            Options o = new Options();
            int i = 0;
            if (!args.isEmpty() && args.get(0).equals("standalone")) {
                i++;
            }
            for (; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, a));
                    case "--agent-config" -> {
                        o.agentConfig = Path.of(value(args, ++i, a));
                        if (!Files.isReadable(o.agentConfig)) {
                            throw new IllegalArgumentException("cannot read agent config " + o.agentConfig);
                        }
                    }
                    case "--kafka-port" -> o.kafkaPort = port(value(args, ++i, a), a);
                    case "--kafka-listen" -> o.kafkaListen = value(args, ++i, a);
                    case "--no-agent" -> o.noAgent = true;
                    case "--no-collector" -> o.noCollector = true;
                    case "--no-web" -> o.noWeb = true;
                    case "--web-port" -> o.webPort = port(value(args, ++i, a), a);
                    case "--web-listen" -> o.webListen = value(args, ++i, a);
                    case "--help", "-h", "help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
                }
            }
            return o;
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(i);
        }

        private static int port(String text, String option) {
            try {
                int p = Integer.parseInt(text);
                if (p < 1 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be 1..65535, got " + text);
            }
        }
    }
}
