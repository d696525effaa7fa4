package net.tracemesh.collector.history;

import static net.tracemesh.collector.fixture.TraceScript.T0;
import static net.tracemesh.measurement.MeasurementMethod.ICMP_PARIS;
import static net.tracemesh.measurement.MeasurementMethod.UDP_PARIS;
import static net.tracemesh.record.StopReason.COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.tracemesh.collector.assemble.AssemblerSettings;
import net.tracemesh.collector.assemble.TraceAssembler;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TraceScript;
import org.junit.jupiter.api.Test;

class RouteTrackerTest {
    private static final String A = "198.18.0.1";
    private static final String B = "198.18.0.2";
    private static final String C = "198.18.0.3";
    private static final String D = "198.18.0.4";
    private static final String DST = "198.18.9.9";
    private static final RouteKey KEY = new RouteKey("fra1", DST, UDP_PARIS);

    private static Route route(String... hops) {
        return Route.of(COMPLETED, null, hops);
    }

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void theFirstRouteStartsAHistory() {
        RouteTracker t = new RouteTracker();

        RouteObservation o = t.observe(KEY, route(A, B, DST), at(0));

        assertThat(o).isInstanceOf(RouteObservation.First.class);
        CurrentRoute c = ((RouteObservation.First) o).current();
        assertThat(c).isEqualTo(new CurrentRoute(route(A, B, DST), at(0), at(0), 1));
        assertThat(t.current(KEY)).contains(c);
    }

    @Test
    void theSameRouteMovesLastSeenOn() {
        RouteTracker t = new RouteTracker();
        t.observe(KEY, route(A, B, DST), at(0));

        RouteObservation o = t.observe(KEY, route(A, B, DST), at(5));

        assertThat(o).isEqualTo(new RouteObservation.Unchanged(KEY,
                new CurrentRoute(route(A, B, DST), at(0), at(5), 2)));
    }

    @Test
    void silentHopsLeaveTheRouteUnchangedAndTheStoredRouteKeepsKnownAddresses() {
        RouteTracker t = new RouteTracker();
        t.observe(KEY, route(A, "*", C, DST), at(0));

        // a silent hop where an address was known: same route, the address stays
        RouteObservation o1 = t.observe(KEY, route("*", "*", C, DST), at(5));
        // an address where the stored route was silent: same route, the address is filled in
        RouteObservation o2 = t.observe(KEY, route(A, B, "*", DST), at(10));

        assertThat(o1).isInstanceOf(RouteObservation.Unchanged.class);
        assertThat(((RouteObservation.Unchanged) o1).current().route()).isEqualTo(route(A, "*", C, DST));
        assertThat(o2).isInstanceOf(RouteObservation.Unchanged.class);
        CurrentRoute c = ((RouteObservation.Unchanged) o2).current();
        assertThat(c.route()).isEqualTo(route(A, B, C, DST));
        assertThat(c.firstSeen()).isEqualTo(at(0));
        assertThat(c.lastSeen()).isEqualTo(at(10));
        assertThat(c.observations()).isEqualTo(3);

        // now that B is known at TTL 2, D there is a change
        RouteObservation o3 = t.observe(KEY, route(A, D, C, DST), at(15));
        assertThat(o3).isInstanceOf(RouteObservation.Changed.class);
        assertThat(((RouteObservation.Changed) o3).event().divergenceTtl()).isEqualTo(2);
    }

    @Test
    void aDifferentRouteIsAChangeWithWhereItDiverges() {
        RouteTracker t = new RouteTracker();
        t.observe(KEY, route(A, B, C, DST), at(0));
        t.observe(KEY, route(A, B, "*", DST), at(5));

        RouteObservation o = t.observe(KEY, route(A, B, D, "*", DST), at(10));

        assertThat(o).isInstanceOf(RouteObservation.Changed.class);
        RouteObservation.Changed changed = (RouteObservation.Changed) o;
        RouteChangeEvent e = changed.event();
        assertThat(e.key()).isEqualTo(KEY);
        assertThat(e.oldRoute()).isEqualTo(route(A, B, C, DST));
        assertThat(e.oldFirstSeen()).isEqualTo(at(0));
        assertThat(e.oldLastSeen()).isEqualTo(at(5));
        assertThat(e.newRoute()).isEqualTo(route(A, B, D, "*", DST));
        assertThat(e.divergenceTtl()).isEqualTo(3);
        assertThat(e.divergence().lastCommonTtl()).isEqualTo(2);
        assertThat(e.divergence().lastCommonHop()).isEqualTo(RouteHop.of(B));
        assertThat(e.time()).isEqualTo(at(10));
        assertThat(changed.current()).isEqualTo(new CurrentRoute(route(A, B, D, "*", DST), at(10), at(10), 1));

        // and back again: a second change
        RouteObservation back = t.observe(KEY, route(A, B, C, DST), at(15));
        assertThat(back).isInstanceOf(RouteObservation.Changed.class);
        assertThat(((RouteObservation.Changed) back).event().oldRoute()).isEqualTo(route(A, B, D, "*", DST));
    }

    @Test
    void observationsOutOfOrderDoNotRewriteHistory() {
        RouteTracker t = new RouteTracker();
        t.observe(KEY, route(A, B, DST), at(10));
        t.observe(KEY, route(A, B, DST), at(20));

        RouteObservation olderDifferent = t.observe(KEY, route(A, C, DST), at(15));
        RouteObservation olderSame = t.observe(KEY, route(A, B, DST), at(12));
        RouteObservation beforePeriod = t.observe(KEY, route(A, B, DST), at(5));

        assertThat(olderDifferent).isEqualTo(new RouteObservation.Stale(KEY, route(A, C, DST), at(15)));
        assertThat(olderSame).isEqualTo(new RouteObservation.Unchanged(KEY,
                new CurrentRoute(route(A, B, DST), at(10), at(20), 3)));
        assertThat(beforePeriod).isInstanceOf(RouteObservation.Stale.class);
        assertThat(t.current(KEY).orElseThrow().lastSeen()).isEqualTo(at(20));
    }

    @Test
    void aRestoredTrackerGoesOnWhereTheStoredOneStopped() {
        RouteTracker first = new RouteTracker();
        first.observe(KEY, route(A, "*", C, DST), at(0));
        first.observe(KEY, route(A, B, C, DST), at(5));
        RouteKey other = new RouteKey("fra1", DST, ICMP_PARIS);
        first.observe(other, route(A, D, DST), at(5));
        Map<RouteKey, CurrentRoute> stored = first.snapshot();

        RouteTracker restarted = new RouteTracker(stored);
        RouteObservation same = restarted.observe(KEY, route(A, B, "*", DST), at(10));
        RouteObservation changed = restarted.observe(other, route(A, C, DST), at(10));

        assertThat(restarted.size()).isEqualTo(2);
        assertThat(same).isEqualTo(new RouteObservation.Unchanged(KEY,
                new CurrentRoute(route(A, B, C, DST), at(0), at(10), 3)));
        assertThat(changed).isInstanceOf(RouteObservation.Changed.class);
        assertThat(((RouteObservation.Changed) changed).event().divergence().lastCommonHop())
                .isEqualTo(RouteHop.of(A));
        assertThat(first.current(other).orElseThrow().route()).isEqualTo(route(A, D, DST));
    }

    @Test
    void keysAreFollowedApart() {
        RouteTracker t = new RouteTracker();
        t.observe(new RouteKey("fra1", DST, UDP_PARIS), route(A, DST), at(0));

        assertThat(t.observe(new RouteKey("ams1", DST, UDP_PARIS), route(C, DST), at(1)))
                .isInstanceOf(RouteObservation.First.class);
        assertThat(t.observe(new RouteKey("fra1", DST, ICMP_PARIS), route(C, DST), at(1)))
                .isInstanceOf(RouteObservation.First.class);
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void assembledTracesAreObservedByAgentDestinationAndMethod() {
        RouteTracker t = new RouteTracker();
        TraceScript.Trace before = TraceScript.trace(UDP_PARIS, "fra1", DST).id("t1").start(at(0)).hop(A).hop(B)
                .destination().build();
        TraceScript.Trace after = TraceScript.trace(UDP_PARIS, "fra1", DST).id("t2").start(at(5)).hop(A).hop(C)
                .destination().build();

        RouteObservation o1 = t.observe(Feed.assemble(before)).orElseThrow();
        RouteObservation o2 = t.observe(Feed.assemble(after)).orElseThrow();

        assertThat(o1).isInstanceOf(RouteObservation.First.class);
        assertThat(o2.key()).isEqualTo(KEY);
        RouteChangeEvent e = ((RouteObservation.Changed) o2).event();
        assertThat(e.divergenceTtl()).isEqualTo(2);
        assertThat(e.divergence().lastCommonHop()).isEqualTo(RouteHop.of(A));
        assertThat(e.time()).isEqualTo(at(5));

        TraceAssembler noEnd = new TraceAssembler(AssemblerSettings.defaults().withOpenTimeout(Duration.ofMinutes(1)));
        Feed.all(noEnd, after.hops(), T0);
        assertThat(t.observe(noEnd.expire(at(1)).get(0))).isEmpty();
    }
}
