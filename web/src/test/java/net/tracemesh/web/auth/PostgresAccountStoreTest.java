package net.tracemesh.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import net.tracemesh.collector.store.CollectorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The account store on PostgreSQL, one fresh schema per store, dropped afterwards. The server is given by
 * {@code TRACEMESH_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/tracemesh_test}),
 * {@code TRACEMESH_TEST_PG_USER} and {@code TRACEMESH_TEST_PG_PASSWORD} (default {@code tracemesh}); the tests are
 * skipped when it cannot be reached, unless {@code TRACEMESH_REQUIRE_POSTGRES} is set: then they fail.
 */
class PostgresAccountStoreTest extends AccountStoreContract {
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/tracemesh_test";
    private final String baseUrl = env("TRACEMESH_TEST_PG_URL", DEFAULT_URL);
    private final String user = env("TRACEMESH_TEST_PG_USER", "tracemesh");
    private final String password = env("TRACEMESH_TEST_PG_PASSWORD", "tracemesh");
    private final String prefix = "tm_web_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Set<String> schemas = new LinkedHashSet<>();
    private boolean reachable;

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private void requireServer() {
        if (reachable) {
            return;
        }
        try (Connection c = DriverManager.getConnection(baseUrl, user, password)) {
            c.isValid(5);
            reachable = true;
        } catch (SQLException e) {
            String reason = "no PostgreSQL server at " + baseUrl + " for user " + user + " (" + e.getMessage()
                    + "); set TRACEMESH_TEST_PG_URL or run .ci/run, which installs and starts one";
            if (System.getenv("TRACEMESH_REQUIRE_POSTGRES") != null) {
                throw new IllegalStateException(reason, e);
            }
            Assumptions.abort(reason);
        }
    }

    private String url(String name) {
        requireServer();
        String schema = prefix + "_" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        if (schemas.add(schema)) {
            try (Connection c = DriverManager.getConnection(baseUrl, user, password);
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("creating test schema " + schema + " failed: " + e.getMessage(), e);
            }
        }
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    AccountStore open(String name) {
        return reopenWithHashing(name, new PasswordHashing(PasswordHashing.MIN_ITERATIONS));
    }

    @Override
    AccountStore reopenWithHashing(String name, PasswordHashing hashing) {
        return AccountStore.open(url(name), user, password, SETTINGS, clock, hashing);
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        if (!reachable) {
            return;
        }
        try (Connection c = DriverManager.getConnection(baseUrl, user, password);
             Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void sharesTheCollectorsDatabase() throws SQLException {
        String url = url("shared");
        try (CollectorStore collector = CollectorStore.open(url, user, password);
             AccountStore accounts = AccountStore.open(url, user, password)) {
            accounts.createUser("bob", PASSWORD, Role.READER);
            assertThat(collector.counts().appliedTraces()).isZero();
        }
        try (AccountStore again = AccountStore.open(url, user, password)) {
            assertThat(again.users()).extracting(UserAccount::user).containsExactly("bob");
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                     + "current_schema() AND table_name LIKE '%schema_history' ORDER BY 1")) {
            Set<String> tables = new LinkedHashSet<>();
            while (r.next()) {
                tables.add(r.getString(1));
            }
            assertThat(tables).containsExactly("flyway_schema_history", "web_schema_history");
        }
    }
}
