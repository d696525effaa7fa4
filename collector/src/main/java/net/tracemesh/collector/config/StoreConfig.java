package net.tracemesh.collector.config;

import java.nio.file.Path;
import net.tracemesh.config.SettingsTree;

/**
 * Where the collector keeps its graph and route history ({@code store:} in collector.yaml): either an embedded
 * database under a data directory, or a database server.
 *
 * @param type         embedded or jdbc [embedded]
 * @param dataDir      embedded only: the directory of the database files [./tracemesh-collector-data]
 * @param url          jdbc only, required: the JDBC URL, e.g. {@code jdbc:postgresql://db:5432/tracemesh}
 * @param user         jdbc only: the database user (none: the driver's default)
 * @param passwordFile jdbc only: the file the password was read from (none: no password)
 * @param password     the password read from {@code passwordFile}; never shown by {@link #toString()}
 * @param cacheMb      embedded only: the database's page cache in MiB, in the heap of the JVM that opens it [64];
 *                     a large store answers the map's queries faster with more
 */
public record StoreConfig(StoreType type, Path dataDir, String url, String user, Path passwordFile,
                          String password, int cacheMb) {
    public static final Path DEFAULT_DATA_DIR = Path.of("tracemesh-collector-data");
    /** The embedded database's page cache unless {@code store.cache-mb} says otherwise, in MiB. */
    public static final int DEFAULT_CACHE_MB = 64;
    /** The largest page cache {@code store.cache-mb} may ask for, in MiB. */
    public static final int MAX_CACHE_MB = 65_536;
    private static final String JDBC_SCHEME = "jdbc:";

    /** A store with the default page cache. */
    public StoreConfig(StoreType type, Path dataDir, String url, String user, Path passwordFile, String password) {
        this(type, dataDir, url, user, passwordFile, password, DEFAULT_CACHE_MB);
    }

    public StoreConfig {
        if (type == null) {
            throw new IllegalArgumentException("store.type: is missing (" + StoreType.names() + ")");
        }
        if (cacheMb < 1 || cacheMb > MAX_CACHE_MB) {
            throw new IllegalArgumentException("store.cache-mb: must be 1.." + MAX_CACHE_MB + " (MiB), got " + cacheMb);
        }
        if (type != StoreType.EMBEDDED && cacheMb != DEFAULT_CACHE_MB) {
            throw new IllegalArgumentException("store.cache-mb: is only used when store.type is embedded");
        }
        if (type == StoreType.EMBEDDED) {
            if (dataDir == null) {
                throw new IllegalArgumentException("store.data-dir: is required when store.type is embedded");
            }
            dataDir = dataDir.normalize();
            jdbcOnly("store.url", url);
            jdbcOnly("store.user", user);
            jdbcOnly("store.password-file", passwordFile);
        } else {
            if (dataDir != null) {
                throw new IllegalArgumentException("store.data-dir: is only used when store.type is embedded");
            }
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("store.url: is required when store.type is jdbc");
            }
            if (!url.startsWith(JDBC_SCHEME)) {
                throw new IllegalArgumentException("store.url: a JDBC URL starts with \"jdbc:\" (as in"
                        + " jdbc:postgresql://host:5432/tracemesh)");
            }
            if ((passwordFile == null) != (password == null)) {
                throw new IllegalArgumentException("store.password-file: the password and its file go together");
            }
        }
    }

    /** {@code store.cache-mb} of a settings file: only an embedded store takes it. */
    public static int readCacheMb(SettingsTree r, StoreType type) {
        int cacheMb = r.integer("store.cache-mb", DEFAULT_CACHE_MB);
        if (type != StoreType.EMBEDDED && (r.node("store.cache-mb") != null || cacheMb != DEFAULT_CACHE_MB)) {
            throw r.at("store.cache-mb", "is only used when store.type is embedded");
        }
        return cacheMb;
    }

    /** The embedded database under {@code dataDir}. */
    public static StoreConfig embedded(Path dataDir) {
        return new StoreConfig(StoreType.EMBEDDED, dataDir, null, null, null, null);
    }

    /** What the store is, for logs and messages: the directory or the URL, never the password. */
    public String describe() {
        return type == StoreType.EMBEDDED ? "embedded store in " + dataDir.toAbsolutePath()
                : "database " + url + (user == null ? "" : " as " + user);
    }

    @Override
    public String toString() {
        return "StoreConfig[type=" + type.configName() + ", dataDir=" + dataDir + ", url=" + url + ", user=" + user
                + ", passwordFile=" + passwordFile + (password == null ? "" : ", password=(hidden)") + ", cacheMb="
                + cacheMb + "]";
    }

    private static void jdbcOnly(String path, Object value) {
        if (value != null) {
            throw new IllegalArgumentException(path + ": is only used when store.type is jdbc");
        }
    }
}
