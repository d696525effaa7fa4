package net.tracemesh.collector.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.measurement.MeasurementMethod;

/**
 * The routes several vantage points follow toward one destination at one time, side by side.
 *
 * <p>Each agent's route is the one in force at {@code at}; its RTTs come from the agent's latest trace of that route
 * up to {@code at} (per TTL, the median of the replies at that TTL). RTTs are unknown (null) when that trace's hop
 * records were pruned by retention or no such trace is left.
 *
 * @param destination the destination (dotted)
 * @param method      the trace method
 * @param at          the time compared, or null for now (the current routes)
 * @param agents      the agents asked for, in the order asked, distinct
 * @param routes      the agents that had a route at {@code at}, in the order asked
 * @param rows        one row per TTL from the smallest first TTL to the largest stop TTL of those routes
 * @param sharedHops  the addresses on at least two agents' routes, by smallest TTL then address
 * @param convergence where all routes join and stay together to their ends, or null when they do not (or fewer
 *                    than two agents had a route)
 */
public record VantageComparison(String destination, MeasurementMethod method, Instant at, List<String> agents,
                                List<AgentRoute> routes, List<Row> rows, List<SharedHop> sharedHops,
                                Convergence convergence) {
    public VantageComparison {
        if (destination == null || method == null || agents == null || routes == null || rows == null
                || sharedHops == null) {
            throw new IllegalArgumentException("destination, method, agents, routes, rows and shared hops are required");
        }
        agents = List.copyOf(agents);
        if (agents.isEmpty() || new HashSet<>(agents).size() != agents.size()) {
            throw new IllegalArgumentException("a comparison is of one or more distinct agents, got " + agents);
        }
        routes = List.copyOf(routes);
        for (AgentRoute r : routes) {
            if (!agents.contains(r.agentId())) {
                throw new IllegalArgumentException("a route of " + r.agentId() + ", who was not compared");
            }
            if (!r.route().key().destination().equals(destination) || r.route().key().method() != method) {
                throw new IllegalArgumentException("the route of " + r.route().key() + " is not toward "
                        + destination + " by " + method.wireName());
            }
        }
        rows = List.copyOf(rows);
        sharedHops = List.copyOf(sharedHops);
    }

    /** The convergence point, if the routes converge. */
    public Optional<Convergence> convergencePoint() {
        return Optional.ofNullable(convergence);
    }

    /** The agents asked for that had no route toward the destination at that time (unknown agents among them). */
    public List<String> withoutRoute() {
        Set<String> with = new HashSet<>();
        routes.forEach(r -> with.add(r.agentId()));
        return agents.stream().filter(a -> !with.contains(a)).toList();
    }

    /** The route of one agent, if it had one. */
    public Optional<AgentRoute> route(String agentId) {
        return routes.stream().filter(r -> r.agentId().equals(agentId)).findFirst();
    }

    /** The row of one TTL, if any route reaches it. */
    public Optional<Row> row(int ttl) {
        return rows.stream().filter(r -> r.ttl() == ttl).findFirst();
    }

    /** The shared hop of one address, if it is shared. */
    public Optional<SharedHop> shared(String address) {
        return sharedHops.stream().filter(s -> s.address().equals(address)).findFirst();
    }

    /**
     * One agent's route at the compared time, and the trace its RTTs come from.
     *
     * @param agentId      the agent
     * @param route        the route period in force
     * @param traceId      the latest trace of that route up to the compared time, or null when none is left
     * @param traceStarted when that trace started, or null with it
     * @param rttKnown     whether that trace's hop records were still stored (else every RTT is unknown)
     */
    public record AgentRoute(String agentId, RouteAt route, String traceId, Instant traceStarted, boolean rttKnown) {
        public AgentRoute {
            if (agentId == null || route == null) {
                throw new IllegalArgumentException("agent and route are required");
            }
            if (!route.key().agentId().equals(agentId)) {
                throw new IllegalArgumentException("the route of " + route.key() + " given as " + agentId + "'s");
            }
            if ((traceId == null) != (traceStarted == null) || (traceId == null && rttKnown)) {
                throw new IllegalArgumentException("a trace has an id and a start, and RTTs need a trace");
            }
        }
    }

    /**
     * What one agent's route has at one TTL.
     *
     * @param hop         the route's hop (silent when no reply came)
     * @param medianRttMs the median RTT of the agent's replies at that TTL in its trace, or null when unknown
     */
    public record AgentHop(RouteHop hop, Double medianRttMs) {
        public AgentHop {
            if (hop == null) {
                throw new IllegalArgumentException("the hop is missing");
            }
            if (medianRttMs != null && !(medianRttMs >= 0)) {
                throw new IllegalArgumentException("an RTT is >= 0 ms, got " + medianRttMs);
            }
        }
    }

    /**
     * One TTL across the routes.
     *
     * @param ttl    the TTL
     * @param byAgent the hop of every route that covers this TTL, by agent
     */
    public record Row(int ttl, SortedMap<String, AgentHop> byAgent) {
        public Row {
            if (ttl < 1 || byAgent == null) {
                throw new IllegalArgumentException("a row has a TTL >= 1 and hops");
            }
            byAgent = Collections.unmodifiableSortedMap(new TreeMap<>(byAgent));
        }

        /** Whether every agent in the row has the same known hop at this TTL. */
        public boolean aligned() {
            Set<RouteHop> hops = new HashSet<>();
            byAgent.values().forEach(h -> hops.add(h.hop()));
            return hops.size() == 1 && !hops.iterator().next().isSilent();
        }
    }

    /**
     * Where one agent's route has a shared address.
     *
     * @param ttl   the smallest TTL at which the address is on the agent's route
     * @param rttMs the median RTT of the agent's replies from the address at that TTL, or null when unknown
     */
    public record HopAt(int ttl, Double rttMs) {
        public HopAt {
            if (ttl < 1) {
                throw new IllegalArgumentException("a TTL is >= 1, got " + ttl);
            }
            if (rttMs != null && !(rttMs >= 0)) {
                throw new IllegalArgumentException("an RTT is >= 0 ms, got " + rttMs);
            }
        }
    }

    /**
     * An address on two or more agents' routes.
     *
     * @param address the address (dotted)
     * @param byAgent where each of those agents has it
     */
    public record SharedHop(String address, SortedMap<String, HopAt> byAgent) {
        public SharedHop {
            if (address == null || byAgent == null || byAgent.size() < 2) {
                throw new IllegalArgumentException("a shared hop is an address on at least two agents' routes");
            }
            byAgent = Collections.unmodifiableSortedMap(new TreeMap<>(byAgent));
        }

        /** {@code b}'s RTT minus {@code a}'s at this address, when both are known. */
        public Optional<Double> rttDifferenceMs(String a, String b) {
            HopAt ha = byAgent.get(a);
            HopAt hb = byAgent.get(b);
            if (ha == null || hb == null || ha.rttMs() == null || hb.rttMs() == null) {
                return Optional.empty();
            }
            return Optional.of(hb.rttMs() - ha.rttMs());
        }

        /** The largest minus the smallest known RTT at this address, when at least two are known. */
        public Optional<Double> rttSpreadMs() {
            List<Double> known = new ArrayList<>();
            byAgent.values().stream().map(HopAt::rttMs).filter(r -> r != null).forEach(known::add);
            if (known.size() < 2) {
                return Optional.empty();
            }
            return Optional.of(Collections.max(known) - Collections.min(known));
        }
    }

    /**
     * The hop from which all compared routes coincide through to their ends.
     *
     * @param hop     the joining hop (known, the same on every route)
     * @param ttlByAgent the TTL of that hop on each agent's route
     */
    public record Convergence(RouteHop hop, SortedMap<String, Integer> ttlByAgent) {
        public Convergence {
            if (hop == null || hop.isSilent() || ttlByAgent == null || ttlByAgent.size() < 2) {
                throw new IllegalArgumentException("routes converge at a known hop of at least two routes");
            }
            ttlByAgent = Collections.unmodifiableSortedMap(new TreeMap<>(ttlByAgent));
        }

        /** The TTL of the joining hop on one agent's route. */
        public int ttl(String agentId) {
            Integer t = ttlByAgent.get(agentId);
            if (t == null) {
                throw new IllegalArgumentException(agentId + " is not among the converging routes "
                        + ttlByAgent.keySet());
            }
            return t;
        }
    }
}
