package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.topology.TraceObservations;
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
        assertThat(dir.resolve("data").resolve(CollectorStore.DATABASE_NAME + ".mv.db")).isRegularFile();
        // migrating again on a second open is a no-op
        try (CollectorStore store = CollectorStore.openEmbedded(dir.resolve("data"))) {
            assertThat(store.counts().nodes()).isZero();
        }
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
