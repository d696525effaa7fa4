package net.tracemesh.collector.query;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.NodeId;

/**
 * A part of the merged graph chosen by a {@link SubgraphFilter}: nodes and the links among them, as stored (their
 * statistics and vantage points are those of the whole graph, not only of the filter's agents or window).
 *
 * @param filter       what was asked for
 * @param nodes        the nodes, in {@link NodeId} order
 * @param links        the links whose two ends are both among {@code nodes}, in link order
 * @param matchedNodes how many nodes matched the filter before the node limit; more than {@code nodes.size()}
 *                     exactly when the result was truncated
 */
public record Subgraph(SubgraphFilter filter, List<NodeSummary> nodes, List<LinkSummary> links, int matchedNodes) {
    public Subgraph {
        if (filter == null || nodes == null || links == null) {
            throw new IllegalArgumentException("filter, nodes and links of a subgraph are required");
        }
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
        Set<NodeId> ids = new HashSet<>();
        for (NodeSummary n : nodes) {
            if (!ids.add(n.id())) {
                throw new IllegalArgumentException("node " + n.id() + " is in the subgraph twice");
            }
        }
        for (LinkSummary l : links) {
            if (!ids.contains(l.id().from()) || !ids.contains(l.id().to())) {
                throw new IllegalArgumentException("link " + l.id() + " has an end outside the subgraph");
            }
        }
        if (nodes.size() > filter.nodeLimit() || matchedNodes < nodes.size()) {
            throw new IllegalArgumentException(nodes.size() + " nodes do not fit a limit of " + filter.nodeLimit()
                    + " and " + matchedNodes + " matched nodes");
        }
    }

    /** Whether nodes that matched were left out to keep within the node limit. */
    public boolean truncated() {
        return matchedNodes > nodes.size();
    }
}
