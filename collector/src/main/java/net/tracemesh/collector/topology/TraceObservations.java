package net.tracemesh.collector.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.measurement.MeasurementMethod;

/**
 * Everything one trace contributes to the topology graph, as small facts a store can upsert. Applying the
 * observations of one trace once — a store keeps the keys of the traces it applied — makes duplicates and replays
 * harmless.
 *
 * @param trace         the trace
 * @param measurementId its measurement
 * @param method        its method
 * @param src           source address of its probes
 * @param dst           its destination
 * @param observedAt    its start: the time of every observation
 * @param complete      whether the trace was complete (see {@code AssembledTrace#complete})
 * @param pathMtu       path MTU the trace found, else null
 * @param nodes         one observation per node, sorted by node
 * @param links         one observation per link, sorted by link
 */
public record TraceObservations(TraceKey trace, String measurementId, MeasurementMethod method, String src, String dst,
                                Instant observedAt, boolean complete, Integer pathMtu, List<NodeObservation> nodes,
                                List<LinkObservation> links) {
    public TraceObservations {
        if (trace == null || measurementId == null || method == null || src == null || dst == null
                || observedAt == null) {
            throw new IllegalArgumentException("trace, measurement, method, src, dst and time are required");
        }
        List<NodeObservation> n = new ArrayList<>(nodes);
        n.sort(Comparator.comparing(NodeObservation::node));
        for (int i = 1; i < n.size(); i++) {
            if (n.get(i).node().equals(n.get(i - 1).node())) {
                throw new IllegalArgumentException("node " + n.get(i).node() + " is observed twice");
            }
        }
        List<LinkObservation> l = new ArrayList<>(links);
        l.sort(Comparator.comparing(LinkObservation::id));
        for (int i = 1; i < l.size(); i++) {
            if (l.get(i).id().equals(l.get(i - 1).id())) {
                throw new IllegalArgumentException("link " + l.get(i).id() + " is observed twice");
            }
        }
        nodes = List.copyOf(n);
        links = List.copyOf(l);
    }

    /** The observation of {@code node}, if this trace saw it. */
    public Optional<NodeObservation> node(NodeId node) {
        return nodes.stream().filter(o -> o.node().equals(node)).findFirst();
    }

    /** The observations of links from {@code from} to {@code to} (of any kind). */
    public List<LinkObservation> links(NodeId from, NodeId to) {
        return links.stream().filter(o -> o.from().equals(from) && o.to().equals(to)).toList();
    }
}
