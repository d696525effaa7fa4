package net.tracemesh.web.agents;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.tracemesh.web.http.ApiModule;
import net.tracemesh.web.http.WebServer;
import net.tracemesh.web.http.WebServerSettings;

/** The real web server on a loopback port with the given modules and test credentials, and an HTTP client. */
public final class ApiTestServer implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final WebServer server;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    public ApiTestServer(Vertx vertx, List<ApiModule> modules) throws Exception {
        server = new WebServer(vertx, WebServerSettings.loopback(0), new BearerTestAuthenticator(), modules);
        port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpClient http() {
        return http;
    }

    public HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        return send(request(path, authorization).GET().build());
    }

    public HttpResponse<String> post(String path, String authorization, String json)
            throws IOException, InterruptedException {
        return send(request(path, authorization).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public HttpResponse<String> put(String path, String authorization, String json)
            throws IOException, InterruptedException {
        return send(request(path, authorization).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> delete(String path, String authorization) throws IOException, InterruptedException {
        return send(request(path, authorization).DELETE().build());
    }

    public HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        try {
            server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
