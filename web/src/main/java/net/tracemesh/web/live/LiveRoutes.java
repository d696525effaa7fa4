package net.tracemesh.web.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.http.ApiModule;
import net.tracemesh.web.http.ApiRouter;

/**
 * {@code GET /api/v1/events}: the {@link LiveFeed} as Server-Sent Events ({@code event: traces},
 * {@code route-change}, {@code agents}, each with one line of JSON data), with a comment every 15 s that keeps
 * proxies from closing an idle stream. A client that disconnects, or reads too slowly to keep up, is dropped.
 */
public final class LiveRoutes implements ApiModule {
    public static final String EVENTS = "/api/v1/events";
    public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
    static final Duration PING_INTERVAL = Duration.ofSeconds(15);
    /** How long a browser waits before reconnecting after the stream broke. */
    static final Duration RECONNECT = Duration.ofSeconds(5);

    private final LiveFeed feed;

    public LiveRoutes(LiveFeed feed) {
        this.feed = Objects.requireNonNull(feed, "feed");
    }

    @Override
    public void register(ApiRouter api) {
        api.route(HttpMethod.GET, EVENTS, Role.READER, this::events);
    }

    private void events(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
                .putHeader("X-Accel-Buffering", "no");
        response.write(": tracemesh live events\nretry: " + RECONNECT.toMillis() + "\n\n");
        AtomicBoolean open = new AtomicBoolean(true);
        LiveFeed.Subscription subscription = feed.subscribe(e -> {
            if (open.get()) {
                write(response, format(e));
            }
        });
        long ping = ctx.vertx().setPeriodic(PING_INTERVAL.toMillis(), t -> write(response, ": ping\n\n"));
        Runnable end = () -> {
            if (open.compareAndSet(true, false)) {
                subscription.cancel();
                ctx.vertx().cancelTimer(ping);
            }
        };
        response.closeHandler(v -> end.run());
        response.exceptionHandler(e -> end.run());
    }

    private static void write(HttpServerResponse response, String text) {
        if (response.closed() || response.ended()) {
            return;
        }
        if (response.writeQueueFull()) {
            response.reset();
            return;
        }
        response.write(text);
    }

    /** One event in the Server-Sent Events format. */
    static String format(LiveEvent e) {
        String json;
        try {
            json = ApiJson.mapper().writeValueAsString(e.data());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write a " + e.name() + " event", ex);
        }
        return "event: " + e.name() + "\ndata: " + json + "\n\n";
    }
}
