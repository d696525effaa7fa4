package net.tracemesh.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import net.tracemesh.web.http.ApiException;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.http.ApiModule;
import net.tracemesh.web.http.ApiParams;
import net.tracemesh.web.http.ApiRouter;

/**
 * The account operations (documented in {@code openapi/accounts.yaml}): login and logout with a session cookie,
 * who am I, users (admin only) and API tokens (a reader manages its own, an admin everyone's).
 *
 * <p>The session cookie is {@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/}, and {@code Secure} when the
 * server speaks HTTPS; it lasts the session's maximum lifetime. Logins are throttled by a {@link LoginLimiter}
 * (429 with {@code Retry-After}). Passwords, session ids and tokens are never logged.
 */
public final class AccountRoutes implements ApiModule {
    private final AccountStore store;
    private final AccountAuthenticator authenticator;
    private final LoginLimiter limiter;
    private final boolean secureCookies;
    private ApiRouter api;

    /**
     * @param secureCookies whether the server is reached over HTTPS only, so cookies get the {@code Secure} flag
     */
    public AccountRoutes(AccountStore store, AccountAuthenticator authenticator, LoginLimiter limiter,
                         boolean secureCookies) {
        this.store = Objects.requireNonNull(store, "store");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.secureCookies = secureCookies;
    }

    @Override
    public void register(ApiRouter router) {
        this.api = router;
        router.publicRoute(HttpMethod.POST, "/api/v1/login", this::login);
        router.route(HttpMethod.POST, "/api/v1/logout", Role.READER, this::logout);
        router.route(HttpMethod.GET, "/api/v1/me", Role.READER, this::me);
        router.route(HttpMethod.GET, "/api/v1/users", Role.ADMIN, this::listUsers);
        router.route(HttpMethod.POST, "/api/v1/users", Role.ADMIN, this::createUser);
        router.route(HttpMethod.DELETE, "/api/v1/users/{user}", Role.ADMIN, this::deleteUser);
        router.route(HttpMethod.GET, "/api/v1/tokens", Role.READER, this::listTokens);
        router.route(HttpMethod.POST, "/api/v1/tokens", Role.READER, this::createToken);
        router.route(HttpMethod.DELETE, "/api/v1/tokens/{id}", Role.READER, this::deleteToken);
    }

    // JSON views (snake_case through ApiJson's mapper, nulls left out)
    record Identity(String user, String role) {
    }

    record Me(String user, String role, String via, String tokenId) {
    }

    record UserView(String user, String role, Instant created) {
        static UserView of(UserAccount a) {
            return new UserView(a.user(), a.role().wireName(), a.created());
        }
    }

    record UserList(List<UserView> users) {
    }

    record TokenView(String id, String user, String name, String role, Instant created, Instant expiresAt,
                     Instant lastUsed) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id(), t.user(), t.name(), t.role().wireName(), t.created(), t.expiresAt(),
                    t.lastUsed());
        }
    }

    record TokenList(List<TokenView> tokens) {
    }

    record NewTokenView(String id, String user, String name, String role, Instant created, Instant expiresAt,
                        String token) {
    }

    private void login(RoutingContext ctx) {
        ObjectNode body = ApiJson.bodyObject(ctx);
        String user = text(body, "user", true);
        String password = text(body, "password", true);
        String address = clientAddress(ctx);
        Optional<Duration> wait = limiter.begin(user, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            throw ApiException.tooManyRequests("too many failed logins for this user or from this address; "
                    + "try again in " + seconds + " s");
        }
        api.blocking(() -> store.login(user, password)).onComplete(ar -> {
            if (ar.failed()) {
                limiter.abandoned(user, address);
                ctx.fail(ar.cause());
            } else if (ar.result().isEmpty()) {
                limiter.failed(user, address);
                ctx.fail(ApiException.unauthorized("wrong user name or password"));
            } else {
                limiter.succeeded(user, address);
                NewSession s = ar.result().get();
                ctx.response().addCookie(sessionCookie(s.secret(),
                        store.settings().sessionMaxLifetime().toSeconds()));
                ApiJson.ok(ctx, new Identity(s.account().user(), s.account().role().wireName()));
            }
        });
    }

    private void logout(RoutingContext ctx) {
        WebPrincipal who = WebPrincipal.of(ctx);
        Optional<String> session = who.via() == WebPrincipal.Via.SESSION ? AccountAuthenticator.sessionId(ctx)
                : Optional.empty();
        Future<Void> ended = session.isEmpty() ? Future.succeededFuture() : api.blocking(() -> {
            store.endSession(session.get());
            return null;
        });
        ended.onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            session.ifPresent(authenticator::forgetSession);
            ctx.response().addCookie(sessionCookie("", 0));
            noContent(ctx);
        });
    }

    private void me(RoutingContext ctx) {
        WebPrincipal who = WebPrincipal.of(ctx);
        ApiJson.ok(ctx, new Me(who.user(), who.role().wireName(), who.via().name().toLowerCase(Locale.ROOT),
                who.tokenId()));
    }

    private void listUsers(RoutingContext ctx) {
        ApiJson.respond(ctx, api.blocking(() -> new UserList(store.users().stream().map(UserView::of).toList())));
    }

    private void createUser(RoutingContext ctx) {
        ObjectNode body = ApiJson.bodyObject(ctx);
        String user = text(body, "user", true);
        String password = text(body, "password", true);
        Role role = role(body);
        try {
            UserAccount.requireName(user);
            AccountStore.requirePassword(password);
        } catch (IllegalArgumentException e) {
            throw badRequest(e);
        }
        api.blocking(() -> store.createUser(user, password, role)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(translate(ar.cause()));
            } else {
                ApiJson.send(ctx, 201, UserView.of(ar.result()));
            }
        });
    }

    private void deleteUser(RoutingContext ctx) {
        String user = ApiParams.required(ctx, "user");
        api.blocking(() -> {
            store.deleteUser(user);
            return null;
        }).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(translate(ar.cause()));
            } else {
                authenticator.forgetUser(user);
                noContent(ctx);
            }
        });
    }

    private void listTokens(RoutingContext ctx) {
        WebPrincipal who = WebPrincipal.of(ctx);
        String owner = who.role().allows(Role.ADMIN) ? null : who.user();
        ApiJson.respond(ctx, api.blocking(() -> new TokenList(store.tokens(owner).stream().map(TokenView::of)
                .toList())));
    }

    private void createToken(RoutingContext ctx) {
        WebPrincipal who = WebPrincipal.of(ctx);
        ObjectNode body = ApiJson.bodyObject(ctx);
        String name = text(body, "name", true);
        Role role = body.hasNonNull("role") ? role(body) : Role.READER;
        String expiresText = text(body, "expires_at", false);
        Instant expiresAt = expiresText == null ? null : ApiParams.parseInstant("expires_at", expiresText);
        try {
            ApiToken.requireName(name);
        } catch (IllegalArgumentException e) {
            throw badRequest(e);
        }
        if (!who.role().allows(role)) {
            throw ApiException.forbidden(who.user() + " acts as " + who.role().wireName() + " and cannot create a "
                    + role.wireName() + " token");
        }
        api.blocking(() -> store.createToken(who.user(), name, role, expiresAt)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(translate(ar.cause()));
                return;
            }
            ApiToken t = ar.result().token();
            ApiJson.send(ctx, 201, new NewTokenView(t.id(), t.user(), t.name(), t.role().wireName(), t.created(),
                    t.expiresAt(), ar.result().secret()));
        });
    }

    private void deleteToken(RoutingContext ctx) {
        WebPrincipal who = WebPrincipal.of(ctx);
        String id = ApiParams.required(ctx, "id");
        String owner = who.role().allows(Role.ADMIN) ? null : who.user();
        api.blocking(() -> store.deleteToken(id, owner)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (!ar.result()) {
                ctx.fail(ApiException.notFound("no token " + id + (owner == null ? "" : " of " + owner)));
            } else {
                authenticator.forgetToken(id);
                noContent(ctx);
            }
        });
    }

    private Cookie sessionCookie(String value, long maxAgeSeconds) {
        return Cookie.cookie(AccountAuthenticator.SESSION_COOKIE, value).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(secureCookies).setMaxAge(maxAgeSeconds);
    }

    private static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }

    private static String clientAddress(RoutingContext ctx) {
        SocketAddress a = ctx.request().remoteAddress();
        return a == null || a.hostAddress() == null ? "" : a.hostAddress();
    }

    private static String text(ObjectNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.badRequest(field, "is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(field, "must be a string");
        }
        return n.asText();
    }

    private static Role role(ObjectNode body) {
        String text = text(body, "role", true);
        return Role.fromWireName(text).orElseThrow(() -> ApiException.badRequest("role", "'" + text
                + "' is not a role (reader or admin)"));
    }

    /** An {@code IllegalArgumentException} whose message starts with {@code field: } as a 400 naming the field. */
    private static ApiException badRequest(IllegalArgumentException e) {
        String m = e.getMessage() == null ? "not valid" : e.getMessage();
        int colon = m.indexOf(": ");
        if (colon > 0 && m.substring(0, colon).matches("[a-z_]+")) {
            return ApiException.badRequest(m.substring(0, colon), m.substring(colon + 2));
        }
        return ApiException.badRequest(null, m);
    }

    private static Throwable translate(Throwable t) {
        if (t instanceof AccountException e) {
            return e.kind() == AccountException.Kind.NOT_FOUND ? ApiException.notFound(e.getMessage())
                    : ApiException.conflict(e.getMessage());
        }
        if (t instanceof IllegalArgumentException e) {
            return badRequest(e);
        }
        return t;
    }
}
