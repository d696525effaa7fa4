package net.tracemesh.web.auth;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Finds who a request comes from: a browser session cookie or an {@code Authorization: Bearer} API token. The
 * web server asks it for every request except the login page, its assets, the login call and the health check.
 */
public interface Authenticator {
    /**
     * The request's principal, or empty when it carries no valid credentials (missing, unknown, expired or
     * revoked). Never fails for bad credentials; a failed future means the account store could not be read.
     */
    Future<Optional<WebPrincipal>> authenticate(RoutingContext ctx);
}
