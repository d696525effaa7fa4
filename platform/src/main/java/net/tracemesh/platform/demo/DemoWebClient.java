package net.tracemesh.platform.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The demo's client of the web's REST API: logs in as the administrator with a session cookie and sends requests
 * with the header cookie-authenticated changes need.
 */
final class DemoWebClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String CSRF_HEADER = "X-Requested-With";
    private static final String CSRF_VALUE = "tracemesh";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI base;
    private String cookie;

    /** A client of the web at {@code base} (e.g. {@code http://127.0.0.1:8080/}), not logged in yet. */
    DemoWebClient(URI base) {
        this.base = base;
    }

    /** An HTTP answer: its status and body. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new DemoException("the web answered " + status + " with a body that is not JSON: " + body, e);
            }
        }
    }

    /** Logs in; returns the answer (200 with a session cookie kept for later requests). */
    Answer login(String user, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("user", user).put("password", password);
        HttpResponse<String> response = http.send(request("/api/v1/login")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        response.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.split(";", 2)[0]);
        return new Answer(response.statusCode(), response.body());
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Answer post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    Answer put(String path, JsonNode body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header(CSRF_HEADER, CSRF_VALUE);
    }

    static ObjectMapper json() {
        return JSON;
    }
}
