package net.tracemesh.collector.query;

import java.nio.file.Path;
import net.tracemesh.collector.store.CollectorStore;
import org.junit.jupiter.api.io.TempDir;

/** The queries on the embedded H2 store. */
class TopologyQueriesTest extends TopologyQueriesContract {
    @TempDir
    static Path dir;

    @Override
    CollectorStore open(String name) {
        return CollectorStore.openEmbedded(dir.resolve(name));
    }
}
