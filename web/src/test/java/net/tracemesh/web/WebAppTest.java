package net.tracemesh.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.message.Topics;
import net.tracemesh.web.auth.AccountStore;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.config.AccountSettings;
import net.tracemesh.web.config.MeasurementSettings;
import net.tracemesh.web.config.WebConfig;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.openapi.OpenApiDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole web over a real embedded store, account store and Kafka broker. */
class WebAppTest {
    private static final String PREFIX = "webapp.";
    private static Path dir;
    private static EmbeddedKafka kafka;
    private static CollectorStore store;
    private static AccountStore accounts;
    private static Vertx vertx;
    private static WebApp app;
    private static String token;
    private static URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tracemesh-webapp");
        kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).port(0)
                .property("auto.create.topics.enable", "false").build().start();
        kafka.ensureTopic(PREFIX + Topics.HEARTBEATS, 1, Map.of());
        kafka.ensureTopic(PREFIX + Topics.MEASUREMENTS, 1, Map.of("cleanup.policy", "compact"));
        store = CollectorStore.openEmbedded(dir.resolve("store"));
        accounts = AccountStore.openEmbedded(dir.resolve("store"));
        accounts.ensureAdmin("admin", "a-long-admin-password");
        token = accounts.createToken("admin", "test", Role.READER, null).secret();
        WebConfig config = WebConfig.fromYaml("""
                http: { port: 0 }
                kafka: { bootstrap-servers: "%s", topic-prefix: "%s" }
                store: { type: embedded, data-dir: "%s" }
                """.formatted(kafka.bootstrapServers(), PREFIX, dir.resolve("store")), Map.of());
        vertx = Vertx.vertx();
        app = await(WebApp.start(vertx, config, store.readDataSource(), accounts, null));
        base = URI.create("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            await(app.close());
        }
        if (vertx != null) {
            await(vertx.close());
        }
        if (accounts != null) {
            accounts.close();
        }
        if (store != null) {
            store.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyDocumentedOperationIsRoutedOnce() {
        assertThat(app.server().registeredOperations())
                .containsExactlyInAnyOrderElementsOf(OpenApiDocument.load().operationKeys());
    }

    @Test
    void healthIsPublicAndTurnsOkOnceKafkaIsRead() throws Exception {
        HttpResponse<String> r = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            r = get("/api/v1/health", null);
            if (r.statusCode() == 200) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = ApiJson.mapper().readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.at("/checks/store/ok").asBoolean()).isTrue();
        assertThat(body.at("/checks/agents/detail/online").asInt()).isZero();
        assertThat(body.at("/checks/measurements/ok").asBoolean()).isTrue();
        assertThat(body.has("collector")).isFalse();
    }

    @Test
    void metricsAndTheDocumentNeedAToken() throws Exception {
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        get("/api/v1/agents", "Bearer " + token);

        HttpResponse<String> metrics = get("/metrics", "Bearer " + token);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("tracemesh_api_request_seconds_count{operation=")
                .contains("tracemesh_agents_online 0.0")
                .doesNotContain("tracemesh_records_merged_total");
        HttpResponse<String> doc = get("/openapi.yaml", "Bearer " + token);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.body()).contains("/api/v1/routes", "/api/v1/login", "/api/v1/measurements");
    }

    @Test
    void theDefinitionsKeyPairIsCreatedInTheStoreDirectoryAndItsPublicKeyServed() throws Exception {
        Path key = dir.resolve("store").resolve(DefinitionSigning.PRIVATE_KEY_FILE);
        Path pub = dir.resolve("store").resolve(DefinitionSigning.PUBLIC_KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        HttpResponse<String> served = get("/api/v1/definitions/public-key", "Bearer " + token);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(Files.readString(pub));
        assertThat(get("/api/v1/definitions/public-key", null).statusCode()).isEqualTo(401);
        // The same pair is used again by the next start.
        assertThat(WebApp.signingKey(new MeasurementSettings(key)).getPublic().getEncoded())
                .isEqualTo(DefinitionSigning.readPublicKey(pub).getEncoded());
    }

    @Test
    void aSigningKeyThatCannotBeReadStopsTheStart(@TempDir Path tmp) throws Exception {
        Path bad = Files.writeString(tmp.resolve("key.pem"), "not a key");
        Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-------"));
        WebConfig config = WebConfig.fromYaml("""
                http: { port: 0 }
                kafka: { bootstrap-servers: "%s", topic-prefix: "%s" }
                store: { type: embedded, data-dir: "%s" }
                measurements: { signing-key: "%s" }
                """.formatted(kafka.bootstrapServers(), PREFIX, dir.resolve("store"), bad), Map.of());
        assertThat(WebApp.start(vertx, config, store.readDataSource(), accounts, null)
                .toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withMessageContaining(bad + " is not a PEM file");
    }

    @Test
    void theCommandLineExplainsItselfAndRefusesBadConfiguration(@TempDir Path tmp) throws Exception {
        assertThat(main(List.of("--help")).status).isZero();
        assertThat(main(List.of("--help")).out).contains("usage: web run --config FILE");
        Result noConfig = main(List.of("run"));
        assertThat(noConfig.status).isEqualTo(WebMain.USAGE_ERROR);
        assertThat(noConfig.err).contains("web: run needs --config FILE");
        Result missing = main(List.of("run", "--config", tmp.resolve("web.yaml").toString()));
        assertThat(missing.status).isEqualTo(2);
        assertThat(missing.err).contains("cannot read config file").contains("no such file");
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "http:\n  port: 99999\n");
        Result badPort = main(List.of("run", "--config=" + bad));
        assertThat(badPort.status).isEqualTo(2);
        assertThat(badPort.err).contains("http.port: 99999 is not 0..65535");
        assertThat(main(List.of("serve")).status).isEqualTo(2);
    }

    @Test
    void theFirstAdminsPasswordGoesToAPrivateFile(@TempDir Path tmp) throws Exception {
        try (AccountStore fresh = AccountStore.openEmbedded(tmp.resolve("accounts"))) {
            Path file = tmp.resolve("admin.password");
            AccountSettings auth = new AccountSettings("root", file, Duration.ofHours(1), Duration.ofDays(1));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            WebMain.bootstrapAdmin(fresh, auth, new PrintStream(err, true, StandardCharsets.UTF_8));

            String password = Files.readString(file).strip();
            assertThat(password).hasSizeGreaterThanOrEqualTo(AccountStore.MIN_PASSWORD_LENGTH);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("the password is in " + file)
                    .doesNotContain(password);
            assertThat(fresh.login("root", password)).isPresent();
            // a second start changes nothing
            WebMain.bootstrapAdmin(fresh, auth, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8));
            assertThat(Files.readString(file).strip()).isEqualTo(password);
        }
    }

    private record Result(int status, String out, String err) {
    }

    private static Result main(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = WebMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
