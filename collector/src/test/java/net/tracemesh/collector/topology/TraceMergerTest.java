package net.tracemesh.collector.topology;

import static net.tracemesh.collector.fixture.TraceScript.T0;
import static net.tracemesh.measurement.MeasurementMethod.ICMP_PARIS;
import static net.tracemesh.measurement.MeasurementMethod.UDP;
import static net.tracemesh.measurement.MeasurementMethod.UDP_PARIS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.AssemblerSettings;
import net.tracemesh.collector.assemble.TraceAssembler;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TestGraph;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.record.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TraceMergerTest {
    private static final String A = "198.18.0.1";
    private static final String B = "198.18.0.2";
    private static final String C = "198.18.0.3";
    private static final String D = "198.18.0.4";
    private static final String E = "198.18.0.5";
    private static final String DST = "198.18.9.9";
    private static final NodeId AGENT = NodeId.agent("fra1");
    private static final TraceMerger MERGER = new TraceMerger();

    private static TraceScript paris() {
        return TraceScript.trace(UDP_PARIS, "fra1", DST);
    }

    private static TraceObservations merge(TraceScript script) {
        return MERGER.merge(Feed.assemble(script.build()));
    }

    private static Set<String> links(TraceObservations o) {
        return o.links().stream().map(l -> l.id().toString()).collect(Collectors.toSet());
    }

    private static NodeId anon(int ttl) {
        return NodeId.anonymous(new TraceKey("fra1", "run1-1"), ttl);
    }

    @Test
    void aParisChainLinksConsecutiveTtls() {
        TraceObservations o = merge(paris().hop(A).hop(B).hop(C).destination());

        assertThat(links(o)).containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " -> " + B, B + " -> " + C,
                C + " -> " + DST);
        assertThat(o.links()).allMatch(l -> l.kind() == LinkKind.DIRECT && !l.ambiguous() && l.gap() == 0
                && l.agentId().equals("fra1") && l.observedAt().equals(T0));
        LinkObservation bc = o.links(NodeId.address(B), NodeId.address(C)).get(0);
        assertThat(bc.fromTtl()).isEqualTo(2);
        assertThat(bc.toTtl()).isEqualTo(3);
        assertThat(bc.rttsMs()).containsExactly(3.0, 3.1, 3.2);
        assertThat(o.links(AGENT, NodeId.address(A)).get(0).fromTtl()).isZero();

        assertThat(o.nodes()).extracting(NodeObservation::node).containsExactly(NodeId.address(A), NodeId.address(B),
                NodeId.address(C), NodeId.address(DST), AGENT);
        NodeObservation b = o.node(NodeId.address(B)).orElseThrow();
        assertThat(b.ttls()).containsExactly(2);
        assertThat(b.rttsMs()).containsExactly(2.0, 2.1, 2.2);
        assertThat(b.replyTypes()).containsExactly(ReplyType.icmp(11, 0));
        assertThat(b.destination()).isFalse();
        assertThat(b.agentId()).isEqualTo("fra1");
        assertThat(b.observedAt()).isEqualTo(T0);
        NodeObservation dst = o.node(NodeId.address(DST)).orElseThrow();
        assertThat(dst.destination()).isTrue();
        assertThat(dst.responded()).isTrue();
        assertThat(dst.replyTypes()).containsExactly(ReplyType.icmp(3, 3));
        assertThat(o.node(AGENT).orElseThrow().responded()).isFalse();
        assertThat(o.complete()).isTrue();
        assertThat(o.method()).isEqualTo(UDP_PARIS);
        assertThat(o.trace()).isEqualTo(new TraceKey("fra1", "run1-1"));
        assertThat(o.observedAt()).isEqualTo(T0);
    }

    @Test
    void twoParisFlowsThroughAnEcmpDiamondGiveTwoBranchesAndNoCrossLinks() {
        // A -> B -> {C | D} -> E -> DST; a per-flow balancer at B sends flow 1 via C and flow 2 via D.
        TraceObservations f1 = merge(paris().id("f1").flow(40001).hop(A).hop(B).hop(C).hop(E).destination());
        TraceObservations f2 = merge(paris().id("f2").flow(40002).hop(A).hop(B).hop(D).hop(E).destination());
        TestGraph g = new TestGraph();
        g.apply(f1);
        g.apply(f2);

        assertThat(g.links(LinkKind.DIRECT)).containsExactly("198.18.0.1 -> 198.18.0.2", "198.18.0.2 -> 198.18.0.3",
                "198.18.0.2 -> 198.18.0.4", "198.18.0.3 -> 198.18.0.5", "198.18.0.4 -> 198.18.0.5",
                "198.18.0.5 -> 198.18.9.9", "agent:fra1 -> 198.18.0.1");
        assertThat(g.links(LinkKind.INDIRECT)).isEmpty();
        assertThat(g.links(LinkKind.PLACEHOLDER)).isEmpty();
        assertThat(g.linkCounts.get(new LinkId(NodeId.address(A), NodeId.address(B), LinkKind.DIRECT))).isEqualTo(2);
        assertThat(g.linkCounts.get(new LinkId(NodeId.address(B), NodeId.address(C), LinkKind.DIRECT))).isEqualTo(1);
        assertThat(f1.links()).noneMatch(LinkObservation::ambiguous);
        assertThat(f2.links()).noneMatch(LinkObservation::ambiguous);
    }

    @Test
    void severalAddressesAtOneTtlAreAllLinkedButMarkedAmbiguous() {
        // a per-packet balancer: probes 0 and 2 of TTL 3 went via C, probe 1 via D
        TraceObservations o = merge(paris().hop(A).hop(B).hop(C, D, C).hop(E).destination());

        assertThat(links(o)).containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " -> " + B, B + " -> " + C,
                B + " -> " + D, C + " -> " + E, D + " -> " + E, E + " -> " + DST);
        assertThat(o.links().stream().filter(LinkObservation::ambiguous).map(l -> l.id().toString()))
                .containsExactlyInAnyOrder(B + " -> " + C, B + " -> " + D, C + " -> " + E, D + " -> " + E);
        assertThat(o.links(NodeId.address(B), NodeId.address(C)).get(0).rttsMs()).containsExactly(3.0, 3.2);
        assertThat(o.links(NodeId.address(B), NodeId.address(D)).get(0).rttsMs()).containsExactly(3.1);
    }

    @Test
    void classicUdpTracesLinkNoTwoAddresses() {
        // every classic probe is a new flow: probes of TTL 3 and TTL 4 may have crossed different branches
        TraceObservations o = merge(TraceScript.trace(UDP, "fra1", DST).hop(A).hop(B).hop(C, D, C).silent()
                .hop(E, E, D).destination());

        assertThat(links(o)).containsExactly("agent:fra1 -> " + A);
        assertThat(o.links().get(0).kind()).isEqualTo(LinkKind.DIRECT);
        assertThat(o.nodes()).extracting(NodeObservation::node).containsExactly(NodeId.address(A), NodeId.address(B),
                NodeId.address(C), NodeId.address(D), NodeId.address(E), NodeId.address(DST), AGENT);
        assertThat(o.node(NodeId.address(D)).orElseThrow().ttls()).containsExactly(3, 5);
        assertThat(o.method()).isEqualTo(UDP);
    }

    @Test
    void aSilentHopGivesAnIndirectLinkAndAPlaceholder() {
        TraceObservations o = merge(paris().hop(A).silent().hop(C).destination());

        NodeId anon = anon(2);
        assertThat(links(o)).containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " -> " + anon, anon + " -> " + C,
                A + " ~> " + C, C + " -> " + DST);
        LinkObservation indirect = o.links(NodeId.address(A), NodeId.address(C)).get(0);
        assertThat(indirect.kind()).isEqualTo(LinkKind.INDIRECT);
        assertThat(indirect.gap()).isEqualTo(1);
        assertThat(indirect.fromTtl()).isEqualTo(1);
        assertThat(indirect.toTtl()).isEqualTo(3);
        assertThat(o.links(NodeId.address(A), anon).get(0).kind()).isEqualTo(LinkKind.PLACEHOLDER);
        assertThat(o.links(anon, NodeId.address(C)).get(0).kind()).isEqualTo(LinkKind.PLACEHOLDER);
        NodeObservation placeholder = o.node(anon).orElseThrow();
        assertThat(placeholder.ttls()).containsExactly(2);
        assertThat(placeholder.responded()).isFalse();
        assertThat(anon.kind()).isEqualTo(NodeKind.ANONYMOUS);
        assertThat(anon).hasToString("*fra1/run1-1/2");
    }

    @Test
    void silentFirstHopsLinkTheAgentIndirectly() {
        TraceObservations o = merge(paris().silent().silent().hop(C).destination());

        assertThat(links(o)).containsExactlyInAnyOrder("agent:fra1 -> " + anon(1), anon(1) + " -> " + anon(2),
                anon(2) + " -> " + C, "agent:fra1 ~> " + C, C + " -> " + DST);
        assertThat(o.links(AGENT, NodeId.address(C)).get(0).gap()).isEqualTo(2);
    }

    @Test
    void placeholdersOfTwoTracesAreNeverTheSameNode() {
        TraceObservations t1 = merge(paris().id("t1").hop(A).silent().hop(C).destination());
        TraceObservations t2 = merge(paris().id("t2").hop(A).silent().hop(C).destination());
        TestGraph g = new TestGraph();
        g.apply(t1);
        g.apply(t2);

        assertThat(g.nodes(NodeKind.ANONYMOUS)).isEqualTo(2);
        assertThat(g.links(LinkKind.INDIRECT)).containsExactly(A + " ~> " + C);
        assertThat(g.linkCounts.get(new LinkId(NodeId.address(A), NodeId.address(C), LinkKind.INDIRECT)))
                .isEqualTo(2);
    }

    @Test
    void silenceAfterTheLastReplyMakesNoPlaceholdersAndNoLinkToTheDestination() {
        TraceObservations o = merge(paris().hop(A).hop(B).silent().silent().silent().stop(StopReason.GAP_LIMIT));

        assertThat(links(o)).containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " -> " + B);
        assertThat(o.nodes()).noneMatch(n -> n.node().kind() == NodeKind.ANONYMOUS);
        NodeObservation dst = o.node(NodeId.address(DST)).orElseThrow();
        assertThat(dst.destination()).isTrue();
        assertThat(dst.responded()).isFalse();
        assertThat(dst.ttls()).isEmpty();
    }

    @Test
    void withoutACompletionTtlsBeforeTheFirstReplyCountAsUnprobed() {
        TraceScript.Trace t = paris().firstTtl(3).hop(C).silent().hop(E).build();
        TraceAssembler a = new TraceAssembler(AssemblerSettings.defaults().withOpenTimeout(Duration.ofMinutes(1)));
        Feed.all(a, t.hops(), T0);
        AssembledTrace timedOut = a.expire(T0.plus(Duration.ofMinutes(1))).get(0);

        TraceObservations o = MERGER.merge(timedOut);

        assertThat(o.complete()).isFalse();
        assertThat(o.pathMtu()).isNull();
        assertThat(links(o)).containsExactlyInAnyOrder("agent:fra1 ~> " + C, C + " -> " + anon(4),
                anon(4) + " -> " + E, C + " ~> " + E);
        assertThat(o.links(AGENT, NodeId.address(C)).get(0).gap()).isEqualTo(2);
        assertThat(o.nodes().stream().filter(n -> n.node().kind() == NodeKind.ANONYMOUS)).hasSize(1);
    }

    @Test
    void loopsMakeNoSelfLinks() {
        // A B A B: a forwarding loop between A and B
        TraceObservations o = merge(paris().hop(A).hop(B).hop(A).hop(B).stop(StopReason.LOOP));

        assertThat(links(o)).containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " -> " + B, B + " -> " + A);
        LinkObservation ab = o.links(NodeId.address(A), NodeId.address(B)).get(0);
        assertThat(ab.fromTtl()).isEqualTo(1);
        assertThat(ab.rttsMs()).containsExactly(2.0, 2.1, 2.2, 4.0, 4.1, 4.2);
        assertThat(o.node(NodeId.address(A)).orElseThrow().ttls()).containsExactly(1, 3);
    }

    @Test
    void anAddressAnsweringConsecutiveOrGappedTtlsIsNotLinkedToItself() {
        // B answers TTL 2 with time exceeded and TTL 3 with net unreachable; A answers on both sides of a gap
        TraceObservations unreachable = merge(paris().hop(A).hop(B).unreachable(B, 0));
        TraceObservations gapped = merge(paris().hop(A).silent().hop(A).hop(B).stop(StopReason.LOOP));

        assertThat(links(unreachable)).containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " -> " + B);
        assertThat(unreachable.node(NodeId.address(B)).orElseThrow().replyTypes())
                .containsExactly(ReplyType.icmp(3, 0), ReplyType.icmp(11, 0));
        assertThat(links(gapped)).containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " -> " + anon(2),
                anon(2) + " -> " + A, A + " -> " + B);
        assertThat(gapped.links()).allMatch(l -> !l.from().equals(l.to()));
    }

    @Test
    void mplsLabelsAndMtuAreCarried() {
        MplsLabel l1 = new MplsLabel(16004, 0, true, 1);
        TraceObservations o = merge(paris().hop(A).hop(B).mpls(l1).hop(C).fragmentationNeeded(A, 1400).hop(D)
                .destination());

        NodeObservation b = o.node(NodeId.address(B)).orElseThrow();
        assertThat(b.mplsStacks()).containsExactly(List.of(l1));
        NodeObservation a = o.node(NodeId.address(A)).orElseThrow();
        assertThat(a.mtu()).isEqualTo(1400);
        assertThat(a.ttls()).containsExactly(1);
        assertThat(a.replyTypes()).containsExactly(ReplyType.icmp(3, 4), ReplyType.icmp(11, 0));
        assertThat(a.rttsMs()).hasSize(4);
        // the report came with a TTL 3 probe but says nothing about TTL 3's position: no link A -> D or B -> A
        assertThat(links(o)).containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " -> " + B, B + " -> " + C,
                C + " -> " + D, D + " -> " + DST);
        assertThat(o.links(NodeId.address(A), NodeId.address(B)).get(0).mtu()).isEqualTo(1400);
        assertThat(o.links(NodeId.address(B), NodeId.address(C)).get(0).mtu()).isNull();
        assertThat(o.pathMtu()).isEqualTo(1400);
    }

    @ParameterizedTest
    @EnumSource(value = MeasurementMethod.class, names = {"ICMP_PARIS", "TCP"})
    void otherParisMethodsLinkTheirDestinationReplies(MeasurementMethod method) {
        TraceObservations o = MERGER.merge(Feed.assemble(TraceScript.trace(method, "fra1", DST).hop(A)
                .destination().build()));

        assertThat(links(o)).containsExactlyInAnyOrder("agent:fra1 -> " + A, A + " -> " + DST);
        assertThat(o.node(NodeId.address(DST)).orElseThrow().replyTypes())
                .containsExactly(method == ICMP_PARIS ? ReplyType.icmp(0, 0) : ReplyType.tcp("SA"));
    }

    @Test
    void theSameTraceMergesTheSameWhateverTheArrivalOrder() {
        TraceScript.Trace t = paris().hop(A).hop(B, C, B).silent().hop(D).fragmentationNeeded(B, 1300).destination()
                .build();
        TraceObservations expected = MERGER.merge(Feed.assemble(t));
        for (long seed = 1; seed <= 5; seed++) {
            List<Object> shuffled = new ArrayList<>(t.messages());
            Collections.shuffle(shuffled, new Random(seed));
            AssembledTrace assembled = Feed.all(new TraceAssembler(), shuffled, T0).get(0);
            assertThat(MERGER.merge(assembled)).isEqualTo(expected);
        }
    }

    @Test
    void replayingAStreamWithDuplicatesGivesTheSameGraph() {
        // three agents, two destinations, the ECMP diamond, some silent hops
        List<TraceScript.Trace> traces = new ArrayList<>();
        String[] agents = {"fra1", "ams1", "par1"};
        int n = 0;
        for (String agent : agents) {
            for (int flow = 0; flow < 4; flow++) {
                String mid = flow % 2 == 0 ? C : D;
                traces.add(TraceScript.trace(UDP_PARIS, agent, DST).id("t" + n++).flow(40000 + flow).hop(A).hop(B)
                        .hop(mid).hop(flow == 3 ? null : E).destination().build());
                traces.add(TraceScript.trace(ICMP_PARIS, agent, "198.18.8.8").id("t" + n++).hop(A).silent().hop(mid)
                        .build());
            }
        }
        List<Object> clean = new ArrayList<>();
        traces.forEach(t -> clean.addAll(t.messages()));
        List<Object> noisy = new ArrayList<>(clean);
        noisy.addAll(clean.subList(0, clean.size() / 2));
        Collections.shuffle(noisy, new Random(42));
        noisy.addAll(clean);

        TestGraph once = graph(clean);
        TestGraph replayed = graph(noisy);

        assertThat(replayed.nodeCounts).isEqualTo(once.nodeCounts);
        assertThat(replayed.linkCounts).isEqualTo(once.linkCounts);
        assertThat(replayed.linkAgents).isEqualTo(once.linkAgents);
        assertThat(once.linkAgents.get(new LinkId(NodeId.address(A), NodeId.address(B), LinkKind.DIRECT)))
                .containsExactly("ams1", "fra1", "par1");
        assertThat(once.links(LinkKind.DIRECT)).doesNotContain(C + " -> " + D, D + " -> " + C, B + " -> " + E);
    }

    private static TestGraph graph(List<Object> messages) {
        TraceAssembler a = new TraceAssembler();
        TestGraph g = new TestGraph();
        for (AssembledTrace t : Feed.all(a, messages, T0)) {
            g.apply(MERGER.merge(t));
        }
        return g;
    }
}
