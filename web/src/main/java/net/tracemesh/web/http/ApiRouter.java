package net.tracemesh.web.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import net.tracemesh.web.auth.Role;

/**
 * Where API modules register their operations. Every operation must be documented in the OpenAPI document
 * under the same method and path ({@code /api/v1/agents/{id}} style); registering one that is not fails at
 * start. Before the handler runs, the request has been authenticated, its principal holds {@code required},
 * and its parameters and body have been validated against the document.
 *
 * <p>A handler may throw {@link ApiException} (or fail its future with one): the client gets the JSON error.
 */
public interface ApiRouter {
    void route(HttpMethod method, String openApiPath, Role required, Handler<RoutingContext> handler);

    /** An operation served without authentication: only the login call and the health check are. */
    void publicRoute(HttpMethod method, String openApiPath, Handler<RoutingContext> handler);

    Vertx vertx();

    /** Runs blocking work (JDBC, file I/O) on the API's worker pool, never on the event loop. */
    <T> Future<T> blocking(Callable<T> work);
}
