package net.tracemesh.collector.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.LinkObservation;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.NodeObservation;
import net.tracemesh.collector.topology.PlaceholderRuns;
import net.tracemesh.collector.topology.TraceMerger;
import net.tracemesh.collector.topology.TraceObservations;

/**
 * Traces gathered for one {@link CollectorStore#applyAll(TraceBatch)}. Each trace is merged into its graph
 * observations as it is added, and those are summed into the batch's graph rows at once: the part of applying that
 * needs no database is done by the thread that gathers the batch, while the store writes the previous one.
 *
 * <p>A trace whose key the batch holds already is left out, as the store leaves out traces applied before. Not
 * thread-safe: one thread adds traces, then hands the batch to the store and adds no more.
 */
public final class TraceBatch {
    private static final TraceMerger MERGER = new TraceMerger();

    private final Map<TraceKey, Merged> traces = new LinkedHashMap<>();
    private final GraphBatch graph = new GraphBatch();
    /** The address index's rows of all the batch's traces, once {@link #prepareForStore} or the store made them. */
    private List<AddressTraceLists.Row> addressRows;

    /**
     * A trace as the batch keeps it: its row without its hop records as objects ({@link StoredTrace}), its
     * placeholders as its row keeps them ({@link Placeholders}), its route ({@link Route#of}: empty without
     * its completion) and its replying addresses at their smallest TTLs ({@link AddressTraceLists#smallestTtls}), all
     * made by the thread that gathers the batch. Its observations are not kept: they are in the batch's sums, and a
     * batch holds tens of thousands of traces.
     */
    record Merged(StoredTrace trace, Placeholders placeholders, Optional<Route> route, long[] smallestTtls) {
        static Merged of(AssembledTrace trace, TraceObservations observations) {
            return new Merged(StoredTrace.of(trace), Placeholders.of(observations), Route.of(trace),
                    AddressTraceLists.smallestTtls(trace.hops()));
        }
    }

    /**
     * A trace's placeholders as its row keeps them: its placeholder links encoded by {@link PlaceholderLinksCodec}
     * (null when it has none), how many placeholders and links that is, and how many of the placeholders connect
     * nodes ({@link PlaceholderRuns#connecting}), for the tally.
     */
    record Placeholders(byte[] links, int placeholderCount, int linkCount, int connecting) {
        static final Placeholders NONE = new Placeholders(null, 0, 0, 0);

        static Placeholders of(TraceObservations observations) {
            byte[] links = PlaceholderLinksCodec.encode(observations.trace(), observations.observedAt(),
                    observations.links());
            if (links == null) {
                return NONE;
            }
            int placeholders = 0;
            for (NodeObservation n : observations.nodes()) {
                placeholders += n.node().kind() == NodeKind.ANONYMOUS ? 1 : 0;
            }
            int linkCount = 0;
            for (LinkObservation l : observations.links()) {
                linkCount += l.kind() == LinkKind.PLACEHOLDER ? 1 : 0;
            }
            return new Placeholders(links, placeholders, linkCount, PlaceholderRuns.connecting(observations));
        }
    }

    /**
     * Adds a trace, merged by a {@link TraceMerger}.
     *
     * @return false, with nothing added, if the batch holds a trace with the same key
     */
    public boolean add(AssembledTrace trace) {
        if (trace == null) {
            throw new IllegalArgumentException("a null trace in the batch");
        }
        return !traces.containsKey(trace.key()) && add(trace, MERGER.merge(trace));
    }

    /** Adds a trace with its observations, unless the batch holds a trace with the same key. */
    boolean add(AssembledTrace trace, TraceObservations observations) {
        if (addressRows != null) {
            throw new IllegalStateException("the batch was prepared for the store: no trace can be added");
        }
        if (!observations.trace().equals(trace.key())) {
            throw new IllegalArgumentException("observations of " + observations.trace() + " given for trace "
                    + trace.key());
        }
        if (traces.containsKey(trace.key())) {
            return false;
        }
        graph.add(observations); // refuses too once the sums are in key order
        traces.put(trace.key(), Merged.of(trace, observations));
        return true;
    }

    /**
     * The batch without the traces of {@code keys}, merged and summed again: for a batch some of whose traces were
     * applied before. (A batch of one trace, the only kind given its observations, never needs this: its trace is
     * new or nothing is.)
     */
    TraceBatch without(Set<TraceKey> keys) {
        TraceBatch rest = new TraceBatch();
        for (Merged m : traces.values()) {
            if (!keys.contains(m.trace().key())) {
                rest.graph.add(MERGER.merge(m.trace().assembled()));
                rest.traces.put(m.trace().key(), m);
            }
        }
        return rest;
    }

    /**
     * Does now, on the calling thread, the work the store would otherwise do first when it applies the batch
     * (putting the graph sums in the order of the tables' keys, and gathering the address index's rows). For a
     * thread that gathered the batch and has to wait for the store anyway; no trace can be added afterwards.
     */
    public void prepareForStore() {
        graph.inKeyOrder();
        addressRows();
    }

    /**
     * The address index's rows of all the batch's traces ({@link AddressTraceLists#rowsOf}); no trace can be added
     * afterwards.
     */
    List<AddressTraceLists.Row> addressRows() {
        if (addressRows == null) {
            addressRows = AddressTraceLists.rowsOf(traces.values());
        }
        return addressRows;
    }

    /** How many distinct traces the batch holds. */
    public int size() {
        return traces.size();
    }

    public boolean isEmpty() {
        return traces.isEmpty();
    }

    /** The batch's traces, in the order they were added. */
    List<Merged> merged() {
        return new ArrayList<>(traces.values());
    }

    /** The sums of all the batch's observations. */
    GraphBatch graph() {
        return graph;
    }
}
