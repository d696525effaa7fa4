package net.tracemesh.web.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import net.tracemesh.web.auth.Authenticator;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.auth.WebPrincipal;

/** Tests' authenticator: {@code Bearer test-admin} is an admin, {@code Bearer test-reader} a reader. */
public final class TestBearerAuthenticator implements Authenticator {
    public static final String ADMIN = "Bearer test-admin";
    public static final String READER = "Bearer test-reader";

    @Override
    public Future<Optional<WebPrincipal>> authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (ADMIN.equals(header)) {
            return Future.succeededFuture(Optional.of(new WebPrincipal("alice", Role.ADMIN, WebPrincipal.Via.TOKEN,
                    "t-admin")));
        }
        if (READER.equals(header)) {
            return Future.succeededFuture(Optional.of(new WebPrincipal("bob", Role.READER, WebPrincipal.Via.TOKEN,
                    "t-reader")));
        }
        return Future.succeededFuture(Optional.empty());
    }
}
