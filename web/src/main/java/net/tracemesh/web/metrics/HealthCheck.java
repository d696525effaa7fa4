package net.tracemesh.web.metrics;

import io.vertx.core.Future;
import java.util.Objects;

/**
 * One thing the web depends on, as {@code GET /api/v1/health} reports it: the store, the agent directory, the
 * collector. A check must not block the event loop; a failed future counts as a failed check.
 */
@FunctionalInterface
public interface HealthCheck {
    Future<Result> check();

    /**
     * What one check found.
     *
     * @param ok     whether it passed
     * @param detail what was found or why it failed (text, a number or a small map), or null
     */
    record Result(boolean ok, Object detail) {
        public static Result ok(Object detail) {
            return new Result(true, detail);
        }

        public static Result failed(String why) {
            return new Result(false, Objects.requireNonNull(why, "why"));
        }
    }
}
