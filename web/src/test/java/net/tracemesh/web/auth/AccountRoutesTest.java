package net.tracemesh.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.http.WebServer;
import net.tracemesh.web.http.WebServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The account API over real HTTP on loopback, with the real authenticator and an embedded account store. */
class AccountRoutesTest {
    private static final String ADMIN_PASSWORD = "admin password 0123";
    private static final String READER_PASSWORD = "reader password 0123";
    private static final Duration IDLE = Duration.ofMinutes(30);

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.atNow();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx vertx;
    private AccountStore store;
    private WebServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        AuthSettings settings = AuthSettings.defaults().withSessionTimeouts(IDLE, Duration.ofHours(8));
        store = AccountStore.openEmbedded(dir, settings, clock, new PasswordHashing(PasswordHashing.MIN_ITERATIONS));
        store.ensureAdmin("admin", ADMIN_PASSWORD);
        store.createUser("reader", READER_PASSWORD, Role.READER);
        AccountAuthenticator authenticator = new AccountAuthenticator(vertx, store, clock);
        LoginLimiter limiter = new LoginLimiter(settings, clock);
        server = new WebServer(vertx, WebServerSettings.loopback(0), authenticator,
                List.of(new AccountRoutes(store, authenticator, limiter, false)));
        int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        store.close();
    }

    // ------------------------------------------------------------ helpers

    private record Reply(int status, String body, HttpResponse<String> response) {
        JsonNode json() throws IOException {
            return ApiJson.mapper().readTree(body);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private Reply send(String method, String path, Object body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(ApiJson.mapper().writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    private Reply login(String user, String password) throws Exception {
        return send("POST", "/api/v1/login", Map.of("user", user, "password", password), Map.of());
    }

    /** Logs in and returns the session cookie ({@code tracemesh_session=...}). */
    private String session(String user, String password) throws Exception {
        Reply r = login(user, password);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String setCookie = r.header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static Map<String, String> cookie(String cookie) {
        return Map.of("Cookie", cookie, AccountAuthenticator.CSRF_HEADER, AccountAuthenticator.CSRF_VALUE);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private String token(String cookie, String role) throws Exception {
        Reply r = send("POST", "/api/v1/tokens", Map.of("name", role + " token", "role", role), cookie(cookie));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asText();
    }

    // ------------------------------------------------------------ tests

    @Test
    void loginSetsASafeSessionCookie() throws Exception {
        Reply r = login("admin", ADMIN_PASSWORD);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("user").asText()).isEqualTo("admin");
        assertThat(r.json().get("role").asText()).isEqualTo("admin");
        String setCookie = r.header("Set-Cookie");
        assertThat(setCookie).startsWith("tracemesh_session=").containsIgnoringCase("; HttpOnly")
                .contains("; SameSite=Strict").contains("; Path=/").contains("; Max-Age=")
                .doesNotContainIgnoringCase("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        Reply me = send("GET", "/api/v1/me", null, Map.of("Cookie", cookie));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("user").asText()).isEqualTo("admin");
        assertThat(me.json().get("via").asText()).isEqualTo("session");
    }

    @Test
    void cookiesAreSecureWhenTheServerIsHttps() throws Exception {
        AccountAuthenticator authenticator = new AccountAuthenticator(vertx, store, clock);
        WebServer secure = new WebServer(vertx, WebServerSettings.loopback(0), authenticator,
                List.of(new AccountRoutes(store, authenticator, new LoginLimiter(store.settings(), clock), true)));
        int port = secure.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"admin\",\"password\":\""
                            + ADMIN_PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
        } finally {
            secure.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void wrongPasswordIs401AndRepeatedFailuresAre429WithRetryAfter() throws Exception {
        for (int i = 0; i < AuthSettings.DEFAULT_FAILURES_PER_USER; i++) {
            Reply r = login("reader", "wrong password " + i);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(r.header("Set-Cookie")).isNull();
        }
        Reply refused = login("reader", READER_PASSWORD);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("error").asText()).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 30L);
        assertThat(login("admin", ADMIN_PASSWORD).status()).isEqualTo(200); // other users are not locked out

        clock.advance(Duration.ofSeconds(31));
        assertThat(login("reader", READER_PASSWORD).status()).isEqualTo(200);
        assertThat(login("reader", "wrong again").status()).isEqualTo(401); // the success reset the count
    }

    @Test
    void requestsWithoutCredentialsAre401AndPagesRedirectToLogin() throws Exception {
        assertThat(send("GET", "/api/v1/me", null, Map.of()).status()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", "tracemesh_session=garbage")).status())
                .isEqualTo(401);
        assertThat(send("GET", "/api/v1/me", null, bearer("tm_" + "A".repeat(43))).status()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/me", null, Map.of("Authorization", "Basic YWRtaW46eA==")).status())
                .isEqualTo(401);
        Reply page = send("GET", "/", null, Map.of());
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).isEqualTo("/login.html");
        String cookie = session("reader", READER_PASSWORD);
        assertThat(send("GET", "/", null, Map.of("Cookie", cookie)).status()).isNotEqualTo(302);
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        String cookie = session("reader", READER_PASSWORD);
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", cookie)).status()).isEqualTo(200);
        Reply out = send("POST", "/api/v1/logout", null, cookie(cookie));
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.header("Set-Cookie")).startsWith("tracemesh_session=;").contains("Max-Age=0");
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", cookie)).status()).isEqualTo(401);
    }

    @Test
    void cookieRequestsThatChangeStateNeedTheCsrfHeader() throws Exception {
        String cookie = session("admin", ADMIN_PASSWORD);
        Reply r = send("POST", "/api/v1/tokens", Map.of("name", "x", "role", "reader"), Map.of("Cookie", cookie));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("message").asText()).contains("X-Requested-With: tracemesh");
        assertThat(send("POST", "/api/v1/logout", null, Map.of("Cookie", cookie)).status()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", cookie)).status()).isEqualTo(200);
        String token = token(cookie, "admin");
        Reply withToken = send("POST", "/api/v1/tokens", Map.of("name", "y"), bearer(token));
        assertThat(withToken.status()).as(withToken.body()).isEqualTo(201);
    }

    @Test
    void tokensAreShownOnceAuthenticateAndStopWhenRevoked() throws Exception {
        String cookie = session("reader", READER_PASSWORD);
        Reply created = send("POST", "/api/v1/tokens", Map.of("name", "ci", "role", "reader"), cookie(cookie));
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("token").asText();
        String id = created.json().get("id").asText();
        assertThat(token).matches("tm_[A-Za-z0-9_-]{43}");
        assertThat(created.json().get("role").asText()).isEqualTo("reader");

        Reply list = send("GET", "/api/v1/tokens", null, bearer(token));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(token.substring(3));
        assertThat(list.json().get("tokens")).hasSize(1);
        assertThat(list.json().get("tokens").get(0).get("id").asText()).isEqualTo(id);
        assertThat(list.json().get("tokens").get(0).get("last_used")).isNotNull();

        Reply me = send("GET", "/api/v1/me", null, bearer(token));
        assertThat(me.json().get("via").asText()).isEqualTo("token");
        assertThat(me.json().get("token_id").asText()).isEqualTo(id);

        assertThat(send("DELETE", "/api/v1/tokens/" + id, null, cookie(cookie)).status()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/me", null, bearer(token)).status()).isEqualTo(401);
        assertThat(send("DELETE", "/api/v1/tokens/" + id, null, cookie(cookie)).status()).isEqualTo(404);
    }

    @Test
    void rolesLimitWhatTokensAndUsersMayDo() throws Exception {
        String readerCookie = session("reader", READER_PASSWORD);
        Reply adminToken = send("POST", "/api/v1/tokens", Map.of("name", "x", "role", "admin"), cookie(readerCookie));
        assertThat(adminToken.status()).isEqualTo(403);

        String adminCookie = session("admin", ADMIN_PASSWORD);
        String readerTokenOfAdmin = token(adminCookie, "reader");
        Reply users = send("GET", "/api/v1/users", null, bearer(readerTokenOfAdmin));
        assertThat(users.status()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/tokens", Map.of("name", "up", "role", "admin"),
                bearer(readerTokenOfAdmin)).status()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/users", null, Map.of("Cookie", readerCookie)).status()).isEqualTo(403);

        Reply adminUsers = send("GET", "/api/v1/users", null, bearer(token(adminCookie, "admin")));
        assertThat(adminUsers.status()).isEqualTo(200);
        assertThat(adminUsers.json().get("users")).extracting(u -> u.get("user").asText())
                .containsExactly("admin", "reader");

        // a reader sees and revokes only its own tokens; an admin sees everyone's
        String readerToken = token(readerCookie, "reader");
        Reply readerList = send("GET", "/api/v1/tokens", null, bearer(readerToken));
        assertThat(readerList.json().get("tokens")).extracting(t -> t.get("user").asText()).containsOnly("reader");
        Reply adminList = send("GET", "/api/v1/tokens", null, Map.of("Cookie", adminCookie));
        assertThat(adminList.json().get("tokens")).extracting(t -> t.get("user").asText())
                .contains("admin", "reader");
        String adminTokenId = adminList.json().get("tokens").get(0).get("id").asText();
        assertThat(send("DELETE", "/api/v1/tokens/" + adminTokenId, null, bearer(readerToken)).status())
                .isEqualTo(404);
    }

    @Test
    void adminsManageUsersButNeverDeleteTheLastAdmin() throws Exception {
        String cookie = session("admin", ADMIN_PASSWORD);
        Reply shortPassword = send("POST", "/api/v1/users", Map.of("user", "carol", "password", "short",
                "role", "reader"), cookie(cookie));
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.json().get("field").asText()).isEqualTo("password");
        Reply created = send("POST", "/api/v1/users", Map.of("user", "carol", "password", "carol password 123",
                "role", "reader"), cookie(cookie));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("role").asText()).isEqualTo("reader");
        assertThat(send("POST", "/api/v1/users", Map.of("user", "carol", "password", "carol password 123",
                "role", "reader"), cookie(cookie)).status()).isEqualTo(409);
        String carol = session("carol", "carol password 123");

        Reply last = send("DELETE", "/api/v1/users/admin", null, cookie(cookie));
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.json().get("message").asText()).contains("last admin");
        assertThat(send("DELETE", "/api/v1/users/carol", null, cookie(cookie)).status()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", carol)).status()).isEqualTo(401);
        assertThat(send("DELETE", "/api/v1/users/carol", null, cookie(cookie)).status()).isEqualTo(404);
    }

    @Test
    void idleAndOldSessionsAreRefused() throws Exception {
        String cookie = session("reader", READER_PASSWORD);
        clock.advance(IDLE.minusMinutes(1));
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", cookie)).status()).isEqualTo(200);
        clock.advance(IDLE.plusMinutes(1));
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", cookie)).status()).isEqualTo(401);

        String second = session("reader", READER_PASSWORD);
        for (int i = 0; i < 16; i++) {
            clock.advance(Duration.ofMinutes(29));
            send("GET", "/api/v1/me", null, Map.of("Cookie", second));
        }
        clock.advance(Duration.ofMinutes(29));
        assertThat(send("GET", "/api/v1/me", null, Map.of("Cookie", second)).status()).isEqualTo(401);
    }

    @Test
    void expiredTokensAreRefused() throws Exception {
        String cookie = session("reader", READER_PASSWORD);
        Reply created = send("POST", "/api/v1/tokens", Map.of("name", "short", "expires_at",
                clock.instant().plus(Duration.ofHours(1)).toString()), cookie(cookie));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().get("token").asText();
        assertThat(send("GET", "/api/v1/me", null, bearer(token)).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(61));
        assertThat(send("GET", "/api/v1/me", null, bearer(token)).status()).isEqualTo(401);
        Reply past = send("POST", "/api/v1/tokens", Map.of("name", "past", "expires_at",
                clock.instant().minusSeconds(5).toString()), cookie(session("reader", READER_PASSWORD)));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("field").asText()).isEqualTo("expires_at");
    }
}
