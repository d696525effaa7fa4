package net.tracemesh.collector.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which database holds the collector's graph and route history ({@code store.type}). */
public enum StoreType {
    /**
     * A SQLite database in files under a data directory (or the H2 store a directory made before holds), inside
     * the collector's process; one collector at a time.
     */
    EMBEDDED,
    /** A database server reached by a JDBC URL (PostgreSQL), which several collectors and readers can share. */
    JDBC;

    /** The name in collector.yaml: {@code embedded}, {@code jdbc}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<StoreType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.configName().equalsIgnoreCase(name.strip())).findFirst();
    }

    /** Every name, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(StoreType::configName).collect(Collectors.joining(" or "));
    }
}
