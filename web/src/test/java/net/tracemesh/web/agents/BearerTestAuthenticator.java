package net.tracemesh.web.agents;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import net.tracemesh.web.auth.Authenticator;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.auth.WebPrincipal;

/** Test credentials: {@code Bearer test-admin} acts as an admin, {@code Bearer test-reader} as a reader. */
public final class BearerTestAuthenticator implements Authenticator {
    public static final String ADMIN = "Bearer test-admin";
    public static final String READER = "Bearer test-reader";

    private static final Map<String, WebPrincipal> PRINCIPALS = Map.of(
            ADMIN, new WebPrincipal("admin", Role.ADMIN, WebPrincipal.Via.TOKEN, "t-admin"),
            READER, new WebPrincipal("reader", Role.READER, WebPrincipal.Via.TOKEN, "t-reader"));

    @Override
    public Future<Optional<WebPrincipal>> authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        return Future.succeededFuture(Optional.ofNullable(header == null ? null : PRINCIPALS.get(header)));
    }
}
