package net.tracemesh.collector.store;

import static net.tracemesh.collector.fixture.TraceScript.T0;
import static net.tracemesh.measurement.MeasurementMethod.UDP_PARIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TestGraph;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.collector.history.CurrentRoute;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteChangeEvent;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.history.RouteObservation;
import net.tracemesh.collector.history.RouteTracker;
import net.tracemesh.collector.query.Subgraph;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.collector.query.TraceRef;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.ReplyType;
import net.tracemesh.collector.topology.TraceMerger;
import net.tracemesh.collector.topology.TraceObservations;
import net.tracemesh.measurement.Ipv4Prefix;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.record.StopReason;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.UnreachableCode;
import org.junit.jupiter.api.Test;

/**
 * What every store backend must do the same way; {@link EmbeddedCollectorStoreTest} runs it on H2 and
 * {@link PostgresCollectorStoreTest} on PostgreSQL.
 */
abstract class CollectorStoreContract {
    static final String A = "198.18.0.1";
    static final String B = "198.18.0.2";
    static final String C = "198.18.0.3";
    static final String D = "198.18.0.4";
    static final String DST = "198.18.9.9";
    static final RouteKey FRA1 = new RouteKey("fra1", DST, UDP_PARIS);
    static final TraceMerger MERGER = new TraceMerger();

    /** The backend the tests of this run open their stores in. */
    abstract StoreBackend backend();

    CollectorStore open(String name) {
        return backend().open(name);
    }

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static TraceScript trace(String agent, String id, int minutes) {
        return TraceScript.trace(UDP_PARIS, agent, DST).id(id).start(at(minutes));
    }

    static AssembledTrace assemble(TraceScript script) {
        return Feed.assemble(script.build());
    }

    static boolean apply(CollectorStore store, AssembledTrace t) {
        return store.apply(t, MERGER.merge(t));
    }

    /** Two agents, a shared hop, a silent hop, MPLS and a route change of fra1 at minute 10. */
    static List<AssembledTrace> stream() {
        List<AssembledTrace> s = new ArrayList<>();
        s.add(assemble(trace("fra1", "f-1", 0).hop(A).hop(B).mpls(new MplsLabel(16001, 0, true, 1)).destination()));
        s.add(assemble(trace("ams1", "a-1", 1).hop(C).hop(B).rtt(5.0).destination()));
        s.add(assemble(trace("fra1", "f-2", 5).hop(A).silent().destination()));
        s.add(assemble(trace("ams1", "a-2", 6).hop(C).silent().silent().destination()));
        s.add(assemble(trace("fra1", "f-3", 10).hop(A).hop(D).destination()));
        s.add(assemble(trace("fra1", "f-4", 15).hop(A).hop(D).rtt(0.5).destination()));
        return s;
    }

    @Test
    void aBatchGatheredApartAppliesAsItsTracesDoAndOnce() {
        List<AssembledTrace> traces = stream();
        TraceBatch batch = new TraceBatch();
        for (AssembledTrace t : traces) {
            assertThat(batch.add(t)).isTrue();
        }
        assertThat(batch.add(traces.get(2))).as("a repeat within the batch").isFalse();
        assertThat(batch.size()).isEqualTo(traces.size());
        // the gathering thread prepares it while the store writes the previous one: then it takes no more traces
        batch.prepareForStore();
        assertThatThrownBy(() -> batch.add(assemble(trace("fra1", "f-9", 20).hop(A).destination())))
                .isInstanceOf(IllegalStateException.class);
        assertThat(batch.size()).isEqualTo(traces.size());
        List<NodeSummary> nodes;
        List<LinkSummary> links;
        StoreCounts counts;
        List<TraceRef> throughA;
        try (CollectorStore listed = open("listed")) {
            assertThat(listed.applyAll(traces)).isEqualTo(traces.size());
            nodes = listed.nodes();
            links = listed.links();
            counts = listed.counts();
            throughA = new TopologyQueries(listed.readDataSource()).tracesThrough(Ipv4Prefix.parse(A), at(0), at(60),
                    100);
        }
        try (CollectorStore gathered = open("gathered")) {
            assertThat(gathered.applyAll(batch)).isEqualTo(traces.size());
            assertThat(gathered.applyAll(batch)).as("every trace applied before").isZero();
            assertThat(gathered.nodes()).isEqualTo(nodes);
            assertThat(gathered.links()).isEqualTo(links);
            assertThat(gathered.counts()).isEqualTo(counts);
            assertThat(gathered.routePeriods(FRA1)).hasSize(2);
            assertThat(new TopologyQueries(gathered.readDataSource()).tracesThrough(Ipv4Prefix.parse(A), at(0),
                    at(60), 100)).isEqualTo(throughA).hasSize(4);
            assertThat(gathered.hops("fra1", "f-2")).isEqualTo(traces.get(2).hops());
        }
    }

    @Test
    void aPreparedBatchOfWhichSomeTracesWereAppliedWritesTheOthersOnly() {
        List<AssembledTrace> traces = stream();
        TraceBatch batch = new TraceBatch();
        traces.forEach(batch::add);
        batch.prepareForStore();
        StoreCounts counts;
        try (CollectorStore listed = open("replayedlisted")) {
            listed.applyAll(traces);
            counts = listed.counts();
        }
        try (CollectorStore replayed = open("replayed")) {
            assertThat(replayed.applyAll(traces.subList(0, 2))).isEqualTo(2);
            assertThat(replayed.applyAll(batch)).isEqualTo(traces.size() - 2);
            assertThat(replayed.counts()).isEqualTo(counts);
        }
    }

    @Test
    void appliedTracesMergeIntoNodesLinksAndRttStatistics() {
        List<AssembledTrace> traces = stream();
        TestGraph expected = new TestGraph();
        try (CollectorStore store = open("main")) {
            for (AssembledTrace t : traces) {
                assertThat(apply(store, t)).isTrue();
                expected.apply(MERGER.merge(t));
            }

            // every node and link with the observations and vantage points an in-memory graph counts
            assertThat(store.nodes()).extracting(NodeSummary::id)
                    .containsExactlyElementsOf(expected.nodeCounts.keySet());
            for (NodeSummary n : store.nodes()) {
                assertThat(n.observations()).as("%s", n.id()).isEqualTo((long) expected.nodeCounts.get(n.id()));
                assertThat(n.agents().keySet()).as("%s", n.id()).isEqualTo(expected.nodeAgents.get(n.id()));
            }
            assertThat(store.links()).extracting(LinkSummary::id)
                    .containsExactlyElementsOf(expected.linkCounts.keySet());
            for (LinkSummary l : store.links()) {
                assertThat(l.observations()).as("%s", l.id()).isEqualTo((long) expected.linkCounts.get(l.id()));
                assertThat(l.agents().keySet()).as("%s", l.id()).isEqualTo(expected.linkAgents.get(l.id()));
            }

            // B: 3 replies from fra1 at TTL 2 (2.0, 2.1, 2.2 ms) and 3 from ams1 at 5 ms
            NodeSummary b = store.node(NodeId.address(B)).orElseThrow();
            assertThat(b.observations()).isEqualTo(2);
            assertThat(b.agents()).containsExactly(Map.entry("ams1", 1L), Map.entry("fra1", 1L));
            assertThat(b.firstSeen()).isEqualTo(at(0));
            assertThat(b.lastSeen()).isEqualTo(at(1));
            assertThat(b.destination()).isFalse();
            RttSummary rtt = b.rtt();
            assertThat(rtt.count()).isEqualTo(6);
            assertThat(rtt.minMs()).isEqualTo(2.0);
            assertThat(rtt.maxMs()).isEqualTo(5.0);
            assertThat(rtt.lastMs()).isEqualTo(5.0);
            assertThat(rtt.meanMs()).isCloseTo((2.0 + 2.1 + 2.2 + 15) / 6, within(1e-9));
            assertThat(b.replyTypes()).containsExactly(ReplyType.icmp(IcmpType.TIME_EXCEEDED, 0));
            assertThat(b.mplsStacks()).containsExactly(List.of(new MplsLabel(16001, 0, true, 1)));

            NodeSummary dst = store.node(NodeId.address(DST)).orElseThrow();
            assertThat(dst.destination()).isTrue();
            assertThat(dst.observations()).isEqualTo(6);
            assertThat(dst.replyTypes()).containsExactly(
                    ReplyType.icmp(IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.PORT));
            assertThat(store.node(NodeId.agent("fra1")).orElseThrow().rtt().isEmpty()).isTrue();

            // a link's RTTs are its far end's replies: the destination at TTL 3 (3.0, 3.1, 3.2 ms) in both traces
            LinkSummary bDst = store.link(new LinkId(NodeId.address(B), NodeId.address(DST), LinkKind.DIRECT))
                    .orElseThrow();
            assertThat(bDst.observations()).isEqualTo(2);
            assertThat(bDst.agents()).containsExactly(Map.entry("ams1", 1L), Map.entry("fra1", 1L));
            assertThat(bDst.rtt().count()).isEqualTo(6);
            assertThat(bDst.rtt().minMs()).isEqualTo(3.0);
            assertThat(bDst.minGap()).isZero();
            assertThat(bDst.ambiguousObservations()).isZero();

            // ams1 crossed two silent TTLs from C to the destination: an indirect link with gap 2
            LinkSummary indirect = store.link(new LinkId(NodeId.address(C), NodeId.address(DST),
                    LinkKind.INDIRECT)).orElseThrow();
            assertThat(indirect.minGap()).isEqualTo(2);
            assertThat(indirect.maxGap()).isEqualTo(2);
            assertThat(store.node(NodeId.anonymous(new TraceKey("ams1", "a-2"), 3))).isPresent();

            StoreCounts counts = store.counts();
            assertThat(counts.appliedTraces()).isEqualTo(6);
            assertThat(counts.hops()).isEqualTo(traces.stream().mapToLong(t -> t.hops().size()).sum());
            assertThat(counts.currentRoutes()).isEqualTo(2);
        }
    }

    @Test
    void applyingTheSameTraceTwiceChangesNothing() {
        try (CollectorStore store = open("main")) {
            List<AssembledTrace> traces = stream();
            traces.forEach(t -> apply(store, t));
            StoreCounts counts = store.counts();
            List<NodeSummary> nodes = store.nodes();
            List<LinkSummary> links = store.links();
            Map<RouteKey, CurrentRoute> routes = store.loadCurrentRoutes();
            List<RoutePeriod> periods = store.routePeriods(FRA1);

            for (AssembledTrace t : traces) {
                assertThat(apply(store, t)).as("%s", t.key()).isFalse();
            }

            assertThat(store.counts()).isEqualTo(counts);
            assertThat(store.nodes()).isEqualTo(nodes);
            assertThat(store.links()).isEqualTo(links);
            assertThat(store.loadCurrentRoutes()).isEqualTo(routes);
            assertThat(store.routePeriods(FRA1)).isEqualTo(periods);
            assertThat(store.applied("fra1", "f-1")).isTrue();
            assertThat(store.applied("fra1", "nope")).isFalse();
        }
    }

    @Test
    void replayingTheStreamIntoAFreshStoreGivesTheSameGraphInAnyOrder() {
        List<AssembledTrace> traces = stream();
        List<NodeSummary> nodes;
        List<LinkSummary> links;
        List<RouteChangeEvent> changes;
        try (CollectorStore first = open("first")) {
            traces.forEach(t -> apply(first, t));
            nodes = first.nodes();
            links = first.links();
            changes = first.routeChanges(FRA1);
        }
        try (CollectorStore replay = open("replay")) {
            traces.forEach(t -> apply(replay, t));
            assertThat(replay.nodes()).isEqualTo(nodes);
            assertThat(replay.links()).isEqualTo(links);
            assertThat(replay.routeChanges(FRA1)).isEqualTo(changes);
        }
        List<AssembledTrace> shuffled = new ArrayList<>(traces);
        Collections.shuffle(shuffled, new Random(7));
        try (CollectorStore other = open("shuffled")) {
            shuffled.forEach(t -> apply(other, t));
            assertThat(other.nodes()).isEqualTo(nodes);
            assertThat(other.links()).isEqualTo(links);
        }
    }

    @Test
    void aReopenedStoreResumesRouteHistoryAndRecordsTheNextChange() {
        RouteTracker before = new RouteTracker();
        try (CollectorStore store = open("data")) {
            for (int minutes : new int[] {0, 5, 10}) {
                AssembledTrace t = assemble(trace("fra1", "f-" + minutes, minutes).hop(A).hop(B).destination());
                apply(store, t);
                before.observe(t);
            }
        }

        RouteTracker after;
        RouteObservation expected;
        try (CollectorStore store = open("data")) {
            Map<RouteKey, CurrentRoute> loaded = store.loadCurrentRoutes();
            assertThat(loaded).isEqualTo(before.snapshot());
            assertThat(loaded.get(FRA1)).isEqualTo(new CurrentRoute(Route.of(StopReason.COMPLETED, null, A, B, DST),
                    at(0), at(10), 3));
            after = new RouteTracker(loaded);

            AssembledTrace changed = assemble(trace("fra1", "f-15", 15).hop(A).hop(D).destination());
            expected = after.observe(changed).orElseThrow();
            assertThat(apply(store, changed)).isTrue();

            assertThat(expected).isInstanceOf(RouteObservation.Changed.class);
            List<RouteChangeEvent> changes = store.routeChanges(FRA1);
            assertThat(changes).containsExactly(((RouteObservation.Changed) expected).event());
            RouteChangeEvent e = changes.get(0);
            assertThat(e.divergenceTtl()).isEqualTo(2);
            assertThat(e.divergence().lastCommonTtl()).isEqualTo(1);
            assertThat(e.divergence().lastCommonHop()).isEqualTo(RouteHop.of(A));
            assertThat(e.oldFirstSeen()).isEqualTo(at(0));
            assertThat(e.oldLastSeen()).isEqualTo(at(10));
            assertThat(e.time()).isEqualTo(at(15));
            assertThat(store.routePeriods(FRA1)).extracting(RoutePeriod::number, RoutePeriod::firstSeen,
                    RoutePeriod::lastSeen, RoutePeriod::observations)
                    .containsExactly(tuple(1, at(0), at(10), 3L),
                            tuple(2, at(15), at(15), 1L));
            assertThat(store.loadCurrentRoutes()).isEqualTo(after.snapshot());
        }
    }

    @Test
    void aStaleRouteDoesNotRewriteHistory() {
        try (CollectorStore store = open("main")) {
            apply(store, assemble(trace("fra1", "f-10", 10).hop(A).hop(B).destination()));
            apply(store, assemble(trace("fra1", "f-0", 0).hop(A).hop(D).destination()));

            assertThat(store.routeChanges(FRA1)).isEmpty();
            assertThat(store.loadCurrentRoutes().get(FRA1).firstSeen()).isEqualTo(at(10));
            // the graph still takes the late trace
            assertThat(store.node(NodeId.address(D))).isPresent();
        }
    }


    @Test
    void aBatchGivesTheGraphAndHistoryThatTracesOneByOneGive() {
        List<AssembledTrace> traces = stream();
        List<NodeSummary> nodes;
        List<LinkSummary> links;
        List<RoutePeriod> periods;
        List<RouteChangeEvent> changes;
        StoreCounts counts;
        try (CollectorStore single = open("single")) {
            traces.forEach(t -> apply(single, t));
            nodes = single.nodes();
            links = single.links();
            periods = single.routePeriods(FRA1);
            changes = single.routeChanges(FRA1);
            counts = single.counts();
        }
        try (CollectorStore batched = open("batched")) {
            // in two batches, the second repeating a trace of the first and one of its own
            List<AssembledTrace> second = new ArrayList<>(traces.subList(3, traces.size()));
            second.add(traces.get(0));
            second.add(traces.get(4));
            assertThat(batched.applyAll(traces.subList(0, 3))).isEqualTo(3);
            assertThat(batched.applyAll(second)).isEqualTo(traces.size() - 3);
            assertThat(batched.applyAll(traces)).isZero();
            assertThat(batched.nodes()).isEqualTo(nodes);
            assertThat(batched.links()).isEqualTo(links);
            assertThat(batched.routePeriods(FRA1)).isEqualTo(periods);
            assertThat(batched.routeChanges(FRA1)).isEqualTo(changes);
            assertThat(batched.counts()).isEqualTo(counts);
        }
        try (CollectorStore whole = open("whole")) {
            List<AssembledTrace> shuffled = new ArrayList<>(traces);
            Collections.shuffle(shuffled, new Random(3));
            // one batch in any order: routes are taken in order of time within it
            assertThat(whole.applyAll(shuffled)).isEqualTo(traces.size());
            assertThat(whole.nodes()).isEqualTo(nodes);
            assertThat(whole.links()).isEqualTo(links);
            assertThat(whole.routePeriods(FRA1)).isEqualTo(periods);
            assertThat(whole.routeChanges(FRA1)).isEqualTo(changes);
        }
    }

    @Test
    void hopRecordsAreKeptUntilRetentionPrunesThemAndTheSummariesStay() {
        List<AssembledTrace> traces = stream();
        try (CollectorStore store = open("retention")) {
            store.applyAll(traces);
            AssembledTrace first = traces.get(0);
            assertThat(store.hops(first.agentId(), first.traceId())).isEqualTo(first.hops());
            List<NodeSummary> nodes = store.nodes();
            List<LinkSummary> links = store.links();
            List<RoutePeriod> periods = store.routePeriods(FRA1);
            StoreCounts before = store.counts();

            // traces started before minute 6: f-1, a-1, f-2
            int pruned = store.pruneHopsBefore(at(6));
            assertThat(pruned).isEqualTo(3);
            assertThat(store.hops(first.agentId(), first.traceId())).isEmpty();
            AssembledTrace kept = traces.get(3);
            assertThat(store.hops(kept.agentId(), kept.traceId())).isEqualTo(kept.hops());
            StoreCounts after = store.counts();
            assertThat(after.hops()).isEqualTo(traces.subList(3, traces.size()).stream()
                    .mapToLong(t -> t.hops().size()).sum());
            // the address index keeps the kept traces' addresses only, in lists that straddled the cutoff too
            assertThat(after.traceAddresses()).isLessThan(before.traceAddresses())
                    .isEqualTo(traces.subList(3, traces.size()).stream()
                            .mapToLong(t -> t.hops().stream().map(HopRecord::addr).distinct().count()).sum());
            TopologyQueries queries = new TopologyQueries(store.readDataSource());
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), at(0), at(60), 100))
                    .extracting(TraceRef::traceId).containsExactly("f-3", "f-4");
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(B), at(0), at(60), 100)).isEmpty();
            assertThat(after.appliedTraces()).isEqualTo(before.appliedTraces());
            assertThat(store.nodes()).isEqualTo(nodes);
            assertThat(store.links()).isEqualTo(links);
            assertThat(store.routePeriods(FRA1)).isEqualTo(periods);
            // pruned traces are still known: a replay of them changes nothing
            assertThat(store.applyAll(traces)).isZero();
            assertThat(store.pruneHopsBefore(at(6))).isZero();
        }
    }

    @Test
    void anAddressIndexOfARowPerTraceBecomesListsWhenMigrated() throws SQLException {
        List<AssembledTrace> traces = stream();
        Ipv4Prefix prefix = Ipv4Prefix.parse("198.18.0.0/24");
        List<TraceRef> throughA;
        List<TraceRef> throughPrefix;
        StoreCounts counts;
        try (CollectorStore store = open("schema4")) {
            store.applyAll(traces);
            TopologyQueries queries = new TopologyQueries(store.readDataSource());
            throughA = queries.tracesThrough(Ipv4Prefix.parse(A), at(0), at(60), 100);
            throughPrefix = queries.tracesThrough(prefix, at(0), at(60), 100);
            counts = store.counts();
        }
        assertThat(throughA).extracting(TraceRef::traceId).containsExactly("f-1", "f-2", "f-3", "f-4");
        assertThat(throughPrefix).hasSize(traces.size());
        try (Connection c = backend().connect("schema4")) {
            backToSchema4(c);
        }
        try (CollectorStore store = open("schema4")) {
            assertThat(store.counts()).isEqualTo(counts);
            TopologyQueries queries = new TopologyQueries(store.readDataSource());
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), at(0), at(60), 100)).isEqualTo(throughA);
            assertThat(queries.tracesThrough(prefix, at(0), at(60), 100)).isEqualTo(throughPrefix);
        }
        try (Connection c = backend().connect("schema4"); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT COUNT(*) FROM trace_addresses"))
                    .as("the old index is dropped").isInstanceOf(SQLException.class);
        }
    }

    @Test
    void tracesThroughAnAddressComeOldestFirstFromListsOfManyBatchesAndHours() {
        List<AssembledTrace> traces = new ArrayList<>(stream());
        // an hour later: a list of its own hour
        traces.add(assemble(trace("fra1", "f-5", 70).hop(A).hop(D).destination()));
        try (CollectorStore store = open("lists")) {
            // newest first, one batch each: every address gets a list per trace, written out of time order
            List<AssembledTrace> newestFirst = new ArrayList<>(traces);
            Collections.reverse(newestFirst);
            for (AssembledTrace t : newestFirst) {
                assertThat(store.applyAll(List.of(t))).isOne();
            }
            TopologyQueries queries = new TopologyQueries(store.readDataSource());
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), at(0), at(90), 100))
                    .extracting(TraceRef::traceId).containsExactly("f-1", "f-2", "f-3", "f-4", "f-5");
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), at(0), at(90), 2))
                    .extracting(TraceRef::traceId).containsExactly("f-1", "f-2");
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), at(5), at(15), 2))
                    .extracting(TraceRef::traceId).containsExactly("f-2", "f-3");
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), at(61), at(90), 10))
                    .extracting(TraceRef::traceId).containsExactly("f-5");
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(D), at(0), at(69), 10))
                    .extracting(TraceRef::traceId).containsExactly("f-3", "f-4");
            // a prefix: each trace once, at its nearest address (A at TTL 1 for fra1, C for ams1), oldest first
            assertThat(queries.tracesThrough(Ipv4Prefix.parse("198.18.0.0/29"), at(0), at(90), 3))
                    .extracting(TraceRef::traceId, TraceRef::address, TraceRef::ttl)
                    .containsExactly(tuple("f-1", A, 1), tuple("a-1", C, 1), tuple("f-2", A, 1));
        }
    }

    @Test
    void aTraceOfAnyYearAMessageMayCarryIsIndexedByItsAddresses() {
        Instant old = Instant.parse("1969-07-20T20:17:40.123456789Z");
        Instant rounded = Instant.parse("1969-07-20T20:17:40.123457Z");
        AssembledTrace before1970 = assemble(TraceScript.trace(UDP_PARIS, "fra1", DST).id("f-1969").start(old)
                .hop(A).destination());
        AssembledTrace far = assemble(TraceScript.trace(UDP_PARIS, "fra1", DST).id("f-9999")
                .start(Instant.parse("9999-12-31T22:00:00Z")).hop(A).destination());
        try (CollectorStore store = open("years")) {
            assertThat(store.applyAll(List.of(before1970, far))).isEqualTo(2);
            TopologyQueries queries = new TopologyQueries(store.readDataSource());
            List<TraceRef> found = queries.tracesThrough(Ipv4Prefix.parse(A), old.minusSeconds(60),
                    old.plusSeconds(60), 10);
            assertThat(found).extracting(TraceRef::traceId, TraceRef::started)
                    .containsExactly(tuple("f-1969", rounded));
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), Instant.parse("9999-12-31T00:00:00Z"),
                    Instant.parse("9999-12-31T23:00:00Z"), 10)).extracting(TraceRef::traceId).containsExactly("f-9999");
            assertThat(store.pruneHopsBefore(Instant.EPOCH)).isOne();
            assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), old.minusSeconds(60), old.plusSeconds(60), 10))
                    .isEmpty();
        }
    }

    @Test
    void thePerAgentRowsOfPlaceholdersAreDroppedWhenMigratedAndTheGraphReadsTheSame() throws SQLException {
        List<AssembledTrace> traces = stream();
        List<NodeSummary> nodes;
        List<LinkSummary> links;
        StoreCounts counts;
        try (CollectorStore store = open("schema5")) {
            store.applyAll(traces);
            nodes = store.nodes();
            links = store.links();
            counts = store.counts();
        }
        assertThat(nodes).filteredOn(n -> n.id().kind() == NodeKind.ANONYMOUS).hasSize(3);
        try (Connection c = backend().connect("schema5")) {
            backToSchema5(c);
            assertThat(rows(c, "node_agents WHERE node_kind = 'ANONYMOUS'")).isEqualTo(3);
            assertThat(rows(c, "link_agents WHERE link_kind = 'PLACEHOLDER'")).isEqualTo(5);
        }
        try (CollectorStore store = open("schema5")) {
            assertThat(store.nodes()).isEqualTo(nodes);
            assertThat(store.links()).isEqualTo(links);
            assertThat(store.counts()).isEqualTo(counts);
        }
        try (Connection c = backend().connect("schema5")) {
            assertThat(rows(c, "node_agents WHERE node_kind = 'ANONYMOUS'")).isZero();
            assertThat(rows(c, "link_agents WHERE link_kind = 'PLACEHOLDER'")).isZero();
        }
    }

    private static long rows(Connection c, String tableAndWhere) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + tableAndWhere)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void currentRoutesKeepOnlyTheirPeriodWhenMigratedAndReadTheSame() throws SQLException {
        List<AssembledTrace> traces = stream();
        Map<RouteKey, CurrentRoute> current;
        List<RoutePeriod> periods;
        try (CollectorStore store = open("schema8")) {
            store.applyAll(traces);
            current = store.loadCurrentRoutes();
            periods = store.routePeriods(FRA1);
        }
        assertThat(current).isNotEmpty();
        try (Connection c = backend().connect("schema8")) {
            backToSchema8(c);
            assertThat(rows(c, "current_routes WHERE route IS NOT NULL")).isEqualTo(current.size());
        }
        try (CollectorStore store = open("schema8")) {
            assertThat(store.loadCurrentRoutes()).isEqualTo(current);
            assertThat(store.routePeriods(FRA1)).isEqualTo(periods);
            // and the history goes on from the migrated rows
            assertThat(store.applyAll(List.of(assemble(trace("fra1", "f-9", 50).hop(A).hop(C).destination()))))
                    .isEqualTo(1);
            assertThat(store.routePeriods(FRA1)).hasSize(periods.size() + 1);
            assertThat(store.loadCurrentRoutes().get(FRA1).route())
                    .isEqualTo(store.routePeriods(FRA1).get(periods.size()).route());
        }
    }

    @Test
    void placeholdersMoveIntoTheirTracesRowsWhenMigratedAndTheGraphReadsTheSame() throws SQLException {
        List<AssembledTrace> traces = new ArrayList<>(stream());
        // three probes per TTL (each with an RTT of its own) after a silent TTL, two after two silent TTLs: the
        // placeholders' links keep every RTT
        traces.add(assemble(trace("ams1", "a-3", 20).probes(3).hop(C).silent().hop(B, B, B).rtt(7.25).destination()));
        traces.add(assemble(trace("lon1", "l-1", 21).probes(2).silent().silent().hop(D, D).rtt(3.5).destination()));
        List<NodeSummary> nodes;
        List<LinkSummary> links;
        StoreCounts counts;
        List<Subgraph> subgraphs = new ArrayList<>();
        List<SubgraphFilter> filters = List.of(
                new SubgraphFilter(Set.of(), null, null, null, 100),
                new SubgraphFilter(Set.of("ams1"), null, null, null, 100),
                new SubgraphFilter(Set.of(), Ipv4Prefix.parse("198.18.9.0/24"),
                        at(4), at(30), 100));
        try (CollectorStore store = open("schema9")) {
            store.applyAll(traces);
            nodes = store.nodes();
            links = store.links();
            counts = store.counts();
            TopologyQueries queries = new TopologyQueries(store.readDataSource());
            filters.forEach(f -> subgraphs.add(queries.subgraph(f)));
        }
        assertThat(nodes).filteredOn(n -> n.id().kind() == NodeKind.ANONYMOUS).hasSize(6);
        assertThat(links).filteredOn(l -> l.id().kind() == LinkKind.PLACEHOLDER)
                .filteredOn(l -> l.rtt().count() == 3).hasSize(3);
        assertThat(subgraphs).allSatisfy(g -> assertThat(g.nodes()).anyMatch(n -> n.id().kind() == NodeKind.ANONYMOUS));
        try (Connection c = backend().connect("schema9")) {
            backToSchema9(c);
            assertThat(rows(c, "nodes WHERE node_kind = 'ANONYMOUS'")).isEqualTo(6);
            assertThat(rows(c, "links WHERE link_kind = 'PLACEHOLDER'"))
                    .isEqualTo(counts.links() - rows(c, "links WHERE link_kind <> 'PLACEHOLDER'"));
        }
        try (CollectorStore store = open("schema9")) {
            assertThat(store.nodes()).isEqualTo(nodes);
            assertThat(store.links()).isEqualTo(links);
            assertThat(store.counts()).isEqualTo(counts);
            TopologyQueries queries = new TopologyQueries(store.readDataSource());
            for (int i = 0; i < filters.size(); i++) {
                assertThat(queries.subgraph(filters.get(i))).as("%s", filters.get(i)).isEqualTo(subgraphs.get(i));
            }
            // and traces applied after the migration are kept the same way
            assertThat(store.applyAll(List.of(assemble(trace("lon1", "l-2", 25).silent().hop(D).destination()))))
                    .isOne();
            assertThat(store.counts().nodes()).isEqualTo(counts.nodes() + 1);
        }
        try (Connection c = backend().connect("schema9")) {
            assertThat(rows(c, "nodes WHERE node_kind = 'ANONYMOUS'")).isZero();
            assertThat(rows(c, "links WHERE link_kind = 'PLACEHOLDER'")).isZero();
            assertThat(rows(c, "applied_traces WHERE placeholder_links IS NOT NULL")).isEqualTo(5);
        }
    }

    /**
     * Takes a store back to schema 9: a row in {@code nodes} for each placeholder and in {@code links} for each link
     * of one, as schema 9 wrote them, no placeholders in the traces' rows, a tally of connecting placeholders only,
     * and migration 10 to run.
     */
    static void backToSchema9(Connection c) throws SQLException {
        StoreDialect dialect = StoreDialect.of(c);
        List<TracePlaceholders> traces = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT " + TracePlaceholders.COLUMNS + " FROM applied_traces "
                     + "WHERE placeholder_links IS NOT NULL")) {
            while (r.next()) {
                traces.add(TracePlaceholders.read(r, dialect));
            }
        }
        try (PreparedStatement node = c.prepareStatement("INSERT INTO nodes (node_kind, node_key, first_seen, "
                + "last_seen, observations, destination, rtt, min_mtu, reply_types, mpls) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (TracePlaceholders t : traces) {
                for (NodeSummary n : t.nodeSummaries()) {
                    node.setString(1, n.id().kind().name());
                    node.setString(2, n.id().key());
                    dialect.setInstant(node, 3, n.firstSeen());
                    dialect.setInstant(node, 4, n.lastSeen());
                    node.setLong(5, n.observations());
                    node.setBoolean(6, n.destination());
                    ColumnCodec.setRtt(node, 7, n.rtt());
                    ColumnCodec.setInteger(node, 8, n.minMtu());
                    node.setString(9, ColumnCodec.replyTypes(n.replyTypes()));
                    node.setString(10, "");
                    node.executeUpdate();
                }
            }
        }
        try (PreparedStatement link = c.prepareStatement("INSERT INTO links (from_kind, from_key, to_kind, to_key, "
                + "link_kind, first_seen, last_seen, observations, ambiguous_observations, min_gap, max_gap, rtt, mtu) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (TracePlaceholders t : traces) {
                for (LinkSummary l : t.linkSummaries()) {
                    link.setString(1, l.id().from().kind().name());
                    link.setString(2, l.id().from().key());
                    link.setString(3, l.id().to().kind().name());
                    link.setString(4, l.id().to().key());
                    link.setString(5, l.id().kind().name());
                    dialect.setInstant(link, 6, l.firstSeen());
                    dialect.setInstant(link, 7, l.lastSeen());
                    link.setLong(8, l.observations());
                    link.setLong(9, l.ambiguousObservations());
                    link.setInt(10, l.minGap());
                    link.setInt(11, l.maxGap());
                    ColumnCodec.setRtt(link, 12, l.rtt());
                    ColumnCodec.setInteger(link, 13, l.mtu());
                    link.executeUpdate();
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE applied_traces DROP COLUMN placeholder_links");
            s.execute("DELETE FROM placeholder_tally WHERE connecting = 0");
            s.execute("ALTER TABLE placeholder_tally DROP COLUMN placeholders");
            s.execute("ALTER TABLE placeholder_tally DROP COLUMN placeholder_links");
            s.execute("DELETE FROM flyway_schema_history WHERE version = '10'");
        }
    }

    /**
     * Takes a store back to schema 8: its current routes with a copy of their period's route, times and count, as
     * schema 8 kept them, and migrations 9 and 10 to run.
     */
    static void backToSchema8(Connection c) throws SQLException {
        backToSchema9(c);
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE current_routes ADD COLUMN route VARCHAR(16384)");
            s.execute("ALTER TABLE current_routes ADD COLUMN first_seen TIMESTAMP WITH TIME ZONE");
            s.execute("ALTER TABLE current_routes ADD COLUMN last_seen TIMESTAMP WITH TIME ZONE");
            s.execute("ALTER TABLE current_routes ADD COLUMN observations BIGINT");
            for (String column : List.of("route", "first_seen", "last_seen", "observations")) {
                s.execute("UPDATE current_routes AS c SET " + column + " = (SELECT p." + column
                        + " FROM route_periods p "
                        + "WHERE p.agent_id = c.agent_id AND p.destination = c.destination AND p.method = c.method "
                        + "AND p.period_no = c.period_no)");
            }
            s.execute("DELETE FROM flyway_schema_history WHERE version = '9'");
        }
    }

    /**
     * Takes a store back to schema 5: a per-agent row for each placeholder and each link of one, as schema 5 wrote
     * them (those of the placeholder's own row), and migrations 6 to 10 to run.
     */
    static void backToSchema5(Connection c) throws SQLException {
        backToSchema8(c);
        try (Statement s = c.createStatement();
             PreparedStatement nodeAgent = c.prepareStatement("INSERT INTO node_agents (node_kind, node_key, "
                     + "agent_id, first_seen, last_seen, observations) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement linkAgent = c.prepareStatement("INSERT INTO link_agents (from_kind, from_key, "
                     + "to_kind, to_key, link_kind, agent_id, first_seen, last_seen, observations) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            try (ResultSet r = s.executeQuery("SELECT node_kind, node_key, first_seen, last_seen, observations "
                    + "FROM nodes WHERE node_kind = 'ANONYMOUS'")) {
                while (r.next()) {
                    NodeId id = ColumnCodec.nodeId(r, "node_kind", "node_key");
                    nodeAgent.setString(1, id.kind().name());
                    nodeAgent.setString(2, id.key());
                    nodeAgent.setString(3, id.placeholderAgent().orElseThrow());
                    nodeAgent.setObject(4, r.getObject("first_seen"));
                    nodeAgent.setObject(5, r.getObject("last_seen"));
                    nodeAgent.setLong(6, r.getLong("observations"));
                    nodeAgent.executeUpdate();
                }
            }
            try (ResultSet r = s.executeQuery("SELECT from_kind, from_key, to_kind, to_key, link_kind, first_seen, "
                    + "last_seen, observations FROM links WHERE link_kind = 'PLACEHOLDER'")) {
                while (r.next()) {
                    LinkId id = ColumnCodec.linkId(r);
                    for (int i = 1; i <= 5; i++) {
                        linkAgent.setString(i, r.getString(i));
                    }
                    linkAgent.setString(6, id.placeholderAgent().orElseThrow());
                    linkAgent.setObject(7, r.getObject("first_seen"));
                    linkAgent.setObject(8, r.getObject("last_seen"));
                    linkAgent.setLong(9, r.getLong("observations"));
                    linkAgent.executeUpdate();
                }
            }
            s.execute("DELETE FROM flyway_schema_history WHERE version IN ('6', '7', '8')");
        }
    }

    /** Takes a store back to schema 4: the address index as one row per address per trace, migrations 5 to 10 to run. */
    static void backToSchema4(Connection c) throws SQLException {
        backToSchema8(c);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE trace_addresses (addr_num BIGINT NOT NULL, "
                    + "started_at TIMESTAMP WITH TIME ZONE NOT NULL, agent_id VARCHAR(64) NOT NULL, "
                    + "trace_id VARCHAR(128) NOT NULL, min_ttl INTEGER NOT NULL, "
                    + "PRIMARY KEY (addr_num, started_at, agent_id, trace_id))");
            s.execute("CREATE INDEX trace_addresses_started ON trace_addresses (started_at)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO trace_addresses VALUES (?, ?, ?, ?, ?)");
                 ResultSet r = s.executeQuery("SELECT addr_num, traces FROM address_traces")) {
                while (r.next()) {
                    for (TraceAtAddress t : AddressTracesCodec.decode(r.getBytes(2))) {
                        insert.setLong(1, r.getLong(1));
                        StoreDialect.of(c).setInstant(insert, 2, t.started());
                        insert.setString(3, t.agentId());
                        insert.setString(4, t.traceId());
                        insert.setInt(5, t.ttl());
                        insert.executeUpdate();
                    }
                }
            }
            s.execute("DROP TABLE address_traces");
            s.execute("DELETE FROM flyway_schema_history WHERE version IN ('5', '6', '7', '8')");
        }
    }

    @Test
    void readersSeeCommittedBatchesThroughTheReadPool() throws Exception {
        try (CollectorStore store = open("readers")) {
            store.applyAll(stream());
            try (java.sql.Connection c = store.readDataSource().getConnection();
                 java.sql.Statement s = c.createStatement();
                 java.sql.ResultSet r = s.executeQuery("SELECT COUNT(*) FROM applied_traces")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(6);
            }
        }
    }
}
