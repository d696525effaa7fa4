package net.tracemesh.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The broker configuration of a single-node KRaft cluster (one process acting as broker and
 * controller), sized for a small machine. Pure: settings in, {@link Properties} out.
 */
final class BrokerProperties {
    /** The node id of the one and only node. */
    static final int NODE_ID = 1;
    /** Listener clients connect to. */
    static final String CLIENT_LISTENER = "PLAINTEXT";
    /** Listener of the KRaft controller quorum; internal, always on loopback. */
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Host the controller listener binds to and the quorum voter is reached at. */
    static final String CONTROLLER_HOST = Ports.LOOPBACK;

    /** With one node every replication factor and min ISR is one. */
    static final int SINGLE_NODE = 1;
    /** Partitions of the internal offsets, transaction and share-state topics (Kafka's default is 50). */
    static final int INTERNAL_TOPIC_PARTITIONS = 10;
    static final int NETWORK_THREADS = 2;
    static final int IO_THREADS = 4;
    static final int BACKGROUND_THREADS = 4;
    static final int RECOVERY_THREADS_PER_DIR = 1;
    static final int CLEANER_THREADS = 1;
    /** The log cleaner's key-hash buffer; Kafka's default of 128 MiB is far more than a small node needs. */
    static final long CLEANER_DEDUPE_BUFFER_BYTES = 8L * 1024 * 1024;
    /** Upper bound on the broker's own startup waits (controller quorum, metadata catch-up, unfencing). */
    static final long MAX_STARTUP_MS = 300_000;

    private BrokerProperties() {
    }

    /**
     * The broker properties; {@code overrides} are applied last and win over every value set here.
     *
     * @param logDir            directory for partition logs, the metadata log and meta.properties
     * @param listenHost        bind address of the client listener
     * @param port              client listener port (already chosen, not 0)
     * @param advertisedHost    host announced to clients
     * @param controllerPort    controller listener port on {@link #CONTROLLER_HOST} (already chosen)
     * @param defaultPartitions {@code num.partitions}
     * @param overrides         extra broker properties
     */
    static Properties build(Path logDir, String listenHost, int port, String advertisedHost, int controllerPort,
                            int defaultPartitions, Map<String, String> overrides) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        // a static single-voter quorum: no voter endpoint is persisted, so the controller port may change
        // between runs on the same directory
        p.setProperty("controller.quorum.voters",
                NODE_ID + "@" + Ports.hostPort(CONTROLLER_HOST, controllerPort));
        p.setProperty("listeners", CLIENT_LISTENER + "://" + Ports.hostPort(listenHost, port) + ","
                + CONTROLLER_LISTENER + "://" + Ports.hostPort(CONTROLLER_HOST, controllerPort));
        p.setProperty("advertised.listeners", CLIENT_LISTENER + "://" + Ports.hostPort(advertisedHost, port));
        p.setProperty("listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("inter.broker.listener.name", CLIENT_LISTENER);
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());

        p.setProperty("num.partitions", Integer.toString(defaultPartitions));
        p.setProperty("default.replication.factor", Integer.toString(SINGLE_NODE));
        p.setProperty("min.insync.replicas", Integer.toString(SINGLE_NODE));
        p.setProperty("offsets.topic.replication.factor", Integer.toString(SINGLE_NODE));
        p.setProperty("offsets.topic.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
        p.setProperty("transaction.state.log.replication.factor", Integer.toString(SINGLE_NODE));
        p.setProperty("transaction.state.log.min.isr", Integer.toString(SINGLE_NODE));
        p.setProperty("transaction.state.log.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
        p.setProperty("share.coordinator.state.topic.replication.factor", Integer.toString(SINGLE_NODE));
        p.setProperty("share.coordinator.state.topic.min.isr", Integer.toString(SINGLE_NODE));
        p.setProperty("share.coordinator.state.topic.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
        p.setProperty("group.initial.rebalance.delay.ms", "0");

        p.setProperty("num.network.threads", Integer.toString(NETWORK_THREADS));
        p.setProperty("num.io.threads", Integer.toString(IO_THREADS));
        p.setProperty("background.threads", Integer.toString(BACKGROUND_THREADS));
        p.setProperty("num.recovery.threads.per.data.dir", Integer.toString(RECOVERY_THREADS_PER_DIR));
        p.setProperty("log.cleaner.enable", "true");
        p.setProperty("log.cleaner.threads", Integer.toString(CLEANER_THREADS));
        p.setProperty("log.cleaner.dedupe.buffer.size", Long.toString(CLEANER_DEDUPE_BUFFER_BYTES));
        p.setProperty("server.max.startup.time.ms", Long.toString(MAX_STARTUP_MS));

        overrides.forEach(p::setProperty);
        return p;
    }
}
