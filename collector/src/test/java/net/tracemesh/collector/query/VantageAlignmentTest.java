package net.tracemesh.collector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.StopReason;
import net.tracemesh.wire.icmp.IcmpType;
import net.tracemesh.wire.icmp.UnreachableCode;
import org.junit.jupiter.api.Test;

class VantageAlignmentTest {
    private static final String X = "198.18.0.1";
    private static final String Y = "198.18.0.2";
    private static final String Z = "198.18.0.3";
    private static final String J = "198.18.5.1";
    private static final String K = "198.18.5.2";
    private static final String DST = "198.18.9.9";

    private static Route completed(String... hops) {
        return Route.of(StopReason.COMPLETED, null, hops);
    }

    private static Map<String, Route> routes(Route a, Route b) {
        Map<String, Route> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    private static HopRecord reply(int ttl, String addr, double rtt) {
        return new HopRecord(ttl, addr, rtt, IcmpType.TIME_EXCEEDED, 0, 64, 0, null, null, null);
    }

    @Test
    void routesJoinAtTheEarliestHopOfTheirCommonTail() {
        VantageComparison.Convergence c = VantageAlignment.convergence(
                routes(completed(X, J, K, DST), completed(Y, Z, J, K, DST)));
        assertThat(c.hop()).isEqualTo(RouteHop.of(J));
        assertThat(c.ttlByAgent()).containsEntry("a", 2).containsEntry("b", 3);
    }

    @Test
    void aSharedHopFollowedByDifferentHopsIsNoConvergence() {
        // J is on both routes, but they part again after it and end at different hops
        assertThat(VantageAlignment.convergence(routes(completed(X, J, Y), completed(Z, J, K)))).isNull();
    }

    @Test
    void silentHopsInTheTailMatchAndTrailingSilenceIsIgnored() {
        VantageComparison.Convergence c = VantageAlignment.convergence(
                routes(completed(X, J, "*", DST), Route.of(StopReason.MAX_TTL, null, Y, J, K, DST, "*", "*")));
        assertThat(c.hop()).isEqualTo(RouteHop.of(J));
        assertThat(c.ttlByAgent()).containsEntry("a", 2).containsEntry("b", 2);
    }

    @Test
    void theMedianOfAnEvenNumberOfRepliesIsTheMeanOfTheMiddleTwoAndFragmentationReportsDoNotCount() {
        List<HopRecord> replies = List.of(reply(3, J, 4.0), reply(3, J, 1.0), reply(3, K, 2.0), reply(3, J, 3.0),
                new HopRecord(3, X, 0.2, IcmpType.DESTINATION_UNREACHABLE, UnreachableCode.FRAGMENTATION_NEEDED, 64, 0,
                        1400, null, null));
        assertThat(VantageAlignment.median(replies, 3, null)).isCloseTo(2.5, within(1e-9));
        assertThat(VantageAlignment.median(replies, 3, J)).isCloseTo(3.0, within(1e-9));
        assertThat(VantageAlignment.median(replies, 3, X)).isNull();
        assertThat(VantageAlignment.median(replies, 4, null)).isNull();
        assertThat(VantageAlignment.median(null, 3, null)).isNull();
    }

    @Test
    void rowsSpanEveryTtlOfEveryRoute() {
        Route late = new Route(2, List.of(RouteHop.of(J), RouteHop.of(DST)), StopReason.COMPLETED, null);
        List<VantageComparison.Row> rows = VantageAlignment.rows(routes(completed(X, J, K, DST), late), Map.of());
        assertThat(rows).extracting(VantageComparison.Row::ttl).containsExactly(1, 2, 3, 4);
        assertThat(rows.get(0).byAgent()).containsOnlyKeys("a");
        assertThat(rows.get(1).aligned()).isTrue();
        assertThat(rows.get(2).aligned()).isFalse();
        assertThat(rows.get(1).byAgent().get("b").medianRttMs()).isNull();
    }
}
