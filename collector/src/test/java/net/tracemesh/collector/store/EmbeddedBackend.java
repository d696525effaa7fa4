package net.tracemesh.collector.store;

import java.nio.file.Path;

/** Test databases as embedded H2 stores, one data directory per name under a temporary directory. */
final class EmbeddedBackend implements StoreBackend {
    private final Path dir;

    EmbeddedBackend(Path dir) {
        this.dir = dir;
    }

    @Override
    public CollectorStore open(String name) {
        return CollectorStore.openEmbedded(dir.resolve(name));
    }

    @Override
    public void close() {
        // the temporary directory goes with the test
    }
}
