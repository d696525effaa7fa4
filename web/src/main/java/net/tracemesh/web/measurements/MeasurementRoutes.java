package net.tracemesh.web.measurements;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.tracemesh.measurement.DefinitionException;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.MeasurementCodec;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.web.agents.AgentDirectory;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.http.ApiException;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.http.ApiModule;
import net.tracemesh.web.http.ApiParams;
import net.tracemesh.web.http.ApiRouter;

/**
 * The measurement definitions: everyone with the reader role lists and reads them; admins create, replace,
 * delete, pause and resume them. Bodies are {@link MeasurementCodec}'s JSON; a definition it refuses is a 400
 * naming the field ({@code targets[0]}, {@code interval_s}, {@code trace.max_ttl}...). Agent ids listed
 * explicitly must belong to agents that have sent a heartbeat (selection by label or "all" is not checked).
 * Everyone signed in can fetch the public key that agents verify the definitions with ({@link #PUBLIC_KEY}).
 */
public final class MeasurementRoutes implements ApiModule {
    public static final String MEASUREMENTS = "/api/v1/measurements";
    public static final String MEASUREMENT = "/api/v1/measurements/{id}";
    public static final String PAUSE = "/api/v1/measurements/{id}/pause";
    public static final String RESUME = "/api/v1/measurements/{id}/resume";
    /** The definitions' public key as PEM text; its id in the {@value #KEY_ID_HEADER} header. */
    public static final String PUBLIC_KEY = "/api/v1/definitions/public-key";
    public static final String KEY_ID_HEADER = "Tracemesh-Key-Id";
    private static final String PEM_TYPE = "text/plain; charset=us-ascii";

    /** The field path a codec message starts with: {@code targets[2]}, {@code trace.max_ttl}, {@code agents.ids[0]}. */
    private static final Pattern FIELD_PREFIX = Pattern.compile(
            "^([a-z_]+(?:\\[\\d+])?(?:\\.[a-z_]+(?:\\[\\d+])?)*): (.*)$", Pattern.DOTALL);
    private static final String AGENTS_FIELD = "agents";

    private final MeasurementCatalog catalog;
    private final AgentDirectory agents;

    public MeasurementRoutes(MeasurementCatalog catalog, AgentDirectory agents) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.agents = Objects.requireNonNull(agents, "agents");
    }

    @Override
    public void register(ApiRouter api) {
        api.route(HttpMethod.GET, MEASUREMENTS, Role.READER, this::list);
        api.route(HttpMethod.POST, MEASUREMENTS, Role.ADMIN, this::create);
        api.route(HttpMethod.GET, MEASUREMENT, Role.READER, this::one);
        api.route(HttpMethod.PUT, MEASUREMENT, Role.ADMIN, this::replace);
        api.route(HttpMethod.DELETE, MEASUREMENT, Role.ADMIN, this::delete);
        api.route(HttpMethod.POST, PAUSE, Role.ADMIN, ctx -> pause(ctx, true));
        api.route(HttpMethod.POST, RESUME, Role.ADMIN, ctx -> pause(ctx, false));
        api.route(HttpMethod.GET, PUBLIC_KEY, Role.READER, this::publicKey);
    }

    private void publicKey(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", PEM_TYPE).putHeader(KEY_ID_HEADER, catalog.keyId())
                .end(DefinitionSigning.publicKeyPem(catalog.publicKey()));
    }

    private void list(RoutingContext ctx) {
        requireReady();
        ObjectNode body = ApiJson.mapper().createObjectNode();
        ArrayNode all = body.putArray("measurements");
        catalog.definitions().forEach(d -> all.add(MeasurementCodec.toTree(d)));
        ApiJson.ok(ctx, body);
    }

    private void one(RoutingContext ctx) {
        requireReady();
        String id = pathId(ctx);
        MeasurementDefinition d = catalog.definition(id).orElseThrow(() -> missing(id));
        ApiJson.ok(ctx, MeasurementCodec.toTree(d));
    }

    private void create(RoutingContext ctx) {
        MeasurementDefinition d = checkedBody(ctx);
        reply(ctx, catalog.create(d), 201, created -> ctx.response().putHeader("Location",
                MEASUREMENTS + "/" + created.id()));
    }

    private void replace(RoutingContext ctx) {
        String id = pathId(ctx);
        MeasurementDefinition d = checkedBody(ctx);
        if (!d.id().equals(id)) {
            throw ApiException.badRequest("id", "'" + d.id() + "' differs from the id in the path '" + id + "'");
        }
        reply(ctx, catalog.update(d), 200, null);
    }

    private void delete(RoutingContext ctx) {
        String id = pathId(ctx);
        catalog.delete(id).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.fail(translate(ar.cause()));
            }
        });
    }

    private void pause(RoutingContext ctx, boolean paused) {
        String id = pathId(ctx);
        reply(ctx, catalog.setPaused(id, paused), 200, null);
    }

    private void reply(RoutingContext ctx, Future<MeasurementDefinition> result, int status,
                       Consumer<MeasurementDefinition> headers) {
        result.onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(translate(ar.cause()));
                return;
            }
            if (headers != null) {
                headers.accept(ar.result());
            }
            ApiJson.send(ctx, status, MeasurementCodec.toTree(ar.result()));
        });
    }

    /** The body as a definition, with its explicitly listed agents known. */
    private MeasurementDefinition checkedBody(RoutingContext ctx) {
        ObjectNode body = ApiJson.bodyObject(ctx);
        MeasurementDefinition d;
        try {
            d = MeasurementCodec.decode(body);
        } catch (DefinitionException e) {
            throw fieldError(e.getMessage());
        }
        List<String> ids = d.agents().ids();
        if (!ids.isEmpty()) {
            if (!agents.isReady()) {
                throw ApiException.unavailable("the agent directory is still reading heartbeats; try again shortly");
            }
            for (int i = 0; i < ids.size(); i++) {
                if (!agents.knows(ids.get(i))) {
                    throw ApiException.badRequest(AGENTS_FIELD, "ids[" + i + "]: no agent '" + ids.get(i)
                            + "' has sent a heartbeat (select agents by label or \"all\" to include future ones)");
                }
            }
        }
        return d;
    }

    /** A codec message as a 400 naming its field ({@code targets[0]: ...} names {@code targets[0]}). */
    static ApiException fieldError(String message) {
        Matcher m = FIELD_PREFIX.matcher(message);
        if (m.matches()) {
            return ApiException.badRequest(m.group(1), m.group(2));
        }
        return ApiException.badRequest(null, message);
    }

    private void requireReady() {
        if (!catalog.isReady()) {
            throw ApiException.unavailable("the measurement catalog is still loading; try again shortly");
        }
    }

    private static String pathId(RoutingContext ctx) {
        String id = ApiParams.required(ctx, "id");
        if (!MeasurementDefinition.ID.matcher(id).matches()) {
            throw ApiException.badRequest("id", "'" + id + "' is not a measurement id (letters, digits, '.', '_',"
                    + " '-', at most 64, starting with a letter or digit)");
        }
        return id;
    }

    private static ApiException missing(String id) {
        return ApiException.notFound("no measurement '" + id + "'");
    }

    private static Throwable translate(Throwable t) {
        if (t instanceof CatalogException e) {
            return switch (e.kind()) {
                case EXISTS -> ApiException.conflict(e.getMessage());
                case MISSING -> ApiException.notFound(e.getMessage());
                case NOT_READY, WRITE_FAILED -> ApiException.unavailable(e.getMessage());
            };
        }
        return t;
    }
}
