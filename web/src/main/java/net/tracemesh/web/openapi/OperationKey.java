package net.tracemesh.web.openapi;

import io.vertx.core.http.HttpMethod;
import java.util.Objects;

/**
 * One API operation's identity: its HTTP method and its path as the OpenAPI document writes it
 * ({@code /api/v1/agents/{id}}).
 */
public record OperationKey(HttpMethod method, String path) {
    public OperationKey {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an operation path starts with '/', got '" + path + "'");
        }
    }

    @Override
    public String toString() {
        return method.name() + " " + path;
    }
}
