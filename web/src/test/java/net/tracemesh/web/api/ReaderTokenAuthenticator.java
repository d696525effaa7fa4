package net.tracemesh.web.api;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import net.tracemesh.web.auth.Authenticator;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.auth.WebPrincipal;

/** Test authentication: {@code Authorization: Bearer test-reader} is a reader; anything else is nobody. */
final class ReaderTokenAuthenticator implements Authenticator {
    static final String TOKEN = "test-reader";
    static final String HEADER = "Bearer " + TOKEN;

    @Override
    public Future<Optional<WebPrincipal>> authenticate(RoutingContext ctx) {
        if (HEADER.equals(ctx.request().getHeader("Authorization"))) {
            return Future.succeededFuture(Optional.of(new WebPrincipal("reader", Role.READER,
                    WebPrincipal.Via.TOKEN, TOKEN)));
        }
        return Future.succeededFuture(Optional.empty());
    }
}
