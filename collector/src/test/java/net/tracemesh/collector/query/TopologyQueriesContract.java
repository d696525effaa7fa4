package net.tracemesh.collector.query;

import static net.tracemesh.collector.fixture.TraceScript.T0;
import static net.tracemesh.measurement.MeasurementMethod.ICMP_PARIS;
import static net.tracemesh.measurement.MeasurementMethod.UDP_PARIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.query.VantageComparison.SharedHop;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.store.NodeSummary;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.TraceMerger;
import net.tracemesh.measurement.Ipv4Prefix;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.StopReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The queries against a store holding two scenarios, run on every backend (see the subclasses).
 *
 * <p>A route change: fra1 traces {@value #DST} at minutes 0 and 5 through A, B (minute 5 silent at TTL 2), then at
 * minutes 10 and 15 through A, D.
 *
 * <p>Three agents converging: at minutes 30 to 32, fra1, ams1 and lon1 trace {@value #DST2} through their own first
 * hops, then all through C1, C2 to the destination.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TopologyQueriesContract {
    private static final String A = "198.18.0.1";
    private static final String B = "198.18.0.2";
    private static final String D = "198.18.0.4";
    private static final String DST = "198.18.9.9";
    private static final String R1 = "198.18.1.1";
    private static final String R2 = "198.18.2.1";
    private static final String R3 = "198.18.2.2";
    private static final String R4 = "198.18.4.1";
    private static final String C1 = "198.18.5.1";
    private static final String C2 = "198.18.5.2";
    private static final String DST2 = "198.18.20.10";
    private static final RouteKey FRA1 = new RouteKey("fra1", DST, UDP_PARIS);
    private static final TraceMerger MERGER = new TraceMerger();

    private CollectorStore store;
    private TopologyQueries queries;

    /** A fresh, empty store called {@code name} (each name its own database). */
    abstract CollectorStore open(String name);

    /** Releases what {@link #open} created, after the stores are closed. */
    void cleanUp() {
    }

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private static void apply(CollectorStore target, TraceScript script) {
        AssembledTrace t = Feed.assemble(script.build());
        assertThat(target.apply(t, MERGER.merge(t))).isTrue();
    }

    private static TraceScript trace(String agent, String dst, String id, int minutes) {
        return TraceScript.trace(UDP_PARIS, agent, dst).id(id).start(at(minutes));
    }

    @BeforeAll
    void populate() {
        store = open("scenarios");
        apply(store, trace("fra1", DST, "f-1", 0).hop(A).hop(B).destination());
        apply(store, trace("fra1", DST, "f-2", 5).hop(A).silent().destination());
        apply(store, trace("fra1", DST, "f-3", 10).hop(A).hop(D).destination());
        apply(store, trace("fra1", DST, "f-4", 15).hop(A).hop(D).destination());
        // fra1 with default RTTs (ttl + probe / 10: medians ttl + 0.1), the others with set RTTs
        apply(store, trace("fra1", DST2, "f-5", 30).hop(R1).hop(C1).hop(C2).destination());
        apply(store, trace("ams1", DST2, "a-1", 31).hop(R2).rtt(2).hop(R3).rtt(3).hop(C1).rtt(12).hop(C2).rtt(22)
                .destination().rtt(32));
        apply(store, trace("lon1", DST2, "l-1", 32).hop(R4).rtt(1).hop(C1).rtt(15).hop(C2).rtt(25).destination().rtt(35));
        queries = new TopologyQueries(store.readDataSource());
    }

    @AfterAll
    void close() {
        if (store != null) {
            store.close();
        }
        cleanUp();
    }

    // ---- route at a time, history

    @Test
    void theRouteInForceAtATimeIsThePeriodBegunBeforeItAndNotYetReplaced() {
        RouteAt before = queries.routeAt(FRA1, at(3)).orElseThrow();
        assertThat(before.period().number()).isEqualTo(1);
        assertThat(before.route().hop(2)).contains(RouteHop.of(B));
        assertThat(before.replacedAt()).isEqualTo(at(10));
        assertThat(before.current()).isFalse();
        assertThat(before.duration()).contains(Duration.ofMinutes(10));
        // the silent TTL 2 of minute 5 matched B: still period 1, last seen at minute 5
        assertThat(before.period().lastSeen()).isEqualTo(at(5));
        assertThat(before.period().observations()).isEqualTo(2);

        RouteAt after = queries.routeAt(FRA1, at(12)).orElseThrow();
        assertThat(after.period().number()).isEqualTo(2);
        assertThat(after.route().hop(2)).contains(RouteHop.of(D));
        assertThat(after.current()).isTrue();
        // at the very time of the change the new route is in force
        assertThat(queries.routeAt(FRA1, at(10)).orElseThrow().period().number()).isEqualTo(2);
        // long after the last trace the last route is still the one known
        assertThat(queries.routeAt(FRA1, at(600)).orElseThrow().period().number()).isEqualTo(2);
        assertThat(queries.routeNow(FRA1)).contains(after);
    }

    @Test
    void beforeTheFirstTraceAndForUnknownKeysThereIsNoRoute() {
        assertThat(queries.routeAt(FRA1, at(-1))).isEmpty();
        RouteKey unknown = new RouteKey("nobody", DST, UDP_PARIS);
        assertThat(queries.routeAt(unknown, at(3))).isEmpty();
        assertThat(queries.routeNow(unknown)).isEmpty();
        assertThat(queries.routeNow(new RouteKey("fra1", DST, ICMP_PARIS))).isEmpty();
        assertThat(queries.history(unknown, at(0), at(100)).periods()).isEmpty();
    }

    @Test
    void aHistoryWindowCutsThePeriodsItOverlapsAndHoldsTheChangesInIt() {
        RouteHistory h = queries.history(FRA1, at(3), at(12));
        assertThat(h.periods()).hasSize(2);
        RouteHistory.Period first = h.periods().get(0);
        assertThat(first.route().period().number()).isEqualTo(1);
        assertThat(first.start()).isEqualTo(at(3));
        assertThat(first.end()).isEqualTo(at(10));
        assertThat(first.duration()).isEqualTo(Duration.ofMinutes(7));
        RouteHistory.Period second = h.periods().get(1);
        assertThat(second.route().period().number()).isEqualTo(2);
        assertThat(second.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(h.changes()).singleElement().satisfies(c -> {
            assertThat(c.time()).isEqualTo(at(10));
            assertThat(c.divergenceTtl()).isEqualTo(2);
            assertThat(c.divergence().lastCommonHop()).isEqualTo(RouteHop.of(A));
            assertThat(c.oldRoute().hop(2)).contains(RouteHop.of(B));
            assertThat(c.newRoute().hop(2)).contains(RouteHop.of(D));
        });

        RouteHistory early = queries.history(FRA1, at(0), at(9));
        assertThat(early.periods()).extracting(p -> p.route().period().number()).containsExactly(1);
        assertThat(early.periods().get(0).duration()).isEqualTo(Duration.ofMinutes(9));
        assertThat(early.changes()).isEmpty();

        RouteHistory late = queries.history(FRA1, at(11), at(20));
        assertThat(late.periods()).extracting(p -> p.route().period().number()).containsExactly(2);
        assertThat(late.periods().get(0).start()).isEqualTo(at(11));
        assertThat(late.periods().get(0).end()).isEqualTo(at(20));
        assertThat(late.changes()).isEmpty();

        // a period replaced exactly at the window's start had no time in it
        assertThat(queries.history(FRA1, at(10), at(10)).periods()).extracting(p -> p.route().period().number())
                .containsExactly(2);
    }

    @Test
    void badWindowsAndLimitsAreRefused() {
        assertThatThrownBy(() -> queries.history(FRA1, at(5), at(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after it ends");
        assertThatThrownBy(() -> queries.tracesThrough(Ipv4Prefix.parse(A), at(1), at(0), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after it ends");
        assertThatThrownBy(() -> queries.tracesThrough(Ipv4Prefix.parse(A), at(0), at(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> queries.tracesThrough(Ipv4Prefix.parse(A), at(0), at(1),
                TopologyQueries.MAX_TRACE_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queries.routeAt(FRA1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queries.compare(DST2, UDP_PARIS, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one agent");
        assertThatThrownBy(() -> queries.compare(DST2, UDP_PARIS, List.of("fra1", "fra1"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> queries.compare("not-an-address", UDP_PARIS, List.of("fra1"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubgraphFilter.everything().limitedTo(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node limit");
        assertThatThrownBy(() -> SubgraphFilter.everything().limitedTo(SubgraphFilter.MAX_NODE_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubgraphFilter.everything().between(at(2), at(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after it ends");
    }

    // ---- vantage comparison

    @Test
    void threeAgentsAreAlignedByTtlWithTheirMedianRtts() {
        VantageComparison v = queries.compare(DST2, UDP_PARIS, List.of("fra1", "ams1", "lon1"), null);
        assertThat(v.routes()).extracting(VantageComparison.AgentRoute::agentId)
                .containsExactly("fra1", "ams1", "lon1");
        assertThat(v.withoutRoute()).isEmpty();
        assertThat(v.route("ams1").orElseThrow().traceId()).isEqualTo("a-1");
        assertThat(v.route("ams1").orElseThrow().rttKnown()).isTrue();
        assertThat(v.rows()).extracting(VantageComparison.Row::ttl).containsExactly(1, 2, 3, 4, 5);

        VantageComparison.Row ttl1 = v.row(1).orElseThrow();
        assertThat(ttl1.byAgent().get("fra1").hop()).isEqualTo(RouteHop.of(R1));
        assertThat(ttl1.byAgent().get("fra1").medianRttMs()).isCloseTo(1.1, within(1e-9));
        assertThat(ttl1.byAgent().get("ams1").hop()).isEqualTo(RouteHop.of(R2));
        assertThat(ttl1.byAgent().get("ams1").medianRttMs()).isCloseTo(2.0, within(1e-9));
        assertThat(ttl1.byAgent().get("lon1").hop()).isEqualTo(RouteHop.of(R4));
        assertThat(ttl1.aligned()).isFalse();
        // ams1's route is one hop longer: TTL 5 is its destination, the others have ended
        assertThat(v.row(5).orElseThrow().byAgent()).containsOnlyKeys("ams1");
        assertThat(v.row(4).orElseThrow().byAgent().get("fra1").hop()).isEqualTo(RouteHop.of(DST2));
    }

    @Test
    void sharedHopsCarryEachAgentsTtlAndRttAndTheirDifferences() {
        VantageComparison v = queries.compare(DST2, UDP_PARIS, List.of("fra1", "ams1", "lon1"), null);
        assertThat(v.sharedHops()).extracting(SharedHop::address).containsExactly(C1, C2, DST2);
        SharedHop c1 = v.shared(C1).orElseThrow();
        assertThat(c1.byAgent().get("fra1").ttl()).isEqualTo(2);
        assertThat(c1.byAgent().get("ams1").ttl()).isEqualTo(3);
        assertThat(c1.byAgent().get("lon1").ttl()).isEqualTo(2);
        assertThat(c1.byAgent().get("fra1").rttMs()).isCloseTo(2.1, within(1e-9));
        assertThat(c1.byAgent().get("ams1").rttMs()).isCloseTo(12.0, within(1e-9));
        assertThat(c1.byAgent().get("lon1").rttMs()).isCloseTo(15.0, within(1e-9));
        assertThat(c1.rttDifferenceMs("ams1", "lon1").orElseThrow()).isCloseTo(3.0, within(1e-9));
        assertThat(c1.rttDifferenceMs("lon1", "ams1").orElseThrow()).isCloseTo(-3.0, within(1e-9));
        assertThat(c1.rttSpreadMs().orElseThrow()).isCloseTo(15.0 - 2.1, within(1e-9));
        assertThat(v.shared(R1)).isEmpty();
    }

    @Test
    void theRoutesConvergeWhereTheyJoinForGood() {
        VantageComparison v = queries.compare(DST2, UDP_PARIS, List.of("fra1", "ams1", "lon1"), null);
        VantageComparison.Convergence c = v.convergencePoint().orElseThrow();
        assertThat(c.hop()).isEqualTo(RouteHop.of(C1));
        assertThat(c.ttl("fra1")).isEqualTo(2);
        assertThat(c.ttl("ams1")).isEqualTo(3);
        assertThat(c.ttl("lon1")).isEqualTo(2);

        // two agents only: the same
        assertThat(queries.compare(DST2, UDP_PARIS, List.of("ams1", "lon1"), null).convergencePoint()
                .orElseThrow().hop()).isEqualTo(RouteHop.of(C1));
        // one agent: nothing to converge with
        assertThat(queries.compare(DST2, UDP_PARIS, List.of("ams1"), null).convergencePoint()).isEmpty();
    }

    @Test
    void anUnknownAgentHasNoRouteAndIsNoError() {
        VantageComparison v = queries.compare(DST2, UDP_PARIS, List.of("fra1", "nobody"), null);
        assertThat(v.withoutRoute()).containsExactly("nobody");
        assertThat(v.routes()).extracting(VantageComparison.AgentRoute::agentId).containsExactly("fra1");
        assertThat(v.sharedHops()).isEmpty();
        assertThat(v.convergencePoint()).isEmpty();

        VantageComparison none = queries.compare("198.18.99.99", UDP_PARIS, List.of("fra1"), null);
        assertThat(none.routes()).isEmpty();
        assertThat(none.rows()).isEmpty();
    }

    @Test
    void aComparisonInThePastUsesTheRouteAndTraceOfThatTime() {
        VantageComparison then = queries.compare(DST, UDP_PARIS, List.of("fra1"), at(3));
        VantageComparison.AgentRoute r = then.route("fra1").orElseThrow();
        assertThat(r.route().period().number()).isEqualTo(1);
        assertThat(r.traceId()).isEqualTo("f-1");
        assertThat(then.row(2).orElseThrow().byAgent().get("fra1").hop()).isEqualTo(RouteHop.of(B));
        assertThat(then.row(2).orElseThrow().byAgent().get("fra1").medianRttMs()).isCloseTo(2.1, within(1e-9));

        // at minute 7 the latest trace of period 1 is f-2, silent at TTL 2: the hop is the period's, RTT unknown
        VantageComparison later = queries.compare(DST, UDP_PARIS, List.of("fra1"), at(7));
        assertThat(later.route("fra1").orElseThrow().traceId()).isEqualTo("f-2");
        assertThat(later.row(2).orElseThrow().byAgent().get("fra1").hop()).isEqualTo(RouteHop.of(B));
        assertThat(later.row(2).orElseThrow().byAgent().get("fra1").medianRttMs()).isNull();

        VantageComparison now = queries.compare(DST, UDP_PARIS, List.of("fra1"), null);
        assertThat(now.route("fra1").orElseThrow().traceId()).isEqualTo("f-4");
        assertThat(now.row(2).orElseThrow().byAgent().get("fra1").hop()).isEqualTo(RouteHop.of(D));
    }

    // ---- traces through an address or prefix

    @Test
    void tracesThroughAnAddressWithinAWindow() {
        assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), at(4), at(11), 100))
                .extracting(TraceRef::traceId).containsExactly("f-2", "f-3");
        List<TraceRef> throughD = queries.tracesThrough(Ipv4Prefix.parse(D), at(0), at(60), 100);
        assertThat(throughD).extracting(TraceRef::traceId).containsExactly("f-3", "f-4");
        TraceRef f3 = throughD.get(0);
        assertThat(f3.agentId()).isEqualTo("fra1");
        assertThat(f3.address()).isEqualTo(D);
        assertThat(f3.ttl()).isEqualTo(2);
        assertThat(f3.destination()).isEqualTo(DST);
        assertThat(f3.method()).isEqualTo(UDP_PARIS);
        assertThat(f3.measurementId()).isEqualTo("m1");
        assertThat(f3.started()).isEqualTo(at(10));
        // B answered only the first trace (the second was silent there)
        assertThat(queries.tracesThrough(Ipv4Prefix.parse(B), at(0), at(60), 100))
                .extracting(TraceRef::traceId).containsExactly("f-1");
        // outside the window
        assertThat(queries.tracesThrough(Ipv4Prefix.parse(A), at(16), at(60), 100)).isEmpty();
    }

    @Test
    void tracesThroughAPrefixAppearOnceAtTheirFirstAddressInIt() {
        List<TraceRef> all = queries.tracesThrough(Ipv4Prefix.parse("198.18.0.0/24"), at(0), at(60), 100);
        assertThat(all).extracting(TraceRef::traceId).containsExactly("f-1", "f-2", "f-3", "f-4");
        assertThat(all).allSatisfy(t -> {
            assertThat(t.address()).isEqualTo(A);
            assertThat(t.ttl()).isEqualTo(1);
        });
        assertThat(queries.tracesThrough(Ipv4Prefix.parse("198.18.0.0/24"), at(0), at(60), 2))
                .extracting(TraceRef::traceId).containsExactly("f-1", "f-2");
        // the shared core of the second scenario: three agents' traces, oldest first
        assertThat(queries.tracesThrough(Ipv4Prefix.parse("198.18.5.0/24"), at(0), at(60), 100))
                .extracting(TraceRef::agentId, TraceRef::address, TraceRef::ttl)
                .containsExactly(tuple("fra1", C1, 2),
                        tuple("ams1", C1, 3),
                        tuple("lon1", C1, 2));
        assertThat(queries.tracesThrough(Ipv4Prefix.parse("198.18.5.0/24"), at(31), at(31), 100))
                .extracting(TraceRef::traceId).containsExactly("a-1");
        assertThat(queries.tracesThrough(Ipv4Prefix.parse("203.0.113.0/24"), at(0), at(60), 100)).isEmpty();
    }

    // ---- subgraphs

    private static Set<String> ids(Subgraph g) {
        return g.nodes().stream().map(n -> n.id().toString()).collect(Collectors.toSet());
    }

    @Test
    void theWholeGraphHoldsEveryNodeAndLinkWithPlaceholdersBetweenKnownNodes() {
        Subgraph g = queries.subgraph(SubgraphFilter.everything());
        assertThat(g.truncated()).isFalse();
        assertThat(g.matchedNodes()).isEqualTo(g.nodes().size());
        assertThat(g.nodes()).extracting(NodeSummary::id).isEqualTo(store.nodes().stream()
                .map(NodeSummary::id).toList());
        assertThat(g.links()).extracting(LinkSummary::id).isEqualTo(store.links().stream()
                .map(LinkSummary::id).toList());
        NodeId placeholder = g.nodes().stream().map(NodeSummary::id).filter(n -> n.kind() == NodeKind.ANONYMOUS)
                .findFirst().orElseThrow();
        assertThat(placeholder.key()).isEqualTo("fra1/f-2/2");
        assertThat(g.links()).extracting(LinkSummary::id).contains(
                new LinkId(NodeId.address(A), placeholder, LinkKind.PLACEHOLDER),
                new LinkId(placeholder, NodeId.address(DST), LinkKind.PLACEHOLDER),
                new LinkId(NodeId.address(A), NodeId.address(DST), LinkKind.INDIRECT));
    }

    @Test
    void anAgentFilterKeepsWhatThoseAgentsSaw() {
        Subgraph g = queries.subgraph(SubgraphFilter.everything().withAgents(Set.of("ams1")));
        assertThat(ids(g)).containsExactlyInAnyOrder("agent:ams1", R2, R3, C1, C2, DST2);
        assertThat(g.links()).extracting(l -> l.id().toString()).containsExactlyInAnyOrder(
                "agent:ams1 -> " + R2, R2 + " -> " + R3, R3 + " -> " + C1, C1 + " -> " + C2, C2 + " -> " + DST2);
        // the stored statistics are the whole graph's: C1 was seen by all three
        NodeSummary c1 = g.nodes().stream().filter(n -> n.id().equals(NodeId.address(C1))).findFirst().orElseThrow();
        assertThat(c1.agents()).containsOnlyKeys("ams1", "fra1", "lon1");
        assertThat(c1.observations()).isEqualTo(3);
        assertThat(c1.rtt().count()).isEqualTo(9);

        assertThat(queries.subgraph(SubgraphFilter.everything().withAgents(Set.of("nobody"))).nodes()).isEmpty();
    }

    @Test
    void aPlaceholderIsSeenByItsTracesAgentAloneAtItsTime() {
        // Placeholders keep no per-agent rows: their agent is the first part of their key. Agent ids that a LIKE
        // pattern would confuse ('_' matches any character, and x is a prefix of the others) stay apart.
        Map<String, String> traceOf = Map.of("x_1", "p-1", "xa1", "p-2", "x", "p-3");
        Map<String, Integer> minuteOf = Map.of("x_1", 0, "xa1", 10, "x", 20);
        try (CollectorStore s = open("placeholderagents")) {
            for (String agent : traceOf.keySet()) {
                apply(s, trace(agent, DST, traceOf.get(agent), minuteOf.get(agent)).hop(A).silent().destination());
            }
            TopologyQueries q = new TopologyQueries(s.readDataSource());
            for (String agent : traceOf.keySet()) {
                String placeholder = "*" + agent + "/" + traceOf.get(agent) + "/2";
                Set<String> nodes = Set.of("agent:" + agent, A, DST, placeholder);
                Set<String> links = Set.of("agent:" + agent + " -> " + A, A + " -> " + placeholder,
                        placeholder + " -> " + DST, A + " ~> " + DST);
                int minute = minuteOf.get(agent);
                for (SubgraphFilter f : List.of(SubgraphFilter.everything().withAgents(Set.of(agent)),
                        SubgraphFilter.everything().between(at(minute), at(minute + 5)),
                        SubgraphFilter.everything().between(at(minute), at(minute + 5)).withAgents(Set.of(agent)))) {
                    Subgraph g = q.subgraph(f);
                    assertThat(ids(g)).as("%s", f).isEqualTo(nodes);
                    assertThat(g.links()).extracting(l -> l.id().toString()).as("%s", f)
                            .containsExactlyInAnyOrderElementsOf(links);
                    assertThat(q.subgraphFromEveryCandidate(f)).as("%s", f).isEqualTo(g);
                    assertThat(g.nodes()).filteredOn(n -> n.id().kind() == NodeKind.ANONYMOUS)
                            .singleElement().satisfies(n -> assertThat(n.agents()).isEqualTo(Map.of(agent, 1L)));
                    assertThat(g.links()).filteredOn(l -> l.id().kind() == LinkKind.PLACEHOLDER).hasSize(2)
                            .allSatisfy(l -> assertThat(l.agents()).isEqualTo(Map.of(agent, 1L)));
                }
                // the other agents' placeholders are left out by agent and by time
                Set<String> others = traceOf.keySet().stream().filter(a -> !a.equals(agent)).collect(Collectors.toSet());
                assertThat(ids(q.subgraph(SubgraphFilter.everything().withAgents(others)))).doesNotContain(placeholder);
                assertThat(ids(q.subgraph(SubgraphFilter.everything().between(at(minute + 6), at(minute + 9)))))
                        .doesNotContain(placeholder);
            }
            // the graph as stored: each placeholder and its links seen by their agent, and counted as its pairs
            assertThat(s.nodes()).filteredOn(n -> n.id().kind() == NodeKind.ANONYMOUS).hasSize(3)
                    .allSatisfy(n -> assertThat(n.agents()).containsOnlyKeys(n.id().placeholderAgent().orElseThrow()));
            assertThat(s.links()).filteredOn(l -> l.id().kind() == LinkKind.PLACEHOLDER).hasSize(6)
                    .allSatisfy(l -> assertThat(l.agents()).containsOnlyKeys(l.id().placeholderAgent().orElseThrow()));
            // each agent saw its own node, A, DST and its placeholder, and four links (A ~> DST among them)
            assertThat(s.counts().nodeAgents()).isEqualTo(3 * 4);
            assertThat(s.counts().linkAgents()).isEqualTo(3 * 4);
        }
    }

    @Test
    void aTimeWindowKeepsWhatWasSeenInIt() {
        Subgraph g = queries.subgraph(SubgraphFilter.everything().between(at(11), at(20)));
        assertThat(ids(g)).containsExactlyInAnyOrder("agent:fra1", A, D, DST);
        assertThat(g.links()).extracting(l -> l.id().toString()).containsExactlyInAnyOrder(
                "agent:fra1 -> " + A, A + " -> " + D, D + " -> " + DST);
        assertThat(queries.subgraph(SubgraphFilter.everything().between(at(100), at(200))).nodes()).isEmpty();
    }

    @Test
    void aDestinationPrefixKeepsTheNodesOnRoutesTowardIt() {
        Subgraph g = queries.subgraph(SubgraphFilter.everything().withDestinations(Ipv4Prefix.parse(DST2)));
        assertThat(ids(g)).containsExactlyInAnyOrder("agent:fra1", "agent:ams1", "agent:lon1", R1, R2, R3, R4, C1,
                C2, DST2);
        assertThat(g.links()).extracting(l -> l.id().toString()).contains("agent:fra1 -> " + R1)
                .doesNotContain("agent:fra1 -> " + A);

        // toward DST after the change: period 1 (through B) was last seen at minute 5; the placeholder is left out
        // because B, which it hung between, is not included (nor the placeholder's trace's period)
        Subgraph late = queries.subgraph(SubgraphFilter.everything().withDestinations(Ipv4Prefix.parse("198.18.9.0/24"))
                .between(at(11), at(20)));
        assertThat(ids(late)).containsExactlyInAnyOrder("agent:fra1", A, D, DST);

        Subgraph whole = queries.subgraph(SubgraphFilter.everything()
                .withDestinations(Ipv4Prefix.parse("198.18.9.0/24")));
        assertThat(ids(whole)).containsExactlyInAnyOrder("agent:fra1", A, B, D, DST, "*fra1/f-2/2");

        assertThat(queries.subgraph(SubgraphFilter.everything().withDestinations(Ipv4Prefix.parse(DST2))
                .withAgents(Set.of("lon1")))).satisfies(s -> assertThat(ids(s))
                .containsExactlyInAnyOrder("agent:lon1", R4, C1, C2, DST2));
    }

    @Test
    void aNodeLimitKeepsTheMostObservedNodesAndSaysSo() {
        Subgraph all = queries.subgraph(SubgraphFilter.everything());
        Subgraph g = queries.subgraph(SubgraphFilter.everything().limitedTo(3));
        assertThat(g.truncated()).isTrue();
        assertThat(g.matchedNodes()).isEqualTo(all.nodes().size());
        // A, DST and fra1 were each in 4 traces (more than any other); ties go by node order
        assertThat(ids(g)).containsExactlyInAnyOrder(A, DST, "agent:fra1");
        assertThat(g.links()).extracting(l -> l.id().toString())
                .containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " ~> " + DST);
        assertThat(queries.subgraph(SubgraphFilter.everything().limitedTo(all.nodes().size())).truncated())
                .isFalse();
    }

    @Test
    void theUnfilteredGraphReadFromTheNodeRowsMatchesEveryAgentNamedInTheFilter() {
        // No agent and no window reads the graph's own rows; naming every agent reads the per-agent rows.
        Set<String> everyAgent = Set.of("fra1", "ams1", "lon1");
        for (int limit : new int[] {3, 5, SubgraphFilter.DEFAULT_NODE_LIMIT}) {
            Subgraph unfiltered = queries.subgraph(SubgraphFilter.everything().limitedTo(limit));
            Subgraph named = queries.subgraph(SubgraphFilter.everything().withAgents(everyAgent).limitedTo(limit));
            assertThat(ids(unfiltered)).as("limit %d", limit).containsExactlyInAnyOrderElementsOf(ids(named));
            assertThat(unfiltered.links()).extracting(l -> l.id().toString()).as("limit %d", limit)
                    .containsExactlyInAnyOrderElementsOf(named.links().stream().map(l -> l.id().toString()).toList());
            assertThat(unfiltered.matchedNodes()).isEqualTo(named.matchedNodes());
        }
    }

    @Test
    void theMapsDefaultViewCountsConnectingPlaceholdersWithoutReadingThem() {
        // When address and agent nodes alone fill the limit, the default view reads no placeholder: it counts the
        // connecting ones from the tally kept as traces are applied. Naming every agent reads them all instead.
        try (CollectorStore s = open("tally")) {
            apply(s, trace("fra1", DST, "t-1", 0).hop(A).silent().silent().hop(C1).destination());
            apply(s, trace("fra1", DST2, "t-2", 1).hop(A).silent().hop(C2).destination());
            // a run of silent TTLs at the end connects nothing: never shown, never counted
            apply(s, trace("ams1", DST, "t-3", 2).hop(R2).hop(R3).silent().silent().silent()
                    .stop(StopReason.GAP_LIMIT));
            apply(s, trace("ams1", DST2, "t-4", 3).silent().hop(R3).hop(C2).destination());
            // classic udp: no links through silent TTLs, so no runs
            apply(s, TraceScript.trace(MeasurementMethod.UDP, "lon1", DST).id("t-5").start(at(4)).hop(R4).silent()
                    .destination());
            TopologyQueries q = new TopologyQueries(s.readDataSource());
            Subgraph everything = q.subgraph(SubgraphFilter.everything());
            long named = everything.nodes().stream().filter(n -> n.id().kind() != NodeKind.ANONYMOUS).count();
            long placeholders = everything.nodes().size() - named;
            assertThat(placeholders).as("placeholders of t-1 (2), t-2 (1) and t-4 (1)").isEqualTo(4);
            for (int limit = 1; limit <= everything.nodes().size() + 1; limit++) {
                Subgraph unfiltered = q.subgraph(SubgraphFilter.everything().limitedTo(limit));
                Subgraph byAgents = q.subgraph(SubgraphFilter.everything().withAgents(Set.of("fra1", "ams1", "lon1"))
                        .limitedTo(limit));
                // whole summaries (who saw them, RTTs, ...), in the same order
                assertThat(unfiltered.nodes()).as("limit %d", limit).isEqualTo(byAgents.nodes());
                assertThat(unfiltered.links()).as("limit %d", limit).isEqualTo(byAgents.links());
                assertThat(unfiltered.matchedNodes()).as("limit %d", limit).isEqualTo(byAgents.matchedNodes())
                        .isEqualTo(named + placeholders);
            }
            // a reading at a larger limit narrowed to a smaller one gives the same view, when it holds it
            for (int larger = 1; larger <= everything.nodes().size() + 1; larger++) {
                Subgraph read = q.subgraph(SubgraphFilter.everything().limitedTo(larger));
                for (int limit = 1; limit <= larger; limit++) {
                    Optional<Subgraph> narrowed = TopologyQueries.narrowed(read, limit);
                    long namedRead = read.nodes().stream().filter(n -> n.id().kind() != NodeKind.ANONYMOUS).count();
                    assertThat(narrowed.isPresent()).as("%d from %d", limit, larger)
                            .isEqualTo(limit == larger || limit <= namedRead
                                    || !read.truncated() && limit >= read.nodes().size());
                    if (narrowed.isPresent()) {
                        assertThat(narrowed.get()).as("%d from %d", limit, larger)
                                .isEqualTo(q.subgraph(SubgraphFilter.everything().limitedTo(limit)));
                    }
                }
            }
            assertThat(TopologyQueries.narrowed(everything, 2)).isPresent();
            assertThat(TopologyQueries.narrowed(q.subgraph(SubgraphFilter.everything().withAgents(Set.of("fra1"))),
                    1)).as("a filtered reading").isEmpty();
            assertThat(TopologyQueries.narrowed(q.subgraph(SubgraphFilter.everything().limitedTo(3)), 4))
                    .as("a larger limit").isEmpty();
        }
    }

    @Test
    void aPrefixFilteredSubgraphReadAroundItsRoutesEqualsTheReadingOfEveryRow() {
        // Prefix filters read the nodes on routes toward the prefix and what they link to, by key; the reading of
        // every candidate row is the reference. Placeholder runs of one and two TTLs, runs hanging off one side,
        // runs between nodes in and out of the restriction, several agents and times.
        try (CollectorStore s = open("aroundroutes")) {
            apply(s, trace("fra1", DST, "r-1", 0).hop(A).silent().silent().hop(C1).destination());
            apply(s, trace("fra1", DST2, "r-2", 1).hop(A).silent().hop(C2).destination());
            apply(s, trace("ams1", DST, "r-3", 2).hop(R2).hop(R3).silent().silent().silent()
                    .stop(StopReason.GAP_LIMIT));
            apply(s, trace("ams1", DST2, "r-4", 3).silent().hop(R3).hop(C2).destination());
            apply(s, trace("lon1", DST2, "r-5", 4).hop(R4).silent().hop(C1).silent().hop(C2).destination());
            apply(s, trace("lon1", DST, "r-6", 5).hop(R4).hop(B).silent().destination());
            apply(s, trace("fra1", DST, "r-7", 6).hop(A).hop(D).hop(C1).destination());
            apply(s, TraceScript.trace(MeasurementMethod.UDP, "lon1", DST2).id("r-8").start(at(7)).hop(R4).silent()
                    .destination());
            TopologyQueries q = new TopologyQueries(s.readDataSource());
            List<SubgraphFilter> filters = new ArrayList<>();
            for (String prefix : List.of(DST, DST2, "198.18.9.0/24", "198.18.0.0/16", "198.18.99.0/24")) {
                SubgraphFilter base = SubgraphFilter.everything().withDestinations(Ipv4Prefix.parse(prefix));
                filters.add(base);
                filters.add(base.withAgents(Set.of("lon1")));
                filters.add(base.withAgents(Set.of("fra1", "ams1")));
                filters.add(base.between(at(1), at(4)));
                filters.add(base.between(at(5), at(9)).withAgents(Set.of("fra1", "lon1")));
            }
            int checked = 0;
            for (SubgraphFilter f : filters) {
                int all = q.subgraphFromEveryCandidate(f).nodes().size();
                for (int limit = 1; limit <= all + 1; limit++) {
                    SubgraphFilter limited = f.limitedTo(limit);
                    Subgraph around = q.subgraph(limited);
                    Subgraph every = q.subgraphFromEveryCandidate(limited);
                    assertThat(around.nodes()).as("%s", limited).isEqualTo(every.nodes());
                    assertThat(around.links()).as("%s", limited).isEqualTo(every.links());
                    assertThat(around.matchedNodes()).as("%s", limited).isEqualTo(every.matchedNodes());
                    checked++;
                }
            }
            Subgraph withRuns = q.subgraph(SubgraphFilter.everything().withDestinations(Ipv4Prefix.parse(DST2)));
            assertThat(withRuns.nodes()).extracting(n -> n.id().kind()).contains(NodeKind.ANONYMOUS);
            assertThat(checked).isGreaterThan(50);
        }
    }

    @Test
    void prunedHopRecordsLeaveRoutesButNotRttsNorTheAddressIndex() {
        try (CollectorStore s = open("pruned")) {
            apply(s, trace("fra1", DST2, "p-1", 0).hop(R1).hop(C1).destination());
            apply(s, trace("ams1", DST2, "p-2", 1).hop(R2).hop(C1).destination());
            assertThat(s.pruneHopsBefore(at(1))).isEqualTo(1);
            TopologyQueries q = new TopologyQueries(s.readDataSource());
            VantageComparison v = q.compare(DST2, UDP_PARIS, List.of("fra1", "ams1"), null);
            assertThat(v.route("fra1").orElseThrow().rttKnown()).isFalse();
            assertThat(v.route("fra1").orElseThrow().traceId()).isEqualTo("p-1");
            assertThat(v.route("ams1").orElseThrow().rttKnown()).isTrue();
            SharedHop c1 = v.shared(C1).orElseThrow();
            assertThat(c1.byAgent().get("fra1").rttMs()).isNull();
            assertThat(c1.byAgent().get("ams1").rttMs()).isCloseTo(2.1, within(1e-9));
            assertThat(c1.rttSpreadMs()).isEmpty();
            assertThat(v.convergencePoint().orElseThrow().hop()).isEqualTo(RouteHop.of(C1));
            assertThat(q.tracesThrough(Ipv4Prefix.parse(C1), at(0), at(10), 10)).extracting(TraceRef::traceId)
                    .containsExactly("p-2");
        }
    }

    // ---- current routes, RTT series

    @Test
    void currentRoutesAreListedByAgentDestinationAndMethod() {
        RouteList all = queries.currentRoutes(null, null, null, 100);
        assertThat(all.truncated()).isFalse();
        assertThat(all.routes()).extracting(r -> r.key().agentId(), r -> r.key().destination())
                .containsExactly(tuple("ams1", DST2), tuple("fra1", DST2), tuple("fra1", DST), tuple("lon1", DST2));
        RouteSummary fra1 = all.routes().get(2);
        assertThat(fra1.key()).isEqualTo(FRA1);
        assertThat(fra1.period()).isEqualTo(2);
        assertThat(fra1.firstSeen()).isEqualTo(at(10));
        assertThat(fra1.lastSeen()).isEqualTo(at(15));
        assertThat(fra1.observations()).isEqualTo(2);
        assertThat(fra1.hopCount()).isEqualTo(3);
        assertThat(all.routes().get(0).hopCount()).isEqualTo(5);

        assertThat(queries.currentRoutes("fra1", null, null, 100).routes()).extracting(r -> r.key().destination())
                .containsExactly(DST2, DST);
        assertThat(queries.currentRoutes(null, DST2, UDP_PARIS, 100).routes()).hasSize(3);
        assertThat(queries.currentRoutes(null, null, ICMP_PARIS, 100).routes()).isEmpty();
        assertThat(queries.currentRoutes("nobody", null, null, 100).routes()).isEmpty();
        RouteList two = queries.currentRoutes(null, null, null, 2);
        assertThat(two.truncated()).isTrue();
        assertThat(two.routes()).extracting(r -> r.key().agentId()).containsExactly("ams1", "fra1");
        assertThat(queries.currentRoutes(null, null, null, 4).truncated()).isFalse();

        assertThatThrownBy(() -> queries.currentRoutes(null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> queries.currentRoutes(null, "not-an-address", null, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anRttSeriesHasOnePointPerTraceWithTheMedianAtTheAddresssTtl() {
        RttSeries dst = queries.rttSeries(FRA1, null, at(0), at(60), 100);
        assertThat(dst.address()).isEqualTo(DST);
        assertThat(dst.truncated()).isFalse();
        assertThat(dst.points()).extracting(RttSeries.Point::traceId).containsExactly("f-1", "f-2", "f-3", "f-4");
        assertThat(dst.points()).allSatisfy(p -> {
            assertThat(p.ttl()).isEqualTo(3);
            assertThat(p.rttMs()).isCloseTo(3.1, within(1e-9));
        });
        assertThat(dst.points().get(1).time()).isEqualTo(at(5));

        // B answered the first trace only: the others have a point without an RTT
        RttSeries b = queries.rttSeries(FRA1, B, at(0), at(60), 100);
        assertThat(b.points()).extracting(RttSeries.Point::answered).containsExactly(true, false, false, false);
        assertThat(b.points().get(0).ttl()).isEqualTo(2);
        assertThat(b.points().get(0).rttMs()).isCloseTo(2.1, within(1e-9));
        assertThat(b.points().get(1).rttMs()).isNull();

        // set RTTs of another agent, and a limit that keeps the latest traces
        RttSeries ams1 = queries.rttSeries(new RouteKey("ams1", DST2, UDP_PARIS), C1, at(0), at(60), 10);
        assertThat(ams1.points()).singleElement().satisfies(p -> {
            assertThat(p.ttl()).isEqualTo(3);
            assertThat(p.rttMs()).isCloseTo(12.0, within(1e-9));
        });
        RttSeries latest = queries.rttSeries(FRA1, null, at(0), at(60), 2);
        assertThat(latest.truncated()).isTrue();
        assertThat(latest.points()).extracting(RttSeries.Point::traceId).containsExactly("f-3", "f-4");
        assertThat(queries.rttSeries(FRA1, null, at(4), at(11), 100).points()).extracting(RttSeries.Point::traceId)
                .containsExactly("f-2", "f-3");
        assertThat(queries.rttSeries(new RouteKey("nobody", DST, UDP_PARIS), null, at(0), at(60), 10).points())
                .isEmpty();

        assertThatThrownBy(() -> queries.rttSeries(FRA1, null, at(5), at(4), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after it ends");
        assertThatThrownBy(() -> queries.rttSeries(FRA1, "x", at(0), at(4), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queries.rttSeries(FRA1, null, at(0), at(4), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }

    @Test
    void anRttSeriesLeavesOutTracesWhoseHopRecordsWerePruned() {
        try (CollectorStore s = open("series_pruned")) {
            apply(s, trace("fra1", DST, "s-1", 0).hop(A).destination());
            apply(s, trace("fra1", DST, "s-2", 1).hop(A).destination());
            assertThat(s.pruneHopsBefore(at(1))).isEqualTo(1);
            RttSeries series = new TopologyQueries(s.readDataSource()).rttSeries(FRA1, A, at(0), at(10), 10);
            assertThat(series.points()).extracting(RttSeries.Point::traceId).containsExactly("s-2");
        }
    }
}
