package net.tracemesh.web.agents;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import net.tracemesh.measurement.AgentSelector;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.http.ApiException;
import net.tracemesh.web.http.ApiJson;
import net.tracemesh.web.http.ApiModule;
import net.tracemesh.web.http.ApiParams;
import net.tracemesh.web.http.ApiRouter;

/** {@code GET /api/v1/agents} and {@code GET /api/v1/agents/{id}}: the agents known from their heartbeats. */
public final class AgentRoutes implements ApiModule {
    public static final String AGENTS = "/api/v1/agents";
    public static final String AGENT = "/api/v1/agents/{id}";

    private final AgentDirectory directory;

    public AgentRoutes(AgentDirectory directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public void register(ApiRouter api) {
        api.route(HttpMethod.GET, AGENTS, Role.READER, this::list);
        api.route(HttpMethod.GET, AGENT, Role.READER, this::one);
    }

    private void list(RoutingContext ctx) {
        ApiJson.ok(ctx, new AgentJson.AgentList(directory.agents().stream().map(AgentJson::of).toList()));
    }

    private void one(RoutingContext ctx) {
        String id = ApiParams.required(ctx, "id");
        if (!AgentSelector.AGENT_ID.matcher(id).matches()) {
            throw ApiException.badRequest("id", "'" + id + "' is not an agent id (letters, digits, '.', '_', '-',"
                    + " at most 64, starting with a letter or digit)");
        }
        AgentStatus status = directory.agent(id).orElseThrow(() ->
                ApiException.notFound("no agent '" + id + "' has sent a heartbeat"));
        ApiJson.ok(ctx, AgentJson.of(status));
    }
}
