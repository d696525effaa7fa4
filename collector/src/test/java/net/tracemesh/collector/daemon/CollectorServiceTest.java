package net.tracemesh.collector.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.collector.config.CollectorConfig;
import net.tracemesh.collector.fixture.TestBroker;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.HopRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CollectorService} against a real Kafka broker in this JVM, configured from collector.yaml text: it stores
 * what agents publish, drops raw hops past their age on its schedule while the graph stays, releases the store on
 * close, and reports a failed ingest. Retention and the idle clock run on a fixed clock at {@link TraceScript#T0}.
 */
class CollectorServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Clock AT_T0 = Clock.fixed(TraceScript.T0, ZoneOffset.UTC);
    /** Older than the 14-day hop age of the configs below. */
    private static final Instant LONG_AGO = TraceScript.T0.minus(Duration.ofDays(30));

    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void useSharedBroker() {
        kafka = TestBroker.shared();
    }

    @Test
    void storesWhatAgentsPublishAndDropsOldHopRecordsButNotTheGraph() {
        String prefix = topics("svc.");
        List<TraceScript.Trace> old = List.of(
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("old-1").start(LONG_AGO)
                        .hop("198.18.5.1").hop("198.18.0.2").destination().build(),
                TraceScript.trace(MeasurementMethod.ICMP_PARIS, "ams1", "198.18.9.10").id("old-2").start(LONG_AGO)
                        .hop("198.18.5.2").silent().destination().build());
        List<TraceScript.Trace> recent = List.of(
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("new-1")
                        .hop("198.18.0.1").hop("198.18.0.2").destination().build(),
                TraceScript.trace(MeasurementMethod.ICMP_PARIS, "ams1", "198.18.9.10").id("new-2")
                        .hop("198.18.1.1").hop("198.18.0.4").destination().build(),
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "lon1", "198.18.9.11").id("new-3")
                        .hop("198.18.2.1").destination().build());
        publish(prefix, old);
        publish(prefix, recent);

        CollectorConfig config = config(prefix, "g", "retention: {hop-max-age: 14d, prune-interval: 1s}\n");
        Path storeDir = dir.resolve("store");
        try (CollectorService service = CollectorService.start(config, AT_T0)) {
            await(service, () -> service.stats().ingest().tracesApplied() == old.size() + recent.size()
                    && service.stats().tracesPruned() == old.size());
            CollectorStore store = service.store();
            for (TraceScript.Trace t : old) {
                assertThat(store.applied(agent(t), id(t))).isTrue();
                assertThat(store.hops(agent(t), id(t))).as("pruned %s", id(t)).isEmpty();
            }
            for (TraceScript.Trace t : recent) {
                assertThat(store.hops(agent(t), id(t))).extracting(HopRecord::addr)
                        .containsExactlyElementsOf(t.hops().stream().map(h -> h.hop().addr()).toList());
            }
            // the graph keeps what only the pruned traces saw
            assertThat(store.nodes()).extracting(n -> n.id().key()).contains("198.18.5.1", "198.18.5.2");
            CollectorStats stats = service.stats();
            assertThat(stats.healthy()).isTrue();
            assertThat(stats.ingest().deadLettered()).isZero();
            assertThat(stats.prunes()).isPositive();
            assertThat(stats.pruneFailures()).isZero();
            assertThat(stats.lastPrune()).isEqualTo(TraceScript.T0);
            assertThat(service.healthy()).isTrue();
            assertThat(service.failure()).isEmpty();
        }
        // closed: the store is released and holds everything
        try (CollectorStore reopened = CollectorStore.openEmbedded(storeDir)) {
            assertThat(reopened.counts().appliedTraces()).isEqualTo(old.size() + recent.size());
            assertThat(reopened.nodes()).extracting(NodeSummary::observations).allMatch(n -> n > 0);
        }
    }

    @Test
    void aRestartCarriesOnWhereTheLastRunStopped() {
        String prefix = topics("again.");
        TraceScript.Trace first = TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("r-1")
                .hop("198.18.0.1").destination().build();
        TraceScript.Trace second = TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.12").id("r-2")
                .hop("198.18.0.1").hop("198.18.0.7").destination().build();
        CollectorConfig config = config(prefix, "g", "");
        publish(prefix, List.of(first));
        try (CollectorService service = CollectorService.start(config, AT_T0)) {
            await(service, () -> service.stats().ingest().tracesApplied() == 1);
        }
        publish(prefix, List.of(second));
        try (CollectorService service = CollectorService.start(config, AT_T0)) {
            await(service, () -> service.stats().ingest().tracesApplied() == 1);
            assertThat(service.store().applied(agent(second), id(second))).isTrue();
            assertThat(service.store().counts().appliedTraces()).isEqualTo(2);
        }
    }

    @Test
    void aFailedIngestIsReportedAndMakesTheServiceUnhealthy() throws Exception {
        String prefix = topics("fail.");
        CollectorConfig config = config(prefix, "g", "");
        try (CollectorService service = CollectorService.start(config, AT_T0)) {
            assertThat(service.healthy()).isTrue();
            CompletableFuture<Optional<Throwable>> end = CompletableFuture.supplyAsync(() -> {
                try {
                    return service.awaitEnd();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // the database goes away under the running ingest: the next trace cannot be stored
            service.store().close();
            publish(prefix, List.of(TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9")
                    .hop("198.18.0.1").destination().build()));
            Optional<Throwable> failure = end.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(failure).isPresent();
            assertThat(service.failure()).containsSame(failure.get());
            assertThat(service.healthy()).isFalse();
            assertThat(service.stats().healthy()).isFalse();
            assertThat(service.stats().ingest().tracesApplied()).isZero();
        }
    }

    @Test
    void closingEndsTheWaitWithoutAFailure() throws Exception {
        CollectorService service = CollectorService.start(config(topics("close."), "g", ""), AT_T0);
        CompletableFuture<Optional<Throwable>> end = CompletableFuture.supplyAsync(() -> {
            try {
                return service.awaitEnd();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        service.close();
        assertThat(end.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        assertThat(service.healthy()).isFalse();
        service.close(); // idempotent
    }

    @Test
    void aStoreInUseIsRefusedBeforeAnythingStarts() {
        String prefix = topics("busy.");
        Path storeDir = dir.resolve("store");
        try (CollectorStore inUse = CollectorStore.openEmbedded(storeDir)) {
            assertThatThrownBy(() -> CollectorService.start(config(prefix, "g", ""), AT_T0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is already open");
            assertThat(inUse.counts().appliedTraces()).isZero();
        }
    }

    /** A config as collector.yaml text: this broker, these topics, the store under the test's directory. */
    private CollectorConfig config(String prefix, String group, String moreYaml) {
        return CollectorConfig.fromYaml("""
                kafka:
                  bootstrap-servers: "%s"
                  topic-prefix: "%s"
                  group-id: "%s"
                  poll-timeout: 200ms
                store:
                  type: embedded
                  data-dir: "%s"
                """.formatted(kafka.bootstrapServers(), prefix, prefix + group, dir.resolve("store")) + moreYaml, Map.of());
    }

    private static String topics(String prefix) {
        return TestBroker.topics(prefix, 2);
    }

    /** Publishes traces as agents do: keyed by path, hops then the completion, record time {@link TraceScript#T0}. */
    private static void publish(String prefix, List<TraceScript.Trace> traces) {
        try (KafkaProducer<String, byte[]> producer = TestBroker.producer()) {
            for (TraceScript.Trace t : traces) {
                TestBroker.send(producer, prefix, t.messages(), TraceScript.T0);
            }
        }
    }

    private static String agent(TraceScript.Trace t) {
        return t.completion().agentId();
    }

    private static String id(TraceScript.Trace t) {
        return t.completion().traceId();
    }

    private static void await(CollectorService service, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!done.getAsBoolean()) {
            if (service.failure().isPresent()) {
                throw new AssertionError("the ingest failed", service.failure().get());
            }
            if (Instant.now().isAfter(deadline)) {
                fail("not done within " + WAIT + ": " + service.stats());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
