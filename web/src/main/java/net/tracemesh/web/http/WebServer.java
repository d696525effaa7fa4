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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import net.tracemesh.web.auth.Authenticator;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.auth.WebPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of tracemesh web: the REST API under {@code /api/v1}, the browser UI from the classpath's
 * {@code webroot}, browser libraries from WebJars under {@code /webjars}. Everything but the login page, its
 * assets, the login call and the health check needs a session or an API token.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    /** Served without a session: the login page and what it loads. */
    private static final List<String> PUBLIC_PAGES = List.of("/login.html", "/assets/login.js", "/assets/style.css",
            "/favicon.svg");

    private final Vertx vertx;
    private final WebServerSettings settings;
    private final Authenticator authenticator;
    private final List<ApiModule> modules;
    private WorkerExecutor workers;
    private HttpServer server;

    public WebServer(Vertx vertx, WebServerSettings settings, Authenticator authenticator, List<ApiModule> modules) {
        this.vertx = vertx;
        this.settings = settings;
        this.authenticator = authenticator;
        this.modules = List.copyOf(modules);
    }

    /** Starts listening; the future holds the bound port. */
    public Future<Integer> start() {
        workers = vertx.createSharedWorkerExecutor("tracemesh-web-queries", settings.queryWorkers());
        Router router = Router.router(vertx);
        router.route().handler(this::securityHeaders);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()));
        RouterImpl api = new RouterImpl(router);
        for (ApiModule m : modules) {
            m.register(api);
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
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.onComplete(x -> {
            if (workers != null) {
                workers.close();
            }
        });
    }

    public boolean tls() {
        return settings.tls();
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

        RouterImpl(Router router) {
            this.router = router;
        }

        @Override
        public void route(HttpMethod method, String openApiPath, Role required, Handler<RoutingContext> handler) {
            router.route(method, vertxPath(openApiPath)).handler(ctx -> authenticator.authenticate(ctx)
                    .onComplete(ar -> {
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
                    })).handler(guard(handler));
        }

        @Override
        public void publicRoute(HttpMethod method, String openApiPath, Handler<RoutingContext> handler) {
            router.route(method, vertxPath(openApiPath)).handler(guard(handler));
        }

        @Override
        public Vertx vertx() {
            return vertx;
        }

        @Override
        public <T> Future<T> blocking(Callable<T> work) {
            return workers.executeBlocking(work, false);
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
