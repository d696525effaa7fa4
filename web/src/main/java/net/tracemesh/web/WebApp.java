package net.tracemesh.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import net.tracemesh.collector.daemon.CollectorStats;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.SigningKeyException;
import net.tracemesh.web.agents.AgentDirectory;
import net.tracemesh.web.agents.AgentRoutes;
import net.tracemesh.web.api.QueryRoutes;
import net.tracemesh.web.api.TopologyCache;
import net.tracemesh.web.api.TopologyRefresh;
import net.tracemesh.web.auth.AccountAuthenticator;
import net.tracemesh.web.auth.AccountRoutes;
import net.tracemesh.web.auth.AccountStore;
import net.tracemesh.web.auth.LoginLimiter;
import net.tracemesh.web.config.MeasurementSettings;
import net.tracemesh.web.config.WebConfig;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.http.ApiModule;
import net.tracemesh.web.http.WebServer;
import net.tracemesh.web.live.LiveFeed;
import net.tracemesh.web.live.LiveRoutes;
import net.tracemesh.web.measurements.MeasurementCatalog;
import net.tracemesh.web.measurements.MeasurementRoutes;
import net.tracemesh.web.metrics.HealthCheck;
import net.tracemesh.web.metrics.MergeProgress;
import net.tracemesh.web.metrics.SystemRoutes;
import net.tracemesh.web.metrics.WebMetrics;
import net.tracemesh.web.openapi.OpenApiDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tracemesh web, composed: the query, account, agent, measurement, live-event and system modules behind one
 * {@link WebServer}, over a store's read pool, an account store and Kafka. It runs standalone ({@link WebMain})
 * or inside the collector's process (the platform), which then also passes the collector's stats for the health
 * check and the metrics. The caller keeps the read pool and the account store: {@link #close()} leaves them open.
 */
public final class WebApp {
    private static final Logger LOG = LoggerFactory.getLogger(WebApp.class);
    private static final String STORE_PROBE = "SELECT 1";

    private final WebServer server;
    private final AgentDirectory agents;
    private final MeasurementCatalog catalog;
    private final LiveFeed live;
    private final MergeProgress progress;
    private final TopologyRefresh topologyRefresh;
    private final int port;

    private WebApp(WebServer server, AgentDirectory agents, MeasurementCatalog catalog, LiveFeed live,
                   MergeProgress progress, TopologyRefresh topologyRefresh, int port) {
        this.server = server;
        this.agents = agents;
        this.catalog = catalog;
        this.live = live;
        this.progress = progress;
        this.topologyRefresh = topologyRefresh;
        this.port = port;
    }

    /**
     * Starts every module and the HTTP server. Kafka need not be reachable yet: the agent directory and the
     * measurement catalog catch up when it is, and the health check says so meanwhile.
     *
     * @param readPool       the collector store's read-only pool ({@code CollectorStore.readDataSource()})
     * @param accounts       the account store (its settings hold the session lifetimes)
     * @param collectorStats the collector's stats when it runs in this process, else null
     * @return the running app; fails when the server cannot listen, an operation is not documented, or the
     *         definitions signing key cannot be read or created
     */
    public static Future<WebApp> start(Vertx vertx, WebConfig config, DataSource readPool, AccountStore accounts,
                                       Supplier<CollectorStats> collectorStats) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(readPool, "readPool");
        Objects.requireNonNull(accounts, "accounts");
        KeyPair signingKey;
        try {
            signingKey = signingKey(config.measurements());
        } catch (SigningKeyException e) {
            return Future.failedFuture(new IllegalStateException(e.getMessage(), e));
        }
        AgentDirectory agents = new AgentDirectory(vertx, config.kafka(), config.agents().offlineAfter());
        MeasurementCatalog catalog = new MeasurementCatalog(vertx, config.kafka(), signingKey);
        LiveFeed live = new LiveFeed(vertx, readPool, agents, LiveFeed.DEFAULT_POLL);
        TopologyQueries queries = new TopologyQueries(readPool);
        MergeProgress progress = new MergeProgress(vertx, queries, Clock.systemUTC(), MergeProgress.DEFAULT_INTERVAL);
        TopologyCache topology = new TopologyCache(queries, ApiJson.mapper(), TopologyCache.Settings.DEFAULT);
        AccountAuthenticator authenticator = new AccountAuthenticator(vertx, accounts);

        WebMetrics metrics = new WebMetrics(new WebMetrics.Sources(
                collectorStats == null ? null : () -> collectorStats.get().ingest().recordsRead(),
                collectorStats == null ? null : () -> collectorStats.get().ingest().tracesApplied(),
                progress::lagSeconds,
                agents::onlineCount));
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put("store", () -> vertx.executeBlocking(() -> probe(readPool), false));
        checks.put("agents", () -> Future.succeededFuture(agents.isReady()
                ? HealthCheck.Result.ok(Map.of("online", agents.onlineCount(), "total", agents.total()))
                : HealthCheck.Result.failed("the heartbeats topic has not been read yet (is Kafka at "
                        + config.kafka().bootstrapServers() + " reachable?)")));
        checks.put("measurements", () -> Future.succeededFuture(catalog.isReady()
                ? HealthCheck.Result.ok(Map.of("definitions", catalog.definitions().size(),
                        "unverified_records", catalog.unverifiedRecords()))
                : HealthCheck.Result.failed("the measurements topic has not been read yet")));
        if (collectorStats != null) {
            checks.put("collector", () -> {
                CollectorStats s = collectorStats.get();
                return Future.succeededFuture(s.healthy()
                        ? HealthCheck.Result.ok(Map.of("traces_applied", s.ingest().tracesApplied()))
                        : HealthCheck.Result.failed("the collector's ingest is not running"));
            });
        }

        List<ApiModule> modules = new ArrayList<>();
        modules.add(new SystemRoutes(metrics, checks));
        modules.add(new QueryRoutes(queries, topology));
        modules.add(new AccountRoutes(accounts, authenticator, new LoginLimiter(accounts.settings()),
                config.http().tls()));
        modules.add(new AgentRoutes(agents));
        modules.add(new MeasurementRoutes(catalog, agents));
        modules.add(new LiveRoutes(live));
        WebServer server = new WebServer(vertx, config.http(), authenticator, modules, OpenApiDocument.load(),
                metrics);

        return agents.start()
                .compose(x -> catalog.start())
                .compose(x -> server.start())
                .map(port -> new WebApp(server, agents, catalog, live, progress, new TopologyRefresh(
                        topology, TopologyCache.wholeMap(), TopologyRefresh.DEFAULT_INTERVAL), port))
                .recover(e -> {
                    live.close();
                    progress.close();
                    return Future.join(catalog.close(), agents.close()).transform(x -> Future.failedFuture(e));
                });
    }

    /**
     * The definitions signing key pair, created first when its file does not exist (the public key next to it is
     * what agents need).
     *
     * @throws SigningKeyException when it cannot be read or written
     */
    public static KeyPair signingKey(MeasurementSettings settings) {
        Path file = settings.signingKey();
        boolean created = DefinitionSigning.createKeyPairIfAbsent(file);
        KeyPair pair = DefinitionSigning.readKeyPair(file);
        String id = DefinitionSigning.keyId(pair.getPublic());
        if (created) {
            LOG.warn("web: created the measurement definitions signing key {} (key id {}); agents verify definitions"
                    + " with its public key {}: copy it to them (agent.yaml definitions.public-key)",
                    file.toAbsolutePath(), id, settings.publicKey().toAbsolutePath());
        } else {
            LOG.info("web: signing measurement definitions with key {} ({})", id, file.toAbsolutePath());
        }
        return pair;
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    public WebServer server() {
        return server;
    }

    /** Stops the server and the modules; the read pool and the account store stay open. */
    public Future<Void> close() {
        topologyRefresh.close();
        return server.stop().transform(x -> {
            live.close();
            progress.close();
            return Future.join(catalog.close(), agents.close());
        }).onComplete(x -> LOG.info("web: stopped")).mapEmpty();
    }

    /**
     * Stops the app, then its Vert.x instance, waiting for each in turn (a future chained onto the instance's own
     * close would never complete: the instance is gone by then). For shutdown paths outside Vert.x's threads.
     *
     * @throws IllegalStateException when either does not stop within {@code timeout}
     */
    public static void stopBlocking(WebApp app, Vertx vertx, Duration timeout) {
        try {
            try {
                app.close().toCompletionStage().toCompletableFuture().get(timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the web stopped", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the web did not stop cleanly: " + e, e);
        }
    }

    private static HealthCheck.Result probe(DataSource readPool) {
        long started = System.nanoTime();
        try (Connection c = readPool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(STORE_PROBE)) {
            rs.next();
            return HealthCheck.Result.ok(Map.of("millis", (System.nanoTime() - started) / 1_000_000));
        } catch (Exception e) {
            return HealthCheck.Result.failed("the store does not answer: " + e.getMessage());
        }
    }
}
