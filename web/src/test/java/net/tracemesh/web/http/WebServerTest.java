package net.tracemesh.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.auth.WebPrincipal;
import net.tracemesh.web.metrics.HealthCheck;
import net.tracemesh.web.metrics.SystemRoutes;
import net.tracemesh.web.metrics.WebMetrics;
import net.tracemesh.web.openapi.OpenApiDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server core over real HTTP: documentation checks, validation, authentication, metrics, health and TLS. */
class WebServerTest {
    private static final String PROBES = """
            paths:
              /api/v1/probes/{id}:
                get:
                  operationId: getProbe
                  parameters:
                    - { name: id, in: path, required: true, schema: { type: string, pattern: "^[a-z0-9-]{1,16}$" } }
                    - { name: from, in: query, required: true, schema: { type: string, format: date-time } }
                    - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 100 } }
                    - { name: destination, in: query, schema: { type: string, format: ipv4 } }
                    - name: agent
                      in: query
                      schema: { type: array, maxItems: 2, items: { type: string, pattern: "^[a-z]+$" } }
                    - { name: method, in: query, schema: { type: string, enum: [udp-paris, icmp-paris] } }
                    - { name: verbose, in: query, schema: { type: boolean } }
                  responses: { "200": { description: ok } }
              /api/v1/probes:
                post:
                  operationId: createProbe
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema: { $ref: "#/components/schemas/Probe" }
                  responses: { "201": { description: created } }
              /api/v1/open:
                get:
                  operationId: getOpen
                  security: []
                  responses: { "200": { description: ok } }
            components:
              schemas:
                Probe:
                  type: object
                  required: [name, rate]
                  additionalProperties: false
                  properties:
                    name: { type: string, minLength: 1 }
                    rate: { type: integer, minimum: 1 }
                    targets: { type: array, items: { $ref: "#/components/schemas/Target" } }
                Target:
                  type: object
                  required: [address]
                  properties:
                    address: { type: string, pattern: "^[0-9.]+$" }
            """;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx vertx;
    private WebServer server;
    private WebMetrics metrics;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        metrics = new WebMetrics(new WebMetrics.Sources(() -> 1234L, () -> null, () -> 2.5, () -> 3));
        server = server(WebServerSettings.loopback(0), List.of(new ProbeRoutes(), systemRoutes(true)));
        base = URI.create("http://127.0.0.1:" + await(server.start()));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            await(server.stop());
        }
        await(vertx.close());
    }

    @Test
    void registeringAnUndocumentedOperationFailsTheStart() {
        ApiModule rogue = api -> api.route(HttpMethod.DELETE, "/api/v1/probes/{id}", Role.ADMIN, ctx -> { });
        WebServer other = server(WebServerSettings.loopback(0), List.of(rogue));

        assertThatThrownBy(() -> await(other.start()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DELETE /api/v1/probes/{id} is not documented");
    }

    @Test
    void registeringADocumentedPublicOperationWithARoleFails() {
        ApiModule wrong = api -> api.route(HttpMethod.GET, "/api/v1/open", Role.READER, ctx -> { });
        assertThatThrownBy(() -> await(server(WebServerSettings.loopback(0), List.of(wrong)).start()))
                .hasMessageContaining("GET /api/v1/open is documented as public");
    }

    @Test
    void registeredOperationsAreTheDocumentedOnes() {
        assertThat(server.registeredOperations()).containsExactlyInAnyOrderElementsOf(
                server.document().operationKeys());
    }

    @Test
    void validParametersReachTheHandler() throws Exception {
        HttpResponse<String> r = get("/api/v1/probes/p-1?from=2026-11-23T10:15:30Z&limit=100&destination=192.0.2.1"
                + "&agent=fra&agent=nyc&method=udp-paris&verbose=true", TestBearerAuthenticator.READER);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"id\":\"p-1\"", "\"user\":\"bob\"");
    }

    @Test
    void badParametersAre400sNamingTheParameter() throws Exception {
        String ok = "from=2026-11-23T10:15:30Z";
        assertBadRequest(get("/api/v1/probes/p1?from=2026-13-01", TestBearerAuthenticator.READER), "from",
                "is not an ISO-8601 UTC time");
        assertBadRequest(get("/api/v1/probes/p1", TestBearerAuthenticator.READER), "from", "is required");
        assertBadRequest(get("/api/v1/probes/P_1?" + ok, TestBearerAuthenticator.READER), "id", "does not match");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&limit=101", TestBearerAuthenticator.READER), "limit",
                "above the maximum 100");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&limit=0", TestBearerAuthenticator.READER), "limit",
                "below the minimum 1");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&limit=ten", TestBearerAuthenticator.READER), "limit",
                "is not an integer");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&destination=300.1.1.1", TestBearerAuthenticator.READER),
                "destination", "is not a dotted IPv4 address");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&agent=a&agent=b&agent=c",
                TestBearerAuthenticator.READER), "agent", "at most 2");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&agent=A1", TestBearerAuthenticator.READER), "agent",
                "does not match");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&method=tcp", TestBearerAuthenticator.READER), "method",
                "is not one of udp-paris, icmp-paris");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&verbose=yes", TestBearerAuthenticator.READER), "verbose",
                "is not true or false");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&limit=1&limit=2", TestBearerAuthenticator.READER),
                "limit", "given 2 times");
        assertBadRequest(get("/api/v1/probes/p1?" + ok + "&colour=red", TestBearerAuthenticator.READER), "colour",
                "is not a parameter of GET /api/v1/probes/{id}");
    }

    @Test
    void bodiesAreValidatedAgainstTheirSchema() throws Exception {
        HttpResponse<String> created = post("/api/v1/probes", "{\"name\":\"p\",\"rate\":5,"
                + "\"targets\":[{\"address\":\"192.0.2.1\"}]}", TestBearerAuthenticator.ADMIN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        assertBadRequest(post("/api/v1/probes", "{\"name\":\"p\"}", TestBearerAuthenticator.ADMIN), "rate",
                "is required");
        assertBadRequest(post("/api/v1/probes", "{\"name\":\"p\",\"rate\":0}", TestBearerAuthenticator.ADMIN),
                "rate", "");
        assertBadRequest(post("/api/v1/probes", "{\"name\":\"p\",\"rate\":1,\"targets\":[{\"address\":\"x\"}]}",
                TestBearerAuthenticator.ADMIN), "targets[0].address", "");
        HttpResponse<String> notJson = post("/api/v1/probes", "{name", TestBearerAuthenticator.ADMIN);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("message").asText()).contains("not JSON");
        HttpResponse<String> empty = post("/api/v1/probes", "", TestBearerAuthenticator.ADMIN);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).get("message").asText()).contains("needs a JSON body");
    }

    @Test
    void withoutCredentialsIs401AndAReaderOnAnAdminRouteIs403() throws Exception {
        HttpResponse<String> anonymous = get("/api/v1/probes/p1?from=2026-11-23T10:15:30Z", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).get("error").asText()).isEqualTo("unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();

        HttpResponse<String> reader = post("/api/v1/probes", "{\"name\":\"p\",\"rate\":5}",
                TestBearerAuthenticator.READER);
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(json(reader).get("message").asText()).contains("needs the admin role");

        // authentication comes before validation: nothing about the parameters leaks to strangers
        assertThat(get("/api/v1/probes/p1?colour=red", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/openapi.yaml", null).statusCode()).isEqualTo(401);
    }

    @Test
    void publicOperationsNeedNoCredentials() throws Exception {
        assertThat(get("/api/v1/open", null).statusCode()).isEqualTo(200);
        HttpResponse<String> health = get("/api/v1/health", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode body = json(health);
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.at("/checks/store/ok").asBoolean()).isTrue();
        assertThat(body.at("/checks/store/detail").asText()).isEqualTo("reachable");
    }

    @Test
    void aFailingCheckMakesTheHealth503() throws Exception {
        await(server.stop());
        server = server(WebServerSettings.loopback(0), List.of(new ProbeRoutes(), systemRoutes(false)));
        base = URI.create("http://127.0.0.1:" + await(server.start()));

        HttpResponse<String> health = get("/api/v1/health", null);
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode body = json(health);
        assertThat(body.get("status").asText()).isEqualTo("degraded");
        assertThat(body.at("/checks/store/ok").asBoolean()).isFalse();
        assertThat(body.at("/checks/store/detail").asText()).contains("down for the test");
        assertThat(body.at("/checks/broken/ok").asBoolean()).isFalse();
        assertThat(body.at("/checks/broken/detail").asText()).contains("broken: boom");
    }

    @Test
    void theMergedDocumentIsServedAsYaml() throws Exception {
        HttpResponse<String> r = get("/openapi.yaml", TestBearerAuthenticator.READER);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        JsonNode doc = new YAMLMapper().readTree(r.body());
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.at("/paths/~1api~1v1~1probes~1{id}/get/operationId").asText()).isEqualTo("getProbe");
        assertThat(doc.at("/components/schemas/Error").isObject()).isTrue();
    }

    @Test
    void metricsShowTheRequestTimerAndTheSources() throws Exception {
        get("/api/v1/probes/p1?from=2026-11-23T10:15:30Z", TestBearerAuthenticator.READER);
        get("/api/v1/probes/p1?limit=0", TestBearerAuthenticator.READER);

        HttpResponse<String> r = get("/metrics", TestBearerAuthenticator.READER);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(r.body())
                .contains("tracemesh_api_request_seconds_count{operation=\"getProbe\",status=\"200\"} 1")
                .contains("tracemesh_api_request_seconds_count{operation=\"getProbe\",status=\"400\"} 1")
                .contains("tracemesh_api_request_seconds_bucket{operation=\"getProbe\",status=\"200\",le=")
                .contains("tracemesh_records_merged_total 1234.0")
                .contains("tracemesh_traces_merged_total 0.0")
                .contains("tracemesh_ingest_lag_seconds 2.5")
                .contains("tracemesh_agents_online 3.0");
    }

    @Test
    void unknownApiPathsAre404Json() throws Exception {
        HttpResponse<String> r = get("/api/v1/nothing", TestBearerAuthenticator.READER);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void withACertificateAndKeyTheServerSpeaksTls(@TempDir Path dir) throws Exception {
        Path[] pem = selfSigned(dir);
        WebServer tls = server(new WebServerSettings("127.0.0.1", 0, pem[0], pem[1], 2, 1 << 20),
                List.of(new ProbeRoutes(), systemRoutes(true)));
        int port = await(tls.start());
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(pem[0])).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/api/v1/open")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
            assertThat(tls.tls()).isTrue();
            // plain HTTP on the TLS port does not get an answer from the API
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/open")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        } finally {
            await(tls.stop());
        }
    }

    // ---------------------------------------------------------------- fixtures

    /** The test's operations: echo their parameters and principal. */
    private static final class ProbeRoutes implements ApiModule {
        @Override
        public void register(ApiRouter api) {
            api.route(HttpMethod.GET, "/api/v1/probes/{id}", Role.READER, ctx -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("id", ApiParams.required(ctx, "id"));
                out.put("from", ApiParams.instant(ctx, "from").toString());
                out.put("agents", ApiParams.all(ctx, "agent"));
                out.put("user", WebPrincipal.of(ctx).user());
                ApiJson.ok(ctx, out);
            });
            api.route(HttpMethod.POST, "/api/v1/probes", Role.ADMIN,
                    ctx -> ApiJson.send(ctx, 201, ApiJson.bodyObject(ctx)));
            api.publicRoute(HttpMethod.GET, "/api/v1/open", ctx -> ApiJson.ok(ctx, Map.of("open", true)));
        }
    }

    private SystemRoutes systemRoutes(boolean healthy) {
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put("store", () -> Future.succeededFuture(healthy ? HealthCheck.Result.ok("reachable")
                : HealthCheck.Result.failed("down for the test")));
        if (!healthy) {
            checks.put("broken", () -> {
                throw new IllegalStateException("boom");
            });
        }
        return new SystemRoutes(metrics, checks);
    }

    private WebServer server(WebServerSettings settings, List<ApiModule> modules) {
        return new WebServer(vertx, settings, new TestBearerAuthenticator(), modules, document(), metrics);
    }

    private static OpenApiDocument document() {
        Map<String, String> fragments = new LinkedHashMap<>();
        fragments.put("base", resource("openapi/base.yaml"));
        fragments.put("probes", PROBES);
        fragments.put("system", resource("openapi/system.yaml"));
        return OpenApiDocument.merge(fragments);
    }

    private static String resource(String name) {
        try (InputStream in = WebServerTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertBadRequest(HttpResponse<String> r, String field, String message) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.path("field").asText()).as(r.body()).isEqualTo(field);
        assertThat(body.get("message").asText()).as(r.body()).startsWith(field + ": ").contains(message);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return ApiJson.mapper().readTree(r.body());
    }

    private static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** A self-signed certificate for localhost: Vert.x's generator (deprecated in 5, still there), else openssl. */
    @SuppressWarnings("removal")
    private static Path[] selfSigned(Path dir) throws Exception {
        try {
            SelfSignedCertificate c = SelfSignedCertificate.create("localhost");
            return new Path[] {Path.of(c.certificatePath()), Path.of(c.privateKeyPath())};
        } catch (RuntimeException | LinkageError e) {
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key.toString(),
                    "-out", cert.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            return new Path[] {cert, key};
        }
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        Certificate cert;
        try (InputStream in = Files.newInputStream(certificate)) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

}
