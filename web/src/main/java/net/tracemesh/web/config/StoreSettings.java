package net.tracemesh.web.config;

import java.nio.file.Path;
import net.tracemesh.collector.config.StoreType;

/**
 * Where the web reads the collector's topology and route history and keeps its accounts ({@code store:} in
 * web.yaml): a PostgreSQL database shared with the collectors, or an embedded store under a data directory (which
 * only one process may open: a standalone web only uses it while no collector does).
 *
 * @param type     jdbc or embedded [jdbc]
 * @param dataDir  embedded only, required: the collector's data directory
 * @param url      jdbc only, required: e.g. {@code jdbc:postgresql://db:5432/tracemesh}
 * @param user     jdbc only: the database user (none: the driver's default)
 * @param password jdbc only: read from {@code store.password-file}; never shown by {@link #toString()}
 */
public record StoreSettings(StoreType type, Path dataDir, String url, String user, String password) {
    private static final String JDBC_SCHEME = "jdbc:";

    public StoreSettings {
        if (type == null) {
            throw new IllegalArgumentException("store.type: is missing (" + StoreType.names() + ")");
        }
        if (type == StoreType.EMBEDDED) {
            if (dataDir == null) {
                throw new IllegalArgumentException("store.data-dir: is required when store.type is embedded");
            }
            if (url != null || user != null || password != null) {
                throw new IllegalArgumentException("store." + (url != null ? "url" : user != null ? "user"
                        : "password-file") + ": is only used when store.type is jdbc");
            }
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
        }
    }

    /** The store, for logs and messages: the directory or the URL, never the password. */
    public String describe() {
        return type == StoreType.EMBEDDED ? "embedded store in " + dataDir.toAbsolutePath()
                : "database " + url + (user == null ? "" : " as " + user);
    }

    @Override
    public String toString() {
        return "StoreSettings[type=" + type.configName() + ", dataDir=" + dataDir + ", url=" + url + ", user=" + user
                + (password == null ? "" : ", password=(hidden)") + "]";
    }
}
