package net.tracemesh.web.openapi;

import java.util.Objects;

/**
 * One documented query or path parameter of an operation.
 *
 * @param name     the parameter's name
 * @param location {@code query} or {@code path}
 * @param required whether a request must carry it (path parameters always must)
 * @param schema   what its values must be
 */
public record ParameterSpec(String name, Location location, boolean required, ValueSchema schema) {
    /** Where a parameter travels; header and cookie parameters are not part of this API. */
    public enum Location { QUERY, PATH }

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(schema, "schema");
        if (location == Location.PATH) {
            required = true;
        }
    }
}
