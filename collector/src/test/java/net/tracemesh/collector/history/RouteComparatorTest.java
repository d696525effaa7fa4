package net.tracemesh.collector.history;

import static net.tracemesh.record.StopReason.COMPLETED;
import static net.tracemesh.record.StopReason.GAP_LIMIT;
import static net.tracemesh.record.StopReason.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteComparatorTest {
    private static final String A = "198.18.0.1";
    private static final String B = "198.18.0.2";
    private static final String C = "198.18.0.3";
    private static final String D = "198.18.0.4";
    private static final String DST = "198.18.9.9";

    private static Route completed(String... hops) {
        return Route.of(COMPLETED, null, hops);
    }

    @Test
    void equalRoutesAreTheSame() {
        assertThat(RouteComparator.sameRoute(completed(A, B, C, DST), completed(A, B, C, DST))).isTrue();
        assertThat(RouteComparator.divergence(completed(A, B, DST), completed(A, B, DST))).isEmpty();
    }

    @Test
    void aSilentHopOnEitherSideMatchesAnything() {
        assertThat(RouteComparator.sameRoute(completed(A, "*", C, DST), completed(A, B, C, DST))).isTrue();
        assertThat(RouteComparator.sameRoute(completed(A, B, C, DST), completed("*", B, "*", DST))).isTrue();
        assertThat(RouteComparator.sameRoute(completed("*", "*", "*", DST), completed(A, B, C, DST))).isTrue();
    }

    @Test
    void aDifferentAddressIsWhereTheRoutesDiverge() {
        Divergence d = RouteComparator.divergence(completed(A, B, C, DST), completed(A, B, D, DST)).orElseThrow();

        assertThat(d.ttl()).isEqualTo(3);
        assertThat(d.lastCommonTtl()).isEqualTo(2);
        assertThat(d.lastCommonHop()).isEqualTo(RouteHop.of(B));
    }

    @Test
    void theLastCommonHopSkipsSilentHops() {
        Divergence d = RouteComparator.divergence(completed(A, "*", C, DST), completed(A, B, D, DST)).orElseThrow();

        assertThat(d.ttl()).isEqualTo(3);
        assertThat(d.lastCommonTtl()).isEqualTo(1);
        assertThat(d.lastCommonHop()).isEqualTo(RouteHop.of(A));
    }

    @Test
    void routesThatDifferAtTheFirstHopHaveNoCommonHop() {
        Divergence d = RouteComparator.divergence(completed(A, B, DST), completed(D, B, DST)).orElseThrow();

        assertThat(d.ttl()).isEqualTo(1);
        assertThat(d.lastCommonTtl()).isZero();
        assertThat(d.lastCommonHop()).isNull();
    }

    @Test
    void routesOfDifferentLengthsDivergeAtTheFirstDifferentHopOrWhereTheShorterEnds() {
        Route shorter = completed(A, B, DST);

        Divergence d = RouteComparator.divergence(shorter, completed(A, B, C, DST)).orElseThrow();
        // a silent hop matches even the destination: the routes differ only where the shorter one has ended
        Divergence silent = RouteComparator.divergence(shorter, completed(A, B, "*", DST)).orElseThrow();

        assertThat(d.ttl()).isEqualTo(3);
        assertThat(d.lastCommonTtl()).isEqualTo(2);
        assertThat(silent.ttl()).isEqualTo(4);
        assertThat(silent.lastCommonTtl()).isEqualTo(2);
        assertThat(RouteComparator.divergence(completed(A, B, "*", DST), shorter)).contains(silent);
    }

    @Test
    void routesThatEndDifferentlyDivergeAtTheStopTtl() {
        Route reached = completed(A, B, C);
        Route unreachable = Route.of(UNREACHABLE, 1, A, B, C);
        Route filtered = Route.of(UNREACHABLE, 13, A, B, C);
        Route gap = Route.of(GAP_LIMIT, null, A, B, "*");

        Divergence d = RouteComparator.divergence(reached, unreachable).orElseThrow();

        assertThat(d.ttl()).isEqualTo(3);
        assertThat(d.lastCommonTtl()).isEqualTo(2);
        assertThat(RouteComparator.sameRoute(unreachable, filtered)).isFalse();
        assertThat(RouteComparator.sameRoute(reached, gap)).isFalse();
    }

    @Test
    void severalAddressesAtOneTtlMustBeTheSameSet() {
        Route both = completed(A, B + "|" + C, DST);
        assertThat(RouteComparator.sameRoute(both, completed(A, C + "|" + B, DST))).isTrue();
        assertThat(RouteComparator.sameRoute(both, completed(A, B, DST))).isFalse();
        assertThat(RouteComparator.sameRoute(both, completed(A, "*", DST))).isTrue();
    }

    @Test
    void ttlsBelowARoutesFirstTtlWereNotProbedAndMatchAnything() {
        Route fromThree = new Route(3, List.of(RouteHop.of(C), RouteHop.of(DST)), COMPLETED, null);
        assertThat(RouteComparator.sameRoute(fromThree, completed(A, B, C, DST))).isTrue();
        assertThat(RouteComparator.divergence(fromThree, completed(A, B, D, DST)).orElseThrow().ttl()).isEqualTo(3);
    }

    @Test
    void routesRoundTripThroughTheirText() {
        Route r = new Route(2, List.of(RouteHop.of(B), RouteHop.SILENT, RouteHop.of(D, C)), UNREACHABLE, 13);

        assertThat(r.encode()).isEqualTo("2 unreachable/13 198.18.0.2,*,198.18.0.3|198.18.0.4");
        assertThat(Route.parse(r.encode())).isEqualTo(r);
        assertThat(r.stopTtl()).isEqualTo(4);
        assertThat(completed(A, DST).encode()).isEqualTo("1 completed 198.18.0.1,198.18.9.9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1 completed", "x completed 198.18.0.1", "1 finished 198.18.0.1",
            "1 completed 198.18.0.1,,198.18.0.2", "1 completed 198.18.0.256", "0 completed 198.18.0.1",
            "1 completed/3 198.18.0.1", "1 unreachable 198.18.0.1", "1 completed 198.18.0.1 extra"})
    void malformedRouteTextIsRefused(String text) {
        assertThatThrownBy(() -> Route.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isEmpty() ? "route" : text);
    }

    @Test
    void routesAreValidated() {
        assertThatThrownBy(() -> new Route(1, List.of(), COMPLETED, null))
                .hasMessage("a route has at least one hop");
        assertThatThrownBy(() -> new Route(255, List.of(RouteHop.SILENT, RouteHop.SILENT), COMPLETED, null))
                .hasMessage("a route's TTLs must lie in 1..255, got 255..256");
        assertThatThrownBy(() -> Route.of(COMPLETED, 1, A))
                .hasMessage("stop icmp code is present exactly when the stop reason is unreachable");
    }
}
