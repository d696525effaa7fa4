package net.tracemesh.web.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.tracemesh.web.http.ApiException;

/**
 * Authenticates requests against the {@link AccountStore}: an {@code Authorization: Bearer tm_...} API token, or
 * else the {@code tracemesh_session} cookie of a browser session. A request carrying a bearer token is judged by
 * that token alone. The store is read on a worker thread, never on the event loop; valid credentials are then
 * trusted for {@link AuthSettings#lookupCacheTtl()} (never past their own end) so that API calls do not all wait
 * for the database. {@link #forgetSession}, {@link #forgetToken} and {@link #forgetUser} drop cached entries when
 * this process ends a session, revokes a token or deletes a user.
 *
 * <p>CSRF guard: a state-changing request (POST, PUT, PATCH, DELETE) authenticated by the session cookie must carry
 * {@code X-Requested-With: tracemesh}, which a cross-site form cannot send; without it the returned future fails
 * with a 403 {@link ApiException}. Bearer-token requests are exempt (browsers never attach a token by themselves).
 */
public final class AccountAuthenticator implements Authenticator {
    /** The browser session's cookie. */
    public static final String SESSION_COOKIE = "tracemesh_session";
    /** The CSRF guard's header and its value. */
    public static final String CSRF_HEADER = "X-Requested-With";
    public static final String CSRF_VALUE = "tracemesh";
    /** Most cached credentials; past it the cache starts over. */
    static final int MAX_CACHED = 10_000;
    private static final String BEARER = "bearer ";
    private static final Set<HttpMethod> UNSAFE = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    private final Vertx vertx;
    private final AccountStore store;
    private final Clock clock;
    private final long cacheMillis;
    /** Valid credentials by the SHA-256 of their secret. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Credential credential, Instant until) {
    }

    public AccountAuthenticator(Vertx vertx, AccountStore store, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheMillis = store.settings().lookupCacheTtl().toMillis();
    }

    public AccountAuthenticator(Vertx vertx, AccountStore store) {
        this(vertx, store, Clock.systemUTC());
    }

    @Override
    public Future<Optional<WebPrincipal>> authenticate(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return Future.succeededFuture(Optional.empty());
            }
            String token = authorization.substring(BEARER.length()).trim();
            return lookup(token, true).map(c -> c.map(Credential::principal));
        }
        Cookie cookie = request.getCookie(SESSION_COOKIE);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return lookup(cookie.getValue(), false).compose(c -> {
            if (c.isPresent() && UNSAFE.contains(request.method())
                    && !CSRF_VALUE.equals(request.getHeader(CSRF_HEADER))) {
                return Future.failedFuture(ApiException.forbidden(request.method() + " with a session cookie needs "
                        + "the header '" + CSRF_HEADER + ": " + CSRF_VALUE + "' (cross-site request protection); "
                        + "scripts and other API clients use an API token instead"));
            }
            return Future.succeededFuture(c.map(Credential::principal));
        });
    }

    /** The session id of the request's cookie, if any (for a logout). */
    public static Optional<String> sessionId(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? Optional.empty() : Optional.of(cookie.getValue());
    }

    private Future<Optional<Credential>> lookup(String secret, boolean token) {
        boolean wellFormed = token ? Secrets.looksLikeToken(secret) : Secrets.looksLikeSessionId(secret);
        if (!wellFormed) {
            return Future.succeededFuture(Optional.empty());
        }
        String hash = Secrets.hash(secret);
        Instant now = clock.instant();
        Cached hit = cache.get(hash);
        if (hit != null) {
            if (now.isBefore(hit.until())) {
                return Future.succeededFuture(Optional.of(hit.credential()));
            }
            cache.remove(hash, hit);
        }
        return vertx.executeBlocking(() -> token ? store.token(secret) : store.session(secret), false)
                .onSuccess(found -> found.ifPresent(c -> remember(hash, c)));
    }

    private void remember(String hash, Credential c) {
        if (cacheMillis <= 0) {
            return;
        }
        Instant until = clock.instant().plusMillis(cacheMillis);
        if (c.validUntil() != null && c.validUntil().isBefore(until)) {
            until = c.validUntil();
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(hash, new Cached(c, until));
    }

    /** Drops a session from the cache (after a logout). */
    public void forgetSession(String sessionId) {
        cache.remove(Secrets.hash(sessionId));
    }

    /** Drops every cached use of a token (after it is revoked). */
    public void forgetToken(String tokenId) {
        cache.values().removeIf(c -> tokenId.equals(c.credential().principal().tokenId()));
    }

    /** Drops every cached session and token of a user (after it is deleted). */
    public void forgetUser(String user) {
        cache.values().removeIf(c -> user.equals(c.credential().principal().user()));
    }
}
