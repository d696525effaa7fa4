package net.tracemesh.agent.daemon;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import net.tracemesh.agent.capture.PacketChannel;
import net.tracemesh.agent.capture.PacketChannels;
import net.tracemesh.agent.config.AgentConfig;
import net.tracemesh.agent.engine.EngineConfig;
import net.tracemesh.agent.publish.PublisherSettings;
import net.tracemesh.agent.publish.PublisherStats;
import net.tracemesh.agent.publish.PublisherVerticle;
import net.tracemesh.agent.route.LocalInterface;
import net.tracemesh.agent.route.LocalInterfaces;
import net.tracemesh.agent.schedule.SchedulerVerticle;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.wire.Ipv4Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running agent: one verticle per concern on one Vert.x instance.
 * <ul>
 *   <li>{@link PublisherVerticle} (worker): messages to Kafka, spooling to disk while the broker is away;</li>
 *   <li>{@link ProberVerticle}: runs rounds on the probing engine (its own thread, under the global rate limit);</li>
 *   <li>{@link SchedulerVerticle}: when each measurement runs, and which definitions are safe to run;</li>
 *   <li>{@link DefinitionsVerticle}: follows the central measurement-definitions topic, handing each record to a
 *   {@link DefinitionGate} that passes on only those signed by the central key (not deployed when the agent has no
 *   key and does not accept unsigned definitions);</li>
 *   <li>{@link HeartbeatVerticle}: the agent's status every interval.</li>
 * </ul>
 * Closing stops new rounds, lets running ones finish for a grace period, then stops probing and has the
 * publisher deliver or spool everything still in flight.
 */
public final class AgentDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentDaemon.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String ID_FILE = "agent-id";
    private static final int TAG_MIN = 40_000;
    private static final int TAG_MAX = 65_000;
    private static final Duration ROUND_GRACE = Duration.ofSeconds(10);
    private static final Duration PUBLISH_GRACE = Duration.ofSeconds(10);
    /**
     * The daemon's capture ring: a quarter of the one-shot command's, which keeps the agent's memory small
     * (the ring counts in its RSS) and still holds a second of replies at the rates a site runs.
     */
    private static final int CAPTURE_BUFFER_BYTES = 8 << 20;
    private static final List<String> METHODS = List.of("udp", "udp-paris", "icmp-paris", "tcp", "ping");

    private final Vertx vertx;
    private final AgentIdentity identity;
    private final PublisherVerticle publisher;
    private final ProberVerticle prober;
    private final SchedulerVerticle scheduler;
    private final List<String> deployments = new ArrayList<>();
    private final DefinitionGate gate;
    private String definitionsDeployment;
    private final HeartbeatMessage.Capabilities capabilities;
    private final List<String> addresses;
    private final double rate;
    private final AgentConfig config;
    private final java.util.concurrent.atomic.AtomicLong heartbeatSequence = new java.util.concurrent.atomic.AtomicLong();
    private boolean closed;

    private AgentDaemon(AgentConfig config, AgentIdentity identity, HeartbeatMessage.Capabilities capabilities) {
        this.config = config;
        this.identity = identity;
        this.capabilities = capabilities;
        this.addresses = probeAddresses();
        this.rate = config.probing().rate();
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4)
                .setInternalBlockingPoolSize(4));
        var kafka = config.kafka();
        var spool = config.spool();
        this.publisher = new PublisherVerticle(new PublisherSettings(kafka.topicPrefix(), kafka.clientProperties(),
                spool.memoryRecords(), spool.spoolAfter(), spool.dir(), spool.maxBytes(), PUBLISH_GRACE));
        int maxActive = config.probing().effectiveMaxActive();
        int tag = ThreadLocalRandom.current().nextInt(TAG_MIN, TAG_MAX);
        this.prober = new ProberVerticle(new EngineConfig(rate, maxActive, tag), identity, publisher,
                name -> PacketChannels.open(name, CAPTURE_BUFFER_BYTES));
        this.scheduler = new SchedulerVerticle(identity, config.safety().toPolicy(), prober, publisher,
                config.measurements());
        this.gate = new DefinitionGate(config.definitions(), identity, publisher, scheduler::definitionRecord,
                Instant::now);
    }

    /**
     * Starts the agent and returns once every verticle runs.
     *
     * @throws IllegalStateException with a message for people when the agent cannot start
     */
    public static AgentDaemon start(AgentConfig config) {
        AgentIdentity identity = new AgentIdentity(agentId(config), config.agent().site(), AgentVersion.NUMBER,
                Instant.now(), HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        AgentDaemon daemon = new AgentDaemon(config, identity, checkCapabilities());
        try {
            daemon.deploy();
        } catch (RuntimeException e) {
            daemon.vertx.close();
            throw e;
        }
        return daemon;
    }

    private void deploy() {
        DeploymentOptions worker = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);
        deployments.add(await(vertx.deployVerticle(publisher, worker), "publisher"));
        deployments.add(await(vertx.deployVerticle(prober), "prober"));
        deployments.add(await(vertx.deployVerticle(scheduler), "scheduler"));
        String definitionsTopic = config.kafka().topicPrefix() + Topics.MEASUREMENTS;
        var definitions = config.definitions();
        if (definitions.followsTopic()) {
            if (definitions.acceptUnsigned()) {
                LOG.warn("definitions.accept-unsigned is set: unsigned measurement definitions from {} are run"
                        + " (for labs only)", definitionsTopic);
            }
            if (definitions.publicKey() != null) {
                LOG.info("measurement definitions from {} are verified with key {} ({})", definitionsTopic,
                        definitions.keyId(), definitions.publicKeyFile());
            }
            definitionsDeployment = await(vertx.deployVerticle(new DefinitionsVerticle(definitionsTopic,
                    config.kafka().clientProperties(), gate::record)), "definitions");
        } else {
            LOG.warn("no definitions.public-key: measurement definitions from {} are ignored, only those in the"
                    + " config file run (give the central side's public key, e.g. the web's"
                    + " definitions-signing-key.pub.pem)", definitionsTopic);
        }
        deployments.add(await(vertx.deployVerticle(new HeartbeatVerticle(config.heartbeat().interval(),
                this::heartbeat, publisher)), "heartbeat"));
        LOG.info("agent {} ({}) running: {} pps, Kafka {}, raw capture {}", identity.id(), identity.site(), rate,
                config.kafka().bootstrapServers(), capabilities.rawCapture() ? "available"
                        : "UNAVAILABLE: " + capabilities.problem());
    }

    private static String await(Future<String> deployment, String what) {
        try {
            return deployment.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null && e instanceof java.util.concurrent.ExecutionException
                    ? e.getCause() : e;
            throw new IllegalStateException("cannot start the " + what + ": " + cause.getMessage(), cause);
        }
    }

    public AgentIdentity identity() {
        return identity;
    }

    public PublisherStats publisherStats() {
        return publisher.stats();
    }

    /** The agent's status now. */
    public HeartbeatMessage heartbeat() {
        Instant now = Instant.now();
        PublisherStats p = publisher.stats();
        HeartbeatMessage.Counters counters = new HeartbeatMessage.Counters(prober.probesSent(),
                scheduler.roundsStarted(), scheduler.roundsSkipped(), prober.tracesCompleted(), prober.tracesFailed(),
                p.published(), p.inFlight() + p.spoolPending(), p.spoolPending(), p.spoolBytes(),
                p.spoolDroppedRecords(), p.spoolDroppedRounds(),
                scheduler.definitionsRefused() + gate.unverified());
        return new HeartbeatMessage(HeartbeatMessage.TYPE, MessageJson.SCHEMA_VERSION,
                identity.id() + "/" + identity.runNonce() + "/" + heartbeatSequence.incrementAndGet(), identity.id(),
                identity.site(), identity.version(), identity.started(), now, addresses, capabilities, rate,
                scheduler.measurementIds(), counters);
    }

    /** Stops new rounds, lets running ones finish (a grace period), then stops probing and publishing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("agent {} stopping", identity.id());
        // deployments: publisher, prober, scheduler, heartbeat (definitions apart)
        if (definitionsDeployment != null) {
            undeploy(definitionsDeployment);
        }
        if (deployments.size() == 4) {
            undeploy(deployments.get(2));
            long deadline = System.nanoTime() + ROUND_GRACE.toNanos();
            while (prober.activeRounds() > 0 && System.nanoTime() - deadline < 0) {
                sleep(50);
            }
            if (prober.activeRounds() > 0) {
                LOG.warn("{} rounds still running after {} s: their unfinished traces are dropped",
                        prober.activeRounds(), ROUND_GRACE.toSeconds());
            }
            // The last heartbeat counts every finished round.
            undeploy(deployments.get(3));
            undeploy(deployments.get(1));
            undeploy(deployments.get(0));
        }
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing Vert.x: {}", e.toString());
        }
        LOG.info("agent {} stopped", identity.id());
    }

    private void undeploy(String id) {
        try {
            vertx.undeploy(id).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("stopping a verticle: {}", e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The configured id, else the one kept in the data directory, else a new one kept there. */
    static String agentId(AgentConfig config) {
        if (config.agent().id() != null) {
            return config.agent().id();
        }
        Path dir = config.agent().dataDir();
        Path file = dir.resolve(ID_FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!ID.matcher(id).matches()) {
                    throw new IllegalStateException(file + " does not hold a valid agent id: \"" + id + "\"");
                }
                return id;
            }
            Files.createDirectories(dir);
            String id = "agent-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            Path tmp = dir.resolve(ID_FILE + ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOG.info("new agent id {} kept in {}", id, file);
            return id;
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the agent id in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether raw probing works here: opens (and closes) a capture on the loopback interface. */
    private static HeartbeatMessage.Capabilities checkCapabilities() {
        String problem = null;
        String lo = LocalInterfaces.load().loopback().map(LocalInterface::name).orElse("lo");
        try (PacketChannel channel = PacketChannels.open(lo, CAPTURE_BUFFER_BYTES)) {
            channel.linkType();
        } catch (RuntimeException e) {
            problem = e.getMessage();
        }
        return new HeartbeatMessage.Capabilities(METHODS, problem == null, problem);
    }

    private static List<String> probeAddresses() {
        List<String> out = new ArrayList<>();
        for (LocalInterface i : LocalInterfaces.load().all()) {
            if (!i.loopback()) {
                for (LocalInterface.InterfaceAddress a : i.addresses()) {
                    out.add(Ipv4Address.format(a.address()));
                }
            }
        }
        return out;
    }
}
