package net.tracemesh.collector.query;

import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import net.tracemesh.measurement.Ipv4Prefix;

/**
 * Which part of the merged graph to take out.
 *
 * @param agents       the vantage points whose observations count; empty means all
 * @param destinations when not null, only the nodes on routes toward destinations in this prefix (a /32 is one
 *                     destination), plus the agents that traced them
 * @param from         the window's start: nodes and links last seen before it are left out; null for no bound
 * @param to           the window's end: nodes and links first seen after it are left out; null for no bound
 * @param nodeLimit    the most nodes to return, 1..{@value #MAX_NODE_LIMIT}
 */
public record SubgraphFilter(Set<String> agents, Ipv4Prefix destinations, Instant from, Instant to, int nodeLimit) {
    /** The largest node limit a query accepts. */
    public static final int MAX_NODE_LIMIT = 100_000;
    /** The node limit of {@link #everything()}. */
    public static final int DEFAULT_NODE_LIMIT = 10_000;

    public SubgraphFilter {
        if (agents == null) {
            throw new IllegalArgumentException("the agent set is missing (use an empty set for all agents)");
        }
        SortedSet<String> sorted = new TreeSet<>();
        for (String a : agents) {
            if (a == null || a.isBlank()) {
                throw new IllegalArgumentException("an agent id in the filter is empty");
            }
            sorted.add(a);
        }
        agents = Collections.unmodifiableSortedSet(sorted);
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("the window starts (" + from + ") after it ends (" + to + ")");
        }
        if (nodeLimit < 1 || nodeLimit > MAX_NODE_LIMIT) {
            throw new IllegalArgumentException("the node limit must be 1.." + MAX_NODE_LIMIT + ", got " + nodeLimit);
        }
    }

    /** Every agent, every destination, all time, up to {@value #DEFAULT_NODE_LIMIT} nodes. */
    public static SubgraphFilter everything() {
        return new SubgraphFilter(Set.of(), null, null, null, DEFAULT_NODE_LIMIT);
    }

    public SubgraphFilter withAgents(Set<String> chosen) {
        return new SubgraphFilter(chosen, destinations, from, to, nodeLimit);
    }

    public SubgraphFilter withDestinations(Ipv4Prefix prefix) {
        return new SubgraphFilter(agents, prefix, from, to, nodeLimit);
    }

    public SubgraphFilter between(Instant start, Instant end) {
        return new SubgraphFilter(agents, destinations, start, end, nodeLimit);
    }

    public SubgraphFilter limitedTo(int nodes) {
        return new SubgraphFilter(agents, destinations, from, to, nodes);
    }

    /** Whether every agent counts. */
    public boolean allAgents() {
        return agents.isEmpty();
    }

    /** Whether this is the map's default view at some limit: every agent, any time, no destination prefix. */
    public boolean wholeGraph() {
        return allAgents() && from == null && to == null && destinations == null;
    }
}
