package net.tracemesh.collector.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Test databases as embedded (SQLite) stores, one data directory per name under a temporary directory. */
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
    public Connection connect(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name).toAbsolutePath()
                .resolve(CollectorStore.DATABASE_NAME + CollectorStore.SQLITE_FILE_SUFFIX));
    }

    @Override
    public void close() {
        // the temporary directory goes with the test
    }
}
