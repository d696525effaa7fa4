package net.tracemesh.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import net.tracemesh.agent.publish.TopicContents.Received;
import net.tracemesh.agent.spool.Spool;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.message.AgentErrorMessage;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.record.HopRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PublisherVerticle} against a real Kafka broker running in this JVM: delivery, keys and order, broker
 * outages, shutdown while the broker is down, a full spool, records Kafka refuses, and sends that fail for a
 * while. One broker serves the whole class (auto-creation of topics off, so a missing topic stays missing); each
 * test writes to topics of its own prefix.
 */
class PublisherVerticleTest {
    private static final String AGENT = "agent-a";
    private static final Instant TIME = Instant.parse("2026-11-23T10:00:00.125Z");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration SPOOL_AFTER = Duration.ofSeconds(1);
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** The smallest spool the publisher accepts: two default segments. */
    private static final long SPOOL_MAX = 2 * Spool.DEFAULT_SEGMENT_BYTES;
    private static final int TTLS = 30;
    private static final List<String> DESTINATIONS =
            List.of("198.18.1.1", "198.18.1.2", "198.18.1.3", "198.18.1.4", "198.18.1.5", "198.18.1.6");

    @TempDir
    static Path brokerDir;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;
    private Vertx vertx;
    private final Map<PublisherVerticle, String> deployments = new HashMap<>();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().dataDir(brokerDir).port(0)
                .property("auto.create.topics.enable", "false").build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        kafka.start(); // a failed outage test may have left it stopped; the next test needs it
        vertx.close().await(60, TimeUnit.SECONDS);
    }

    @Test
    void deliversEveryMessageKeyedInOrderPerKeyAsDecodableJson() throws Exception {
        String prefix = topics("deliver.", 3);
        // A window smaller than the burst: the publisher also goes through the spool while the broker is up.
        PublisherVerticle publisher = new PublisherVerticle(settings(prefix, 20, Map.of()));
        deploy(publisher);
        List<Outgoing> sent = new ArrayList<>();
        // Two threads hand messages over at once, each with its own keys (order per key is per thread).
        List<Outgoing> first = new ArrayList<>();
        List<Outgoing> second = new ArrayList<>();
        for (int n = 0; n < 80; n++) {
            for (int d = 0; d < DESTINATIONS.size(); d++) {
                Outgoing o = hop("deliver", DESTINATIONS.get(d), n);
                (d % 2 == 0 ? first : second).add(o);
            }
            if (n % 8 == 0) {
                first.add(error("deliver", n));
            }
        }
        sent.addAll(first);
        sent.addAll(second);
        Thread other = new Thread(() -> second.forEach(publisher::publish));
        other.start();
        first.forEach(publisher::publish);
        other.join();

        awaitStats(publisher, s -> s.published() == sent.size() && s.inFlight() == 0 && s.spoolPending() == 0);

        Map<String, Object> byId = sent.stream().collect(Collectors.toMap(o -> recordId(o.message()),
                Outgoing::message));
        List<Received> hops = read(prefix + Topics.HOPS, 80 * DESTINATIONS.size());
        List<Received> errors = read(prefix + Topics.ERRORS, 10);
        assertThat(hops).hasSize(80 * DESTINATIONS.size());
        assertThat(errors).hasSize(10);
        for (Received r : hops) {
            HopMessage m = (HopMessage) r.message();
            assertThat(m).isEqualTo(byId.get(m.recordId()));
            assertThat(r.key()).isEqualTo(Topics.pathKey(AGENT, m.dst()));
        }
        for (Received r : errors) {
            AgentErrorMessage m = (AgentErrorMessage) r.message();
            assertThat(m).isEqualTo(byId.get(m.recordId()));
            assertThat(r.key()).isEqualTo(AGENT);
        }
        assertThat(TopicContents.idsByKey(hops)).isEqualTo(expectedIdsByKey(sent, Topics.HOPS));
        assertThat(TopicContents.idsByKey(errors)).isEqualTo(expectedIdsByKey(sent, Topics.ERRORS));
        // The three partitions are all used: keys are spread, each key in exactly one partition.
        assertThat(hops.stream().map(Received::partition).distinct().count()).isGreaterThan(1);
        assertThat(hops.stream().collect(Collectors.groupingBy(Received::key,
                Collectors.mapping(Received::partition, Collectors.toSet()))).values())
                .allSatisfy(partitions -> assertThat(partitions).hasSize(1));

        PublisherStats stats = publisher.stats();
        assertThat(stats.rejected()).isZero();
        assertThat(stats.spoolDroppedRecords()).isZero();
        assertThat(stats.spoolDroppedRounds()).isZero();

        vertx.undeploy(deploymentOf(publisher)).await(60, TimeUnit.SECONDS);
        assertThat(publisher.stats().spoolPending()).isZero();
    }

    @Test
    void deliversMessagesHandedOverBeforeItStarted() throws Exception {
        String prefix = topics("early.", 1);
        PublisherVerticle publisher = new PublisherVerticle(settings(prefix, 100, Map.of()));
        List<Outgoing> sent = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            sent.add(hop("early", DESTINATIONS.get(0), n));
        }
        sent.forEach(publisher::publish);
        deploy(publisher);
        // Nothing else is published: the early messages must go out on their own.
        awaitStats(publisher, s -> s.published() == sent.size());
        assertThat(TopicContents.idsByKey(read(prefix + Topics.HOPS, sent.size())))
                .isEqualTo(expectedIdsByKey(sent, Topics.HOPS));
    }

    @Test
    void aPublisherThatCannotStartReleasesItsSpoolForTheNextOne() throws Exception {
        String prefix = topics("restart.", 1);
        Path spoolDir = dir.resolve("spool");
        // No bootstrap servers: the Kafka producer cannot be created.
        PublisherVerticle broken = new PublisherVerticle(new PublisherSettings(prefix, Map.of(), 10, SPOOL_AFTER,
                spoolDir, SPOOL_MAX, GRACE));
        assertThatThrownBy(() -> deploy(broken)).hasMessageContaining("cannot create the Kafka producer");
        // The spool directory is free again: the next publisher opens it.
        PublisherVerticle publisher = new PublisherVerticle(settings(prefix, spoolDir, 10, Map.of()));
        deploy(publisher);
        Outgoing o = hop("restart", DESTINATIONS.get(0), 0);
        publisher.publish(o);
        awaitStats(publisher, s -> s.published() == 1);
    }

    @Test
    void spoolsEverythingWhenNoBrokerWasEverReachable() throws Exception {
        // Nothing listens on this port: the producer never gets metadata, so its first send blocks for
        // max.block.ms (the default, 10 s) and fails. The messages after it must go to the spool, not wait
        // 10 s each.
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort);
        PublisherVerticle publisher = new PublisherVerticle(new PublisherSettings("never.", properties, 8,
                SPOOL_AFTER, dir.resolve("spool"), SPOOL_MAX, GRACE));
        deploy(publisher);
        int count = 40;
        for (int n = 0; n < count; n++) {
            publisher.publish(hop("never", DESTINATIONS.get(n % 3), n));
        }
        PublisherStats stats = awaitStats(publisher, s -> s.spoolPending() == count && s.inFlight() == 0);
        assertThat(stats.spooling()).isTrue();
        assertThat(stats.published()).isZero();
    }

    @Test
    void spoolsDuringABrokerOutageAndDeliversEverythingExactlyOnceInOrderAfterwards() throws Exception {
        String prefix = topics("outage.", 3);
        PublisherVerticle publisher = new PublisherVerticle(settings(prefix, 8, Map.of()));
        deploy(publisher);
        List<Outgoing> sent = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            sent.add(hop("outage", DESTINATIONS.get(n % 3), n));
        }
        sent.forEach(publisher::publish);
        awaitStats(publisher, s -> s.published() == 20);

        kafka.stop();
        // Fewer than the window: only the spool-after timeout can start spooling.
        List<Outgoing> during = new ArrayList<>();
        for (int n = 20; n < 23; n++) {
            during.add(hop("outage", DESTINATIONS.get(n % 3), n));
        }
        during.forEach(publisher::publish);
        awaitStats(publisher, PublisherStats::spooling);
        List<Outgoing> later = new ArrayList<>();
        for (int n = 23; n < 63; n++) {
            later.add(n % 10 == 0 ? error("outage", n) : hop("outage", DESTINATIONS.get(n % 3), n));
        }
        later.forEach(publisher::publish);
        PublisherStats outage = awaitStats(publisher, s -> s.spoolPending() == later.size());
        assertThat(outage.spooling()).isTrue();
        assertThat(outage.spoolBytes()).isPositive();
        assertThat(outage.published()).isEqualTo(20);
        sent.addAll(during);
        sent.addAll(later);

        kafka.start();
        PublisherStats after = awaitStats(publisher, s -> s.published() >= sent.size() && s.inFlight() == 0
                && s.spoolPending() == 0 && !s.spooling());
        assertThat(after.published()).isEqualTo(sent.size());

        List<Received> hops = read(prefix + Topics.HOPS, 59);
        List<Received> errors = read(prefix + Topics.ERRORS, 4);
        assertThat(countsPerId(hops).values()).allMatch(c -> c == 1);
        assertThat(countsPerId(errors).values()).allMatch(c -> c == 1);
        assertThat(TopicContents.idsByKey(hops)).isEqualTo(expectedIdsByKey(sent, Topics.HOPS));
        assertThat(TopicContents.idsByKey(errors)).isEqualTo(expectedIdsByKey(sent, Topics.ERRORS));
    }

    @Test
    void spoolsWhatIsUnsentAtShutdownWhileTheBrokerIsDownAndTheNextRunSendsIt() throws Exception {
        String prefix = topics("shutdown.", 3);
        Path spoolDir = dir.resolve("spool");
        PublisherVerticle first = new PublisherVerticle(settings(prefix, spoolDir, 8, Map.of()));
        String firstId = deploy(first);
        List<Outgoing> sent = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            sent.add(hop("shutdown", DESTINATIONS.get(n % 3), n));
        }
        sent.forEach(first::publish);
        awaitStats(first, s -> s.published() == 10);

        kafka.stop();
        List<Outgoing> unsent = new ArrayList<>();
        for (int n = 10; n < 35; n++) {
            unsent.add(hop("shutdown", DESTINATIONS.get(n % 3), n));
        }
        unsent.forEach(first::publish);
        awaitStats(first, s -> s.spoolPending() > 0 && s.inFlight() + s.spoolPending() >= unsent.size());
        vertx.undeploy(firstId).await(60, TimeUnit.SECONDS);
        sent.addAll(unsent);

        // Everything unacknowledged is on disk: what was still in the producer was put back in the spool.
        assertThat(first.stats().spoolPending()).isEqualTo(unsent.size());
        try (Spool spool = Spool.open(spoolDir, SPOOL_MAX)) {
            assertThat(spool.pendingEntries()).isEqualTo(unsent.size());
        }

        kafka.start();
        PublisherVerticle second = new PublisherVerticle(settings(prefix, spoolDir, 8, Map.of()));
        deploy(second);
        awaitStats(second, s -> s.published() >= unsent.size() && s.inFlight() == 0 && s.spoolPending() == 0
                && !s.spooling());

        List<Received> hops = read(prefix + Topics.HOPS, sent.size());
        Map<String, Long> counts = countsPerId(hops);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids(sent));
        long duplicates = counts.values().stream().mapToLong(c -> c - 1).sum();
        System.out.println("shutdown while the broker is down: " + duplicates + " duplicates of " + sent.size());
        // The broker was down from before the unsent messages were handed over, so none can have reached it.
        assertThat(duplicates).isZero();
        assertThat(TopicContents.idsByKey(hops)).isEqualTo(expectedIdsByKey(sent, Topics.HOPS));
    }

    @Test
    void aFullSpoolDropsItsOldestRoundsAndCountsThem() throws Exception {
        String prefix = "full.";
        kafka.ensureTopic(prefix + Topics.ERRORS, 1, Map.of());
        PublisherVerticle publisher = new PublisherVerticle(settings(prefix, 4, Map.of()));
        deploy(publisher);
        Outgoing warmUp = bigError("full", 0);
        publisher.publish(warmUp);
        awaitStats(publisher, s -> s.published() == 1);

        kafka.stop();
        // About 21 MiB of messages of about 100 KiB, one round each, into a spool of 16 MiB (two segments).
        List<Outgoing> outage = new ArrayList<>();
        for (int n = 1; n <= 220; n++) {
            outage.add(bigError("full", n));
        }
        outage.forEach(publisher::publish);
        PublisherStats full = awaitStats(publisher, s -> s.inFlight() + s.spoolPending()
                + s.spoolDroppedRecords() == outage.size());
        assertThat(full.spoolDroppedRecords()).isPositive();
        assertThat(full.spoolDroppedRounds()).isEqualTo(full.spoolDroppedRecords());
        assertThat(full.spoolBytes()).isLessThanOrEqualTo(SPOOL_MAX);
        int dropped = (int) full.spoolDroppedRecords();

        kafka.start();
        awaitStats(publisher, s -> s.inFlight() == 0 && s.spoolPending() == 0 && !s.spooling());
        List<Received> records = read(prefix + Topics.ERRORS, 1 + outage.size() - dropped);
        List<String> delivered = records.stream().map(Received::recordId).toList();
        assertThat(delivered).hasSize(1 + outage.size() - dropped).doesNotHaveDuplicates();
        assertThat(delivered.get(0)).isEqualTo(recordId(warmUp.message()));
        // What is missing is one block of the oldest spooled messages; what came before it was still in the
        // producer (at most the window), everything after it arrives, in order.
        List<String> outageIds = ids(outage);
        int kept = 0;
        while (kept < outageIds.size() && kept + 1 < delivered.size()
                && outageIds.get(kept).equals(delivered.get(kept + 1))) {
            kept++;
        }
        assertThat(kept).isLessThanOrEqualTo(4);
        List<String> expected = new ArrayList<>();
        expected.add(recordId(warmUp.message()));
        expected.addAll(outageIds.subList(0, kept));
        expected.addAll(outageIds.subList(kept + dropped, outageIds.size()));
        assertThat(delivered).isEqualTo(expected);
    }

    @Test
    void aMessageKafkaRefusesForGoodIsCountedAndDoesNotHoldBackLaterOnes() throws Exception {
        String prefix = "refused.";
        kafka.ensureTopic(prefix + Topics.ERRORS, 1, Map.of("max.message.bytes", "4096"));
        PublisherVerticle publisher = new PublisherVerticle(settings(prefix, 100, Map.of()));
        deploy(publisher);
        List<Outgoing> small = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            small.add(error("refused", n));
        }
        // Random base64 does not compress: the record stays far above the topic's 4 KiB limit.
        byte[] noise = new byte[48 * 1024];
        new Random(42).nextBytes(noise);
        Outgoing big = new Outgoing(Topics.ERRORS, AGENT, errorMessage("refused-big",
                Base64.getEncoder().encodeToString(noise)), 0);
        small.subList(0, 5).forEach(publisher::publish);
        publisher.publish(big);
        small.subList(5, 10).forEach(publisher::publish);

        PublisherStats stats = awaitStats(publisher, s -> s.published() + s.rejected() >= 11 && s.inFlight() == 0
                && s.spoolPending() == 0);
        assertThat(stats.rejected()).isEqualTo(1);
        assertThat(stats.published()).isEqualTo(10);
        List<String> delivered = read(prefix + Topics.ERRORS, 10).stream().map(Received::recordId).toList();
        assertThat(delivered).isEqualTo(ids(small));
    }

    @Test
    void aSendThatFailsForAWhileIsRetriedWithoutLoss() throws Exception {
        String prefix = "missing.";
        kafka.ensureTopic(prefix + Topics.HOPS, 1, Map.of());
        // The errors topic does not exist yet: a send to it waits for metadata, then fails; it is retried
        // until the topic appears.
        PublisherVerticle publisher = new PublisherVerticle(settings(prefix, 3,
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000)));
        deploy(publisher);
        List<Outgoing> hops = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            hops.add(hop("missing", DESTINATIONS.get(0), n));
        }
        Outgoing blocked = error("missing", 0);
        // hop 0, the error and hop 1 fill the window; the other hops are spooled. Hop 0's acknowledgement frees
        // a place, so hop 2 is sent from the spool behind the waiting error and is acknowledged after the error
        // failed: the failed error must still go back in front of the spool.
        publisher.publish(hops.get(0));
        publisher.publish(blocked);
        hops.subList(1, hops.size()).forEach(publisher::publish);
        awaitStats(publisher, s -> s.published() >= 3);
        kafka.ensureTopic(prefix + Topics.ERRORS, 1, Map.of());

        awaitStats(publisher, s -> s.inFlight() == 0 && s.spoolPending() == 0 && !s.spooling());
        List<Received> hopRecords = read(prefix + Topics.HOPS, hops.size());
        List<Received> errorRecords = read(prefix + Topics.ERRORS, 1);
        Map<String, Long> hopCounts = countsPerId(hopRecords);
        assertThat(hopCounts.keySet()).containsExactlyInAnyOrderElementsOf(ids(hops));
        assertThat(countsPerId(errorRecords).keySet()).containsExactly(recordId(blocked.message()));
        // Order per key holds for the first copy of every message.
        assertThat(hopRecords.stream().map(Received::recordId).distinct().toList()).isEqualTo(ids(hops));
        long duplicates = hopCounts.values().stream().mapToLong(c -> c - 1).sum() + errorRecords.size() - 1;
        System.out.println("send failing for a while: " + duplicates + " duplicates of " + (hops.size() + 1));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Creates the hops and errors topics under a prefix. */
    private static String topics(String prefix, int hopPartitions) {
        kafka.ensureTopic(prefix + Topics.HOPS, hopPartitions, Map.of());
        kafka.ensureTopic(prefix + Topics.ERRORS, 1, Map.of());
        return prefix;
    }

    private PublisherSettings settings(String prefix, int memoryRecords, Map<String, Object> client) {
        return settings(prefix, dir.resolve("spool"), memoryRecords, client);
    }

    private static PublisherSettings settings(String prefix, Path spoolDir, int memoryRecords,
                                              Map<String, Object> client) {
        Map<String, Object> properties = new HashMap<>(client);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new PublisherSettings(prefix, properties, memoryRecords, SPOOL_AFTER, spoolDir, SPOOL_MAX, GRACE);
    }

    private String deploy(PublisherVerticle publisher) throws Exception {
        String id = vertx.deployVerticle(publisher, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .await(60, TimeUnit.SECONDS);
        deployments.put(publisher, id);
        return id;
    }

    private String deploymentOf(PublisherVerticle publisher) {
        return deployments.get(publisher);
    }

    /** Polls the publisher's stats until they satisfy {@code done}; fails after {@link #WAIT}. */
    private static PublisherStats awaitStats(PublisherVerticle publisher, Predicate<PublisherStats> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        PublisherStats stats = publisher.stats();
        while (!done.test(stats)) {
            if (System.nanoTime() - deadline > 0) {
                fail("publisher stats never reached the expected state: " + stats);
            }
            Thread.sleep(25);
            stats = publisher.stats();
        }
        return stats;
    }

    private static List<Received> read(String topic, int expected) {
        return TopicContents.read(kafka.bootstrapServers(), topic, expected, WAIT);
    }

    private static Outgoing hop(String run, String dst, int n) {
        String traceId = run + "-" + dst + "-" + n / TTLS;
        int ttl = 1 + n % TTLS;
        HopRecord reply = new HopRecord(ttl, "198.18.0." + ttl, 1.25 + n, 11, 0, 250, 0, null, null, null);
        HopMessage m = new HopMessage(HopMessage.TYPE, MessageJson.SCHEMA_VERSION, HopMessage.recordId(traceId, ttl, 0),
                AGENT, "m-" + run, TIME, traceId, "udp-paris", "192.0.2.1", dst, 33_000, 33_434, TIME.plusSeconds(n),
                reply);
        return new Outgoing(Topics.HOPS, Topics.pathKey(AGENT, dst), m, TIME.toEpochMilli());
    }

    private static Outgoing error(String run, int n) {
        return new Outgoing(Topics.ERRORS, AGENT, errorMessage(run + "-e" + n, "test error " + n), 0);
    }

    /** An error message of about 100 KiB, in a round of its own. */
    private static Outgoing bigError(String run, int n) {
        return new Outgoing(Topics.ERRORS, AGENT, errorMessage(run + "-e" + n, n + " " + "x".repeat(100 * 1024)),
                1_000 + n);
    }

    private static AgentErrorMessage errorMessage(String recordId, String text) {
        return new AgentErrorMessage(AgentErrorMessage.TYPE, MessageJson.SCHEMA_VERSION, recordId, AGENT, TIME,
                "test", "m-test", null, text);
    }

    private static String recordId(Object message) {
        return message instanceof HopMessage h ? h.recordId() : ((AgentErrorMessage) message).recordId();
    }

    private static List<String> ids(List<Outgoing> sent) {
        return sent.stream().map(o -> recordId(o.message())).toList();
    }

    /** Record ids per key in the order they were handed over, for one topic. */
    private static Map<String, List<String>> expectedIdsByKey(List<Outgoing> sent, String topic) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (Outgoing o : sent) {
            if (o.topic().equals(topic)) {
                byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(recordId(o.message()));
            }
        }
        return byKey;
    }

    private static Map<String, Long> countsPerId(List<Received> records) {
        return records.stream().collect(Collectors.groupingBy(Received::recordId, LinkedHashMap::new,
                Collectors.counting()));
    }
}
