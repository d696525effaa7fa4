package net.tracemesh.web.openapi;

import java.util.List;
import java.util.Objects;

/**
 * What the OpenAPI document says about one operation, as far as the server checks requests against it.
 *
 * @param key               method and path
 * @param operationId       the operation's id, also its name in the request metrics
 * @param publicAccess      whether it is served without authentication ({@code security: []})
 * @param parameters        its query and path parameters (path-level ones included)
 * @param bodySchemaPointer JSON pointer, in the document, to the schema of its {@code application/json} request
 *                          body; null when it takes no JSON body
 * @param bodyRequired      whether a request must carry that body
 */
public record OperationSpec(OperationKey key, String operationId, boolean publicAccess, List<ParameterSpec> parameters,
                            String bodySchemaPointer, boolean bodyRequired) {
    public OperationSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operationId, "operationId");
        parameters = List.copyOf(parameters);
    }
}
