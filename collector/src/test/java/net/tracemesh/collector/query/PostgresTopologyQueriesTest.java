package net.tracemesh.collector.query;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.tracemesh.collector.store.CollectorStore;
import org.junit.jupiter.api.Assumptions;

/**
 * The queries on PostgreSQL, each store in a fresh schema dropped afterwards. The server is the one the store's
 * PostgreSQL tests use: {@code TRACEMESH_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/tracemesh_test}),
 * {@code TRACEMESH_TEST_PG_USER} and {@code TRACEMESH_TEST_PG_PASSWORD} (default {@code tracemesh}). Without a
 * reachable server the tests are skipped, unless {@code TRACEMESH_REQUIRE_POSTGRES} is set: then they fail.
 */
class PostgresTopologyQueriesTest extends TopologyQueriesContract {
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/tracemesh_test";
    private static final String DEFAULT_CREDENTIAL = "tracemesh";
    private final String url = env("TRACEMESH_TEST_PG_URL", DEFAULT_URL);
    private final String user = env("TRACEMESH_TEST_PG_USER", DEFAULT_CREDENTIAL);
    private final String password = env("TRACEMESH_TEST_PG_PASSWORD", DEFAULT_CREDENTIAL);
    private final String prefix = "tm_query_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<String> schemas = new ArrayList<>();

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Override
    CollectorStore open(String name) {
        String schema = prefix + "_" + name;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String reason = "no PostgreSQL server at " + url + " for user " + user + ": " + e.getMessage();
            if (System.getenv("TRACEMESH_REQUIRE_POSTGRES") != null) {
                throw new IllegalStateException(reason, e);
            }
            Assumptions.abort(reason);
        }
        schemas.add(schema);
        return CollectorStore.open(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user,
                password);
    }

    @Override
    void cleanUp() {
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("dropping test schemas " + schemas + " failed: " + e.getMessage(), e);
        }
    }
}
