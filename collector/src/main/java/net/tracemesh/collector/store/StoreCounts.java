package net.tracemesh.collector.store;

/** Row counts of the store's tables. */
public record StoreCounts(long appliedTraces, long hops, long nodes, long nodeAgents, long links, long linkAgents,
                          long currentRoutes, long routePeriods, long routeChanges) {
}
