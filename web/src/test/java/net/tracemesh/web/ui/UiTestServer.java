package net.tracemesh.web.ui;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.tracemesh.web.auth.Authenticator;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.auth.WebPrincipal;
import net.tracemesh.web.http.ApiModule;
import net.tracemesh.web.http.WebServer;
import net.tracemesh.web.http.WebServerSettings;

/**
 * The real {@link WebServer} on a loopback port serving the UI, with a test authenticator: a request carrying the
 * cookie {@code tracemesh_session=test} is an admin, anything else is anonymous (or another authenticator, such
 * as the real account authenticator). No API modules unless given.
 */
final class UiTestServer implements AutoCloseable {
    static final String SESSION_COOKIE = "tracemesh_session";
    static final String SESSION_VALUE = "test";
    private static final long START_SECONDS = 30;

    private final Vertx vertx;
    private final WebServer server;
    private final int port;

    private UiTestServer(Vertx vertx, WebServer server, int port) {
        this.vertx = vertx;
        this.server = server;
        this.port = port;
    }

    /** With the test cookie authenticator. */
    static UiTestServer start(List<ApiModule> modules) throws Exception {
        return start(Vertx.vertx(), new CookieAuthenticator(), modules);
    }

    /** With a given authenticator (such as the real account authenticator) on a Vert.x the server then owns. */
    static UiTestServer start(Vertx vertx, Authenticator authenticator, List<ApiModule> modules) throws Exception {
        WebServer server = new WebServer(vertx, WebServerSettings.loopback(0), authenticator, modules);
        try {
            int port = server.start().toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
            return new UiTestServer(vertx, server, port);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop().toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Admin for the test session cookie, nobody otherwise. */
    private static final class CookieAuthenticator implements Authenticator {
        @Override
        public Future<Optional<WebPrincipal>> authenticate(RoutingContext ctx) {
            Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
            if (cookie != null && SESSION_VALUE.equals(cookie.getValue())) {
                return Future.succeededFuture(Optional.of(new WebPrincipal("ui-test", Role.ADMIN,
                        WebPrincipal.Via.SESSION, null)));
            }
            return Future.succeededFuture(Optional.empty());
        }
    }
}
