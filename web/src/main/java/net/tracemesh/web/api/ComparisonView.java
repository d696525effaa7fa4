package net.tracemesh.web.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import net.tracemesh.collector.query.VantageComparison;

/**
 * Several agents' routes toward one destination side by side, for {@code GET /api/v1/compare}: each agent's route
 * and the trace its RTTs come from, one row per TTL, the shared addresses and the convergence point ({@code null}
 * when the routes do not converge).
 */
public record ComparisonView(String destination, String method,
                             @JsonInclude(JsonInclude.Include.ALWAYS) Instant at, List<String> agents,
                             List<AgentRouteView> routes, List<RowView> rows, List<SharedHopView> sharedHops,
                             @JsonInclude(JsonInclude.Include.ALWAYS) ConvergenceView convergence) {

    /** One agent's route and the trace its RTTs come from ({@code null}s when no trace is left). */
    public record AgentRouteView(String agentId, @JsonInclude(JsonInclude.Include.ALWAYS) String traceId,
                                 @JsonInclude(JsonInclude.Include.ALWAYS) Instant traceStarted, boolean rttKnown,
                                 RouteView route) {
    }

    /** One TTL across the routes, by agent. */
    public record RowView(int ttl, SortedMap<String, AgentHopView> byAgent) {
    }

    /** What one agent's route has at one TTL, with its median RTT there ({@code null} when unknown). */
    public record AgentHopView(List<String> addresses, boolean silent,
                               @JsonInclude(JsonInclude.Include.ALWAYS) Double medianRttMs) {
    }

    /** An address on two or more agents' routes, with where each has it. */
    public record SharedHopView(String address, SortedMap<String, HopAtView> byAgent) {
    }

    /** The smallest TTL at which an agent's route has a shared address, and its RTT there ({@code null}: unknown). */
    public record HopAtView(int ttl, @JsonInclude(JsonInclude.Include.ALWAYS) Double rttMs) {
    }

    /** The hop where the routes join for good, and its TTL on each route. */
    public record ConvergenceView(List<String> addresses, SortedMap<String, Integer> ttlByAgent) {
    }

    public static ComparisonView of(VantageComparison v) {
        List<AgentRouteView> routes = v.routes().stream().map(r -> new AgentRouteView(r.agentId(), r.traceId(),
                r.traceStarted(), r.rttKnown(), RouteView.of(r.route()))).toList();
        List<RowView> rows = v.rows().stream().map(row -> {
            SortedMap<String, AgentHopView> byAgent = new TreeMap<>();
            row.byAgent().forEach((agent, h) -> byAgent.put(agent, new AgentHopView(h.hop().addresses(),
                    h.hop().isSilent(), h.medianRttMs())));
            return new RowView(row.ttl(), byAgent);
        }).toList();
        List<SharedHopView> shared = v.sharedHops().stream().map(s -> {
            SortedMap<String, HopAtView> byAgent = new TreeMap<>();
            s.byAgent().forEach((agent, at) -> byAgent.put(agent, new HopAtView(at.ttl(), at.rttMs())));
            return new SharedHopView(s.address(), byAgent);
        }).toList();
        ConvergenceView convergence = v.convergencePoint().map(c -> new ConvergenceView(c.hop().addresses(),
                new TreeMap<>(Map.copyOf(c.ttlByAgent())))).orElse(null);
        return new ComparisonView(v.destination(), v.method().wireName(), v.at(), v.agents(), routes, rows, shared,
                convergence);
    }
}
