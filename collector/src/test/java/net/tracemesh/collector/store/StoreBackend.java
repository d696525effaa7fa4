package net.tracemesh.collector.store;

/**
 * Where a store test keeps its databases: each name is one database, created on its first open and opened again
 * (as a restarted collector would) on later opens of the same name.
 */
interface StoreBackend extends AutoCloseable {
    /** Opens the database called {@code name}, creating it the first time. */
    CollectorStore open(String name);

    /** Drops what the backend created. */
    @Override
    void close();
}
