package net.tracemesh.web.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Server-Sent Events client over java.net.http with a streaming body: events queue up as they arrive. */
final class SseClient implements AutoCloseable {
    /** One received event. */
    record Event(String name, String data) {
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closed;

    SseClient(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        reader = new Thread(this::read, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    HttpResponse<InputStream> response() {
        return response;
    }

    /** The next event with this name, skipping others; fails after {@code limit}. */
    Event next(String name, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no '" + name + "' event within " + limit);
            }
            if (e.name().equals(name)) {
                return e;
            }
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(name, data.toString()));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    name = line.substring("event: ".length());
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring("data: ".length()));
                }
            }
        } catch (IOException e) {
            if (!closed) {
                events.add(new Event("error", e.toString()));
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        response.body().close();
    }
}
