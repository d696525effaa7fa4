package net.tracemesh.collector.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Test stores on a PostgreSQL server: one fresh schema per name (a store's tables live in its connection's current
 * schema), dropped on close. The database is given by {@code TRACEMESH_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/tracemesh_test}), {@code TRACEMESH_TEST_PG_USER} and
 * {@code TRACEMESH_TEST_PG_PASSWORD} (default {@code tracemesh}/{@code tracemesh}, the database's owner;
 * {@code .ci/run} sets both up). When the server cannot be reached the tests are skipped with the reason,
 * unless {@code TRACEMESH_REQUIRE_POSTGRES} is set (as CI does): then they fail.
 */
final class PostgresBackend implements StoreBackend {
    static final String URL_VARIABLE = "TRACEMESH_TEST_PG_URL";
    static final String REQUIRE_VARIABLE = "TRACEMESH_REQUIRE_POSTGRES";
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/tracemesh_test";

    private final String baseUrl;
    private final String user;
    private final String password;
    private final String prefix = "tm_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Set<String> created = new LinkedHashSet<>();

    private PostgresBackend(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The configured server, or a skipped test (a failed one under {@code TRACEMESH_REQUIRE_POSTGRES}). */
    static PostgresBackend connect() {
        PostgresBackend b = new PostgresBackend(env(URL_VARIABLE, DEFAULT_URL), env("TRACEMESH_TEST_PG_USER",
                "tracemesh"), env("TRACEMESH_TEST_PG_PASSWORD", "tracemesh"));
        try (Connection c = b.admin()) {
            c.isValid(5);
        } catch (SQLException e) {
            String reason = "no PostgreSQL server at " + b.baseUrl + " for user " + b.user + " (" + e.getMessage()
                    + "); set " + URL_VARIABLE + " or run .ci/run, which installs and starts one";
            if (System.getenv(REQUIRE_VARIABLE) != null) {
                throw new IllegalStateException(reason, e);
            }
            Assumptions.abort(reason);
        }
        return b;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(baseUrl, user, password);
    }

    /** The JDBC URL of the store called {@code name}, creating its schema the first time. */
    String url(String name) {
        String schema = prefix + "_" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        if (created.add(schema)) {
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("creating test schema " + schema + " failed: " + e.getMessage(), e);
            }
        }
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    @Override
    public CollectorStore open(String name) {
        return CollectorStore.open(url(name), user, password);
    }

    @Override
    public Connection connect(String name) throws SQLException {
        return DriverManager.getConnection(url(name), user, password);
    }

    @Override
    public void close() {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            for (String schema : created) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("dropping test schemas failed: " + e.getMessage(), e);
        }
    }
}
