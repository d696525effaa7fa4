package net.tracemesh.web.openapi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.tracemesh.web.http.ApiException;

/**
 * Checks one request against its operation's documentation before the handler sees it: every query parameter is
 * documented, required ones are there, each value fits its schema, and a JSON body fits the body schema (JSON
 * Schema 2020-12, with the document's components reachable through {@code $ref}). A request that does not fit is
 * a 400 {@link ApiException} naming the parameter or body field.
 */
public final class RequestValidator {
    private static final Pattern REQUIRED_PROPERTY = Pattern.compile("required property \"?'?([^\"']+)");
    private static final String SUBSCHEMA_SUMMARY = "A subschema had errors";

    private final OperationSpec spec;
    private final Set<String> queryNames = new HashSet<>();
    private final Validator body;

    private RequestValidator(OperationSpec spec, Validator body) {
        this.spec = spec;
        this.body = body;
        for (ParameterSpec p : spec.parameters()) {
            if (p.location() == ParameterSpec.Location.QUERY) {
                queryNames.add(p.name());
            }
        }
    }

    /** The validators of a document's operations share one schema repository holding the whole document. */
    public static Factory factory(OpenApiDocument document) {
        return new Factory(document);
    }

    /** Makes validators for the operations of one document. */
    public static final class Factory {
        private final SchemaRepository repository;

        private Factory(OpenApiDocument document) {
            JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                    .setBaseUri(OpenApiDocument.DOCUMENT_URI).setOutputFormat(OutputFormat.Basic);
            repository = SchemaRepository.create(options);
            repository.dereference(OpenApiDocument.DOCUMENT_URI, JsonSchema.of(document.json()));
        }

        public RequestValidator validator(OperationSpec spec) {
            Validator body = null;
            if (spec.bodySchemaPointer() != null) {
                body = repository.validator(JsonSchema.of(new JsonObject().put("$ref",
                        OpenApiDocument.DOCUMENT_URI + "#" + uriFragment(spec.bodySchemaPointer()))));
            }
            return new RequestValidator(spec, body);
        }

        /**
         * A JSON pointer as the repository spells it in a URI fragment: path templates' braces percent-encoded
         * ({@code /paths/~1api~1v1~1things~1%7Bid%7D/put/...}).
         */
        private static String uriFragment(String pointer) {
            return pointer.replace("{", "%7B").replace("}", "%7D");
        }
    }

    public OperationSpec spec() {
        return spec;
    }

    /**
     * Checks the request's parameters and body.
     *
     * @throws ApiException 400 naming what is wrong
     */
    public void validate(RoutingContext ctx) {
        for (String name : ctx.queryParams().names()) {
            if (!queryNames.contains(name)) {
                throw ApiException.badRequest(name, "is not a parameter of " + spec.key()
                        + (queryNames.isEmpty() ? " (it takes none)" : " (known: "
                        + String.join(", ", new TreeSet<>(queryNames)) + ")"));
            }
        }
        for (ParameterSpec p : spec.parameters()) {
            List<String> values = new ArrayList<>();
            if (p.location() == ParameterSpec.Location.QUERY) {
                for (String v : ctx.queryParam(p.name())) {
                    if (!v.isEmpty()) {
                        values.add(v);
                    }
                }
            } else {
                String v = ctx.pathParam(p.name());
                if (v != null && !v.isEmpty()) {
                    values.add(v);
                }
            }
            if (values.isEmpty()) {
                if (p.required()) {
                    throw ApiException.badRequest(p.name(), "is required");
                }
                continue;
            }
            p.schema().check(p.name(), values);
        }
        if (body != null) {
            validateBody(ctx);
        }
    }

    private void validateBody(RoutingContext ctx) {
        Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            if (spec.bodyRequired()) {
                throw ApiException.badRequest(null, "the request needs a JSON body");
            }
            return;
        }
        Object value;
        try {
            value = Json.decodeValue(buffer);
        } catch (DecodeException e) {
            throw ApiException.badRequest(null, "the body is not JSON: " + firstLine(e.getMessage()));
        }
        checkBody(value);
    }

    /** Checks a decoded JSON body against the operation's schema; a 400 naming the field when it does not fit. */
    void checkBody(Object value) {
        OutputUnit result = body.validate(value);
        if (!Boolean.TRUE.equals(result.getValid())) {
            throw bodyError(result);
        }
    }

    /** The most precise error of a validation result, as a 400 naming the body field. */
    static ApiException bodyError(OutputUnit result) {
        List<OutputUnit> errors = result.getErrors() == null ? List.of() : result.getErrors();
        OutputUnit best = null;
        for (OutputUnit e : errors) {
            if (e.getError() == null || e.getError().startsWith(SUBSCHEMA_SUMMARY)) {
                continue; // "A subschema had errors": the errors of the subschema follow
            }
            // the deepest location is the most precise; "required" errors name the missing property in the text
            if (best == null || depth(e.getInstanceLocation()) > depth(best.getInstanceLocation())) {
                best = e;
            }
        }
        if (best == null) {
            return ApiException.badRequest(null, "the body does not fit the operation's schema"
                    + (result.getError() == null ? "" : ": " + result.getError()));
        }
        String field = fieldName(best.getInstanceLocation());
        String message = best.getError();
        Matcher m = REQUIRED_PROPERTY.matcher(message);
        if (m.find()) {
            String property = m.group(1);
            field = field == null ? property : field + "." + property;
            message = "is required";
        }
        return ApiException.badRequest(field, message);
    }

    /** {@code /targets/2/address} → {@code targets[2].address}; the root → null. */
    static String fieldName(String instanceLocation) {
        if (instanceLocation == null) {
            return null;
        }
        String loc = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
        StringBuilder out = new StringBuilder();
        for (String raw : loc.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            String seg = raw.replace("~1", "/").replace("~0", "~");
            if (seg.chars().allMatch(Character::isDigit)) {
                out.append('[').append(seg).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(seg);
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static int depth(String location) {
        return location == null ? -1 : location.split("/").length;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
