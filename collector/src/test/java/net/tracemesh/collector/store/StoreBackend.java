package net.tracemesh.collector.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a store test keeps its databases: each name is one database, created on its first open and opened again
 * (as a restarted collector would) on later opens of the same name.
 */
interface StoreBackend extends AutoCloseable {
    /** Opens the database called {@code name}, creating it the first time. */
    CollectorStore open(String name);

    /** A plain connection to the database called {@code name} (its store closed), to change it behind the store. */
    Connection connect(String name) throws SQLException;

    /** Drops what the backend created. */
    @Override
    void close();
}
