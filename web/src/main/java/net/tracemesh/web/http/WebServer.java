package net.tracemesh.web.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import net.tracemesh.web.auth.Authenticator;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.auth.WebPrincipal;
import net.tracemesh.web.metrics.WebMetrics;
import net.tracemesh.web.openapi.OpenApiDocument;
import net.tracemesh.web.openapi.OperationKey;
import net.tracemesh.web.openapi.OperationSpec;
import net.tracemesh.web.openapi.RequestValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of tracemesh web: the REST API under {@code /api/v1}, the browser UI from the classpath's
 * {@code webroot}, browser libraries from WebJars under {@code /webjars}. Everything but the login page, its
 * assets, the login call and the health check needs a session or an API token.
 *
 * <p>Every API operation is checked against the {@link OpenApiDocument}: registering one it does not document fails
 * the start, and each request's parameters and body are validated against it before the handler runs. The merged
 * document itself is served at {@code /openapi.yaml}; each operation's latency goes to {@link WebMetrics}.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** Where the merged OpenAPI document is served. */
    public static final String OPENAPI_PATH = "/openapi.yaml";
    private static final String OPENAPI_CONTENT_TYPE = "application/yaml; charset=utf-8";

    /** Served without a session: the login page and what it loads. */
    private static final List<String> PUBLIC_PAGES = List.of("/login.html", "/assets/login.js", "/assets/style.css",
            "/favicon.svg");

    /** How long requests in progress may finish when the server stops. */
    private static final java.time.Duration SHUTDOWN_GRACE = java.time.Duration.ofSeconds(2);

    private final Vertx vertx;
    private final WebServerSettings settings;
    private final Authenticator authenticator;
    private final List<ApiModule> modules;
    private final OpenApiDocument document;
    private final WebMetrics metrics;
    private final Set<OperationKey> registered = Collections.synchronizedSet(new LinkedHashSet<>());
    private WorkerExecutor workers;
    private HttpServer server;

    /** A server checked against the class path's OpenAPI document, with metrics of its own. */
    public WebServer(Vertx vertx, WebServerSettings settings, Authenticator authenticator, List<ApiModule> modules) {
        this(vertx, settings, authenticator, modules, OpenApiDocument.load(), new WebMetrics());
    }

    public WebServer(Vertx vertx, WebServerSettings settings, Authenticator authenticator, List<ApiModule> modules,
                     OpenApiDocument document, WebMetrics metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.authenticator = authenticator;
        this.modules = List.copyOf(modules);
        this.document = document;
        this.metrics = metrics;
    }

    /**
     * Starts listening; the future holds the bound port. It fails with an {@link IllegalStateException} naming
     * the method and path when a module registers an operation the document does not have (or twice).
     */
    public Future<Integer> start() {
        workers = vertx.createSharedWorkerExecutor("tracemesh-web-queries", settings.queryWorkers());
        Router router = Router.router(vertx);
        router.route().handler(this::securityHeaders);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()));
        try {
            RouterImpl api = new RouterImpl(router, RequestValidator.factory(document));
            if (document.operation(HttpMethod.GET, OPENAPI_PATH).isPresent()) {
                api.route(HttpMethod.GET, OPENAPI_PATH, Role.READER, this::serveDocument);
            }
            for (ApiModule m : modules) {
                m.register(api);
            }
        } catch (RuntimeException e) {
            workers.close();
            workers = null;
            return Future.failedFuture(e);
        }
        router.route("/api/*").handler(ctx -> ctx.fail(ApiException.notFound("no API operation "
                + ctx.request().method() + " " + ctx.request().path())));
        router.route().handler(this::pageAccess);
        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars")
                .setCachingEnabled(true).setMaxAgeSeconds(86_400));
        router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html"));
        router.route().failureHandler(this::failure);

        HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setCompressionSupported(true);
        if (settings.tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(settings.tlsCertificate().toString()).setKeyPath(settings.tlsKey().toString()));
        }
        return vertx.createHttpServer(options).requestHandler(router).listen().map(s -> {
            server = s;
            LOG.info("web: listening on {}://{}:{}", settings.tls() ? "https" : "http", settings.host(),
                    s.actualPort());
            return s.actualPort();
        });
    }

    public Future<Void> stop() {
        // Idle keep-alive connections and event streams would hold a graceful shutdown for its default 30 s.
        Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE);
        return closed.onComplete(x -> {
            if (workers != null) {
                workers.close();
            }
        });
    }

    public boolean tls() {
        return settings.tls();
    }

    /** The operations registered so far, in order (to check them against the document's). */
    public Set<OperationKey> registeredOperations() {
        synchronized (registered) {
            return Set.copyOf(registered);
        }
    }

    public OpenApiDocument document() {
        return document;
    }

    public WebMetrics metrics() {
        return metrics;
    }

    private void serveDocument(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", OPENAPI_CONTENT_TYPE).end(document.yaml());
    }

    private void securityHeaders(RoutingContext ctx) {
        ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "same-origin")
                .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                        + "style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
        if (settings.tls()) {
            ctx.response().putHeader("Strict-Transport-Security", "max-age=31536000");
        }
        ctx.next();
    }

    /** Pages and browser libraries: the login page is public; anything else needs a session. */
    private void pageAccess(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (PUBLIC_PAGES.contains(path)) {
            ctx.next();
            return;
        }
        authenticator.authenticate(ctx).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result().isPresent()) {
                ar.result().get().putInto(ctx);
                ctx.next();
            } else if (path.equals("/") || path.endsWith(".html")) {
                ctx.redirect("/login.html");
            } else {
                ctx.fail(ApiException.unauthorized("log in or present an API token"));
            }
        });
    }

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof ApiException e) {
            ApiJson.error(ctx, e);
            return;
        }
        int status = ctx.statusCode();
        if (t == null && status >= 400 && status < 500) {
            ApiJson.error(ctx, new ApiException(status, status == 413 ? "too_large" : "bad_request", null,
                    status == 413 ? "the request body is larger than " + settings.maxBodyBytes() + " bytes"
                            : "the request is not valid (HTTP " + status + ")"));
            return;
        }
        LOG.warn("web: {} {} failed", ctx.request().method(), ctx.request().path(), t);
        ApiJson.error(ctx, new ApiException(500, "internal", null, "internal error: "
                + (t == null ? "HTTP " + status : t.getClass().getSimpleName())));
    }

    /** Converts {@code /api/v1/agents/{id}} to Vert.x's {@code /api/v1/agents/:id}. */
    static String vertxPath(String openApiPath) {
        return openApiPath.replaceAll("\\{([A-Za-z0-9_]+)}", ":$1");
    }

    private final class RouterImpl implements ApiRouter {
        private final Router router;
        private final RequestValidator.Factory validators;

        RouterImpl(Router router, RequestValidator.Factory validators) {
            this.router = router;
            this.validators = validators;
        }

        @Override
        public void route(HttpMethod method, String openApiPath, Role required, Handler<RoutingContext> handler) {
            OperationSpec spec = documented(method, openApiPath, false);
            RequestValidator validator = validators.validator(spec);
            router.route(method, vertxPath(openApiPath)).handler(timed(spec))
                    .handler(ctx -> authenticator.authenticate(ctx).onComplete(ar -> {
                        if (ar.failed()) {
                            ctx.fail(ar.cause());
                            return;
                        }
                        Optional<WebPrincipal> who = ar.result();
                        if (who.isEmpty()) {
                            ctx.fail(ApiException.unauthorized("log in or present an API token"));
                        } else if (!who.get().role().allows(required)) {
                            ctx.fail(ApiException.forbidden("this needs the " + required.wireName() + " role; "
                                    + who.get().user() + " acts as " + who.get().role().wireName()));
                        } else {
                            who.get().putInto(ctx);
                            ctx.next();
                        }
                    })).handler(validated(validator)).handler(guard(handler));
        }

        @Override
        public void publicRoute(HttpMethod method, String openApiPath, Handler<RoutingContext> handler) {
            OperationSpec spec = documented(method, openApiPath, true);
            RequestValidator validator = validators.validator(spec);
            router.route(method, vertxPath(openApiPath)).handler(timed(spec)).handler(validated(validator))
                    .handler(guard(handler));
        }

        @Override
        public Vertx vertx() {
            return vertx;
        }

        @Override
        public <T> Future<T> blocking(Callable<T> work) {
            return workers.executeBlocking(work, false);
        }

        /** The operation's documentation; an undocumented or twice registered operation is refused. */
        private OperationSpec documented(HttpMethod method, String openApiPath, boolean publicAccess) {
            OperationKey key = new OperationKey(method, openApiPath);
            OperationSpec spec = document.operation(method, openApiPath).orElseThrow(() -> new IllegalStateException(
                    "web: " + key + " is not documented in the OpenAPI document (openapi/*.yaml); document it"
                            + " before registering it"));
            if (spec.publicAccess() != publicAccess) {
                throw new IllegalStateException("web: " + key + (publicAccess
                        ? " is registered as public but its documentation does not say security: []"
                        : " is documented as public (security: []) but registered as needing a role"));
            }
            if (!registered.add(key)) {
                throw new IllegalStateException("web: " + key + " is registered twice");
            }
            return spec;
        }

        private Handler<RoutingContext> timed(OperationSpec spec) {
            return ctx -> {
                long started = System.nanoTime();
                ctx.addEndHandler(x -> metrics.recordRequest(spec.operationId(), ctx.response().getStatusCode(),
                        System.nanoTime() - started));
                ctx.next();
            };
        }

        private Handler<RoutingContext> validated(RequestValidator validator) {
            return ctx -> {
                try {
                    validator.validate(ctx);
                } catch (ApiException e) {
                    ctx.fail(e);
                    return;
                }
                ctx.next();
            };
        }

        private Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
            return ctx -> {
                try {
                    handler.handle(ctx);
                } catch (RuntimeException e) {
                    ctx.fail(e);
                }
            };
        }
    }
}
