package net.tracemesh.collector.store;

/**
 * Row counts of the store's tables; {@code hops} counts the hop records kept (those of traces not pruned yet) and
 * {@code traceAddresses} the entries of the address index (one per distinct replying address of each trace whose hop
 * records are kept). {@code nodeAgents} and {@code linkAgents} count the pairs of a node or link and a vantage point
 * that saw it: the per-agent rows, and a pair for each placeholder and each link of one, which have no such row
 * (their trace's agent alone saw them).
 */
public record StoreCounts(long appliedTraces, long hops, long traceAddresses, long nodes, long nodeAgents, long links, long linkAgents,
                          long currentRoutes, long routePeriods, long routeChanges) {
}
