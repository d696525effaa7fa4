package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.collector.topology.TraceObservations;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.StopReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 database, and what only the embedded store does (its data directory). */
class EmbeddedCollectorStoreTest extends CollectorStoreContract {
    @TempDir
    Path dir;
    private StoreBackend backend;

    @BeforeEach
    void useTemporaryDirectory() {
        backend = new EmbeddedBackend(dir);
    }

    @Override
    StoreBackend backend() {
        return backend;
    }

    @Test
    void aFreshDirectoryIsMigratedAndEmpty() {
        try (CollectorStore store = CollectorStore.openEmbedded(dir.resolve("data"))) {
            assertThat(store.counts()).isEqualTo(new StoreCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
            assertThat(store.loadCurrentRoutes()).isEmpty();
            assertThat(store.links()).isEmpty();
        }
        assertThat(dir.resolve("data").resolve(CollectorStore.DATABASE_NAME + CollectorStore.SQLITE_FILE_SUFFIX))
                .isRegularFile();
        // migrating again on a second open is a no-op
        try (CollectorStore store = CollectorStore.openEmbedded(dir.resolve("data"))) {
            assertThat(store.counts().nodes()).isZero();
        }
    }

    /**
     * An applied batch is in the database's files when apply returns (its database file and write-ahead log): a
     * collector killed then must not have committed Kafka offsets past traces its store lost.
     */
    @Test
    void anAppliedBatchIsInTheFilesWhenApplyReturns() throws Exception {
        Path data = dir.resolve("data");
        Path copy = dir.resolve("copy");
        String file = CollectorStore.DATABASE_NAME + CollectorStore.SQLITE_FILE_SUFFIX;
        try (CollectorStore store = CollectorStore.openEmbedded(data)) {
            assertThat(apply(store, stream().get(0))).isTrue();
            // the files as a process killed now would leave them
            Files.createDirectories(copy);
            for (String f : List.of(file, file + "-wal")) {
                if (Files.exists(data.resolve(f))) {
                    Files.copy(data.resolve(f), copy.resolve(f));
                }
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve(file));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM applied_traces")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(1)).as("traces in the files when apply returned").isEqualTo(1);
        }
    }

    /**
     * A data directory that holds an H2 store (the embedded database before SQLite) is opened as that store, with
     * everything it holds: never as a new, empty store beside it.
     */
    @Test
    void aDirectoryWithAnH2StoreKeepsIt() {
        Path data = dir.resolve("h2");
        String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve(CollectorStore.DATABASE_NAME)
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (CollectorStore store = CollectorStore.open(url, "sa", "")) {
            assertThat(store.applyAll(stream())).isEqualTo(stream().size());
        }
        try (CollectorStore store = CollectorStore.openEmbedded(data)) {
            assertThat(store.counts().appliedTraces()).isEqualTo(stream().size());
            assertThat(apply(store, assemble(trace("fra1", "f-9", 50).hop(A).destination()))).isTrue();
        }
        assertThat(data.resolve(CollectorStore.DATABASE_NAME + CollectorStore.SQLITE_FILE_SUFFIX)).doesNotExist();
    }

    @Test
    void aSecondOpenOfAnOpenDirectoryIsRefused() {
        try (CollectorStore store = CollectorStore.openEmbedded(dir)) {
            assertThatThrownBy(() -> CollectorStore.openEmbedded(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already open");
            assertThat(store.counts().nodes()).isZero();
        }
        try (CollectorStore again = CollectorStore.openEmbedded(dir)) {
            assertThat(again.counts().nodes()).isZero();
        }
    }

    @Test
    void anyJdbcUrlIsMigratedOnOpen() {
        String url = "jdbc:h2:file:" + dir.resolve("byurl").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (CollectorStore store = CollectorStore.open(url, "sa", "")) {
            assertThat(apply(store, stream().get(0))).isTrue();
            assertThat(store.counts().appliedTraces()).isEqualTo(1);
        }
        assertThatThrownBy(() -> CollectorStore.open("h2:nothing", "sa", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:");
    }

    @Test
    void aStoreOfSchemaTwoCountsItsConnectingPlaceholdersFromItsGraphWhenMigrated() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("tally").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        List<TraceScript> traces = List.of(
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("t-1")
                        .hop("198.18.0.1").silent().silent().hop("198.18.0.3").destination(),
                TraceScript.trace(MeasurementMethod.ICMP_PARIS, "ams1", "198.18.9.9").id("t-2")
                        .silent().hop("198.18.0.3").destination(),
                // silent to the end: connects nothing
                TraceScript.trace(MeasurementMethod.UDP_PARIS, "lon1", "198.18.9.10").id("t-3")
                        .hop("198.18.0.4").silent().silent().stop(StopReason.GAP_LIMIT));
        StoreCounts counts;
        try (CollectorStore store = CollectorStore.open(url, "sa", "")) {
            for (TraceScript t : traces) {
                AssembledTrace a = Feed.assemble(t.build());
                assertThat(store.apply(a, MERGER.merge(a))).isTrue();
            }
            counts = store.counts();
        }
        assertThat(tally(url)).as("tallied as the traces were applied").isEqualTo(3);
        // back to schema 2: no tally, no index of destinations, and the migrations from 3 on still to run
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement()) {
            backToSchema4(c);
            s.execute("DROP TABLE placeholder_tally");
            s.execute("DROP INDEX applied_traces_destination");
            s.execute("DELETE FROM flyway_schema_history WHERE version IN ('3', '4')");
        }
        try (CollectorStore store = CollectorStore.open(url, "sa", "")) {
            assertThat(store.counts()).isEqualTo(counts);
        }
        assertThat(tally(url)).as("counted from the graph by the migration").isEqualTo(3);
    }

    private static long tally(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COALESCE(SUM(connecting), 0) FROM placeholder_tally")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void observationsOfAnotherTraceAreRefused() {
        List<AssembledTrace> s = stream();
        try (CollectorStore store = CollectorStore.openEmbedded(dir)) {
            TraceObservations other = MERGER.merge(s.get(1));
            assertThatThrownBy(() -> store.apply(s.get(0), other))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ams1/a-1");
            assertThat(store.counts().appliedTraces()).isZero();
        }
        assertThat(dir.resolve(CollectorStore.LOCK_FILE)).exists();
    }
}
