package net.tracemesh.web.live;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of the live feed: its name (the Server-Sent Events {@code event:} field) and its data, a record that
 * is written as JSON (snake_case).
 */
public record LiveEvent(String name, Object data) {
    public static final String TRACES = "traces";
    public static final String ROUTE_CHANGE = "route-change";
    public static final String AGENTS = "agents";

    public LiveEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }

    /** Traces merged into the store since the previous {@code traces} event, and the latest one's closing time. */
    public record Traces(long merged, Instant latest) {
    }

    /** A route change recorded in the store; {@code time} is when the new route was first seen. */
    public record RouteChange(String agentId, String destination, String method, Instant time, int divergenceTtl) {
    }

    /** How many agents are online, of how many known. */
    public record Agents(int online, int total) {
    }

    public static LiveEvent traces(long merged, Instant latest) {
        return new LiveEvent(TRACES, new Traces(merged, latest));
    }

    public static LiveEvent routeChange(RouteChange change) {
        return new LiveEvent(ROUTE_CHANGE, change);
    }

    public static LiveEvent agents(int online, int total) {
        return new LiveEvent(AGENTS, new Agents(online, total));
    }
}
