package net.tracemesh.web.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import net.tracemesh.record.RecordJson;

/**
 * The API's JSON conventions, the same as the records': snake_case names, absent fields left out, times as
 * ISO-8601 UTC strings. Responses are {@code application/json}; errors are
 * {@code {"error": code, "message": text, "field": name}}.
 */
public final class ApiJson {
    public static final String CONTENT_TYPE = "application/json";

    private static final ObjectMapper MAPPER = RecordJson.mapper();

    private ApiJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** 200 with the value as JSON. */
    public static void ok(RoutingContext ctx, Object value) {
        send(ctx, 200, value);
    }

    /** 200 with a body that is JSON already. */
    public static void okJson(RoutingContext ctx, byte[] json) {
        ctx.response().setStatusCode(200).putHeader("Content-Type", CONTENT_TYPE).end(Buffer.buffer(json));
    }

    public static void send(RoutingContext ctx, int status, Object value) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            ctx.fail(e);
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(Buffer.buffer(body));
    }

    /** Answers with the future's value (200), or with the JSON error it failed with. */
    public static void respond(RoutingContext ctx, Future<?> result) {
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                ok(ctx, ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    public static void error(RoutingContext ctx, ApiException e) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("error", e.code());
        json.put("message", e.getMessage());
        if (e.field() != null) {
            json.put("field", e.field());
        }
        if (e.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tracemesh\"");
        }
        send(ctx, e.status(), json);
    }

    /** The request body as a JSON object; a missing, non-JSON or non-object body is a 400. */
    public static ObjectNode bodyObject(RoutingContext ctx) {
        Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            throw ApiException.badRequest(null, "the request needs a JSON object body");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(buffer.getBytes());
        } catch (IOException e) {
            throw ApiException.badRequest(null, "the body is not JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest(null, "the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
