package net.tracemesh.platform.lab;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import net.tracemesh.web.WebApp;
import net.tracemesh.web.auth.AccountStore;
import net.tracemesh.web.config.WebConfig;

/**
 * The web over a lab collector's store, as the platform runs it: the real modules, an embedded account store with
 * one administrator, the lab's broker for agents and measurements, on a free loopback port.
 */
final class LabWeb implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String PASSWORD = "lab-admin-password";
    private static final long START_SECONDS = 30;

    private final Vertx vertx;
    private final AccountStore accounts;
    private final WebApp app;

    private LabWeb(Vertx vertx, AccountStore accounts, WebApp app) {
        this.vertx = vertx;
        this.accounts = accounts;
        this.app = app;
    }

    static LabWeb start(Path dir, String bootstrapServers, String topicPrefix, DataSource readPool)
            throws Exception {
        WebConfig config = WebConfig.fromYaml("", Map.of(
                "TRACEMESH_HTTP_PORT", "0",
                "TRACEMESH_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "TRACEMESH_KAFKA_TOPIC_PREFIX", topicPrefix,
                "TRACEMESH_STORE_TYPE", "embedded",
                "TRACEMESH_STORE_DATA_DIR", dir.toString()));
        AccountStore accounts = AccountStore.openEmbedded(dir);
        Vertx vertx = Vertx.vertx();
        try {
            accounts.ensureAdmin(ADMIN, PASSWORD);
            WebApp app = WebApp.start(vertx, config, readPool, accounts, null).toCompletionStage()
                    .toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
            return new LabWeb(vertx, accounts, app);
        } catch (Exception e) {
            vertx.close();
            accounts.close();
            throw e;
        }
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    @Override
    public void close() {
        try {
            WebApp.stopBlocking(app, vertx, Duration.ofSeconds(START_SECONDS));
        } finally {
            accounts.close();
        }
    }
}
