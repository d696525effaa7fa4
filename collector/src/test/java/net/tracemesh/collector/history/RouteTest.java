package net.tracemesh.collector.history;

import static net.tracemesh.collector.fixture.TraceScript.T0;
import static net.tracemesh.measurement.MeasurementMethod.UDP_PARIS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.AssemblerSettings;
import net.tracemesh.collector.assemble.TraceAssembler;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.record.StopReason;
import org.junit.jupiter.api.Test;

class RouteTest {
    private static final String DST = "198.18.9.9";

    @Test
    void aTracesRouteHasOneHopPerTtlUpToItsStop() {
        AssembledTrace t = Feed.assemble(TraceScript.trace(UDP_PARIS, "fra1", DST).hop("198.18.0.1").silent()
                .hop("198.18.0.3", "198.18.0.4", null).fragmentationNeeded("198.18.0.1", 1400).destination().build());

        Route r = Route.of(t).orElseThrow();

        assertThat(r.encode()).isEqualTo("1 completed 198.18.0.1,*,198.18.0.3|198.18.0.4,198.18.9.9");
        assertThat(r.hop(3)).contains(RouteHop.of("198.18.0.4", "198.18.0.3"));
        assertThat(r.hop(5)).isEmpty();
        assertThat(r.hop(0)).isEmpty();
    }

    @Test
    void aTraceWithoutCompletionHasNoRouteAndMissingHopsAreSilent() {
        TraceScript.Trace script = TraceScript.trace(UDP_PARIS, "fra1", DST).firstTtl(2).hop("198.18.0.2")
                .hop("198.18.0.3").stop(StopReason.GAP_LIMIT).build();
        TraceAssembler noEnd = new TraceAssembler(AssemblerSettings.defaults().withOpenTimeout(Duration.ofMinutes(1)));
        Feed.all(noEnd, script.hops(), T0);
        AssembledTrace withoutCompletion = noEnd.expire(T0.plus(Duration.ofMinutes(1))).get(0);
        TraceAssembler lost = new TraceAssembler(AssemblerSettings.defaults().withOpenTimeout(Duration.ofMinutes(1)));
        Feed.all(lost, List.of(script.hops().get(0), script.completion()), T0);
        AssembledTrace missingHops = lost.expire(T0.plus(Duration.ofMinutes(1))).get(0);

        assertThat(Route.of(withoutCompletion)).isEmpty();
        assertThat(Route.of(missingHops).orElseThrow().encode()).isEqualTo("2 gap_limit 198.18.0.2,*");
    }

    @Test
    void fillingSilentHopsKeepsKnownOnesAndTheEnding() {
        Route held = Route.of(StopReason.COMPLETED, null, "198.18.0.1", "*", "*", "198.18.9.9");
        Route seen = new Route(2, List.of(RouteHop.of("198.18.0.2"), RouteHop.SILENT, RouteHop.SILENT),
                StopReason.COMPLETED, null);

        assertThat(held.fillSilentFrom(seen).encode()).isEqualTo("1 completed 198.18.0.1,198.18.0.2,*,198.18.9.9");
        assertThat(seen.fillSilentFrom(held).encode()).isEqualTo("1 completed 198.18.0.1,198.18.0.2,*,198.18.9.9");
    }
}
