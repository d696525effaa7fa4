package net.tracemesh.web.auth;

import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * Who made a request, once authenticated: the user name, the role the request acts with (a token's role may be
 * lower than its user's), and how the request proved it.
 *
 * @param tokenId the API token's id when {@code via} is {@link Via#TOKEN}, else null
 */
public record WebPrincipal(String user, Role role, Via via, String tokenId) {
    /** Key under which the authenticated principal is kept in the request's context. */
    public static final String CONTEXT_KEY = "tracemesh.principal";

    public enum Via { SESSION, TOKEN }

    public WebPrincipal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(via, "via");
    }

    /** The principal the authentication handler stored in this request's context, or null if there is none. */
    public static WebPrincipal of(RoutingContext ctx) {
        return ctx.get(CONTEXT_KEY);
    }

    public void putInto(RoutingContext ctx) {
        ctx.put(CONTEXT_KEY, this);
    }
}
