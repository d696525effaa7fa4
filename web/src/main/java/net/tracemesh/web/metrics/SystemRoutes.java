package net.tracemesh.web.metrics;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.http.ApiModule;
import net.tracemesh.web.http.ApiRouter;

/**
 * {@code GET /api/v1/health} (public: every {@link HealthCheck}, 200 when all pass, else 503) and
 * {@code GET /metrics} (reader: {@link WebMetrics} in the Prometheus text format).
 */
public final class SystemRoutes implements ApiModule {
    /** A check that has not answered by then has failed. */
    static final long CHECK_TIMEOUT_MILLIS = 5_000;
    private static final String OK = "ok";
    private static final String DEGRADED = "degraded";
    private static final int UNAVAILABLE = 503;

    private final WebMetrics metrics;
    private final Map<String, HealthCheck> checks;
    private ApiRouter api;

    /**
     * @param checks the health checks by name, in the order they are reported
     */
    public SystemRoutes(WebMetrics metrics, Map<String, HealthCheck> checks) {
        this.metrics = metrics;
        this.checks = new LinkedHashMap<>(checks);
    }

    @Override
    public void register(ApiRouter api) {
        this.api = api;
        api.publicRoute(HttpMethod.GET, "/api/v1/health", this::health);
        api.route(HttpMethod.GET, "/metrics", Role.READER, this::metrics);
    }

    private void health(RoutingContext ctx) {
        List<String> names = new ArrayList<>(checks.keySet());
        List<Future<HealthCheck.Result>> results = new ArrayList<>();
        for (String name : names) {
            results.add(run(name, checks.get(name)));
        }
        Future.join(results).onComplete(x -> {
            Map<String, Object> byName = new LinkedHashMap<>();
            boolean allOk = true;
            for (int i = 0; i < names.size(); i++) {
                HealthCheck.Result r = results.get(i).result();
                allOk &= r.ok();
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("ok", r.ok());
                if (r.detail() != null) {
                    json.put("detail", r.detail());
                }
                byName.put(names.get(i), json);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", allOk ? OK : DEGRADED);
            body.put("checks", byName);
            ApiJson.send(ctx, allOk ? 200 : UNAVAILABLE, body);
        });
    }

    /** One check's result; a failure, an exception or no answer in time is a failed check. */
    private Future<HealthCheck.Result> run(String name, HealthCheck check) {
        Future<HealthCheck.Result> f;
        try {
            f = check.check();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.timeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .recover(e -> Future.succeededFuture(HealthCheck.Result.failed(name + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()))));
    }

    private void metrics(RoutingContext ctx) {
        api.blocking(metrics::scrape).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else {
                ctx.response().putHeader("Content-Type", WebMetrics.CONTENT_TYPE).end(ar.result());
            }
        });
    }
}
