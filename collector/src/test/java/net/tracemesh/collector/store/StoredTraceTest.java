package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.MplsLabel;
import net.tracemesh.record.StopReason;
import org.junit.jupiter.api.Test;

/** A batch's form of a trace: its row with the hop records encoded, from which the trace is assembled again. */
class StoredTraceTest {
    private static final List<AssembledTrace> TRACES = List.of(
            Feed.assemble(TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("t-1").probes(2)
                    .hop("198.18.0.1", "198.18.0.1").silent().hop("198.18.0.3").mpls(new MplsLabel(16001, 0, true, 1))
                    .fragmentationNeeded("198.18.0.4", 1400).destination().build()),
            Feed.assemble(TraceScript.trace(MeasurementMethod.ICMP_PARIS, "ams1", "198.18.9.10").id("t-2")
                    .hop("198.18.0.1").unreachable("198.18.0.6", 13).build()),
            Feed.assemble(TraceScript.trace(MeasurementMethod.UDP, "lon1", "198.18.9.11").id("t-3")
                    .hop("198.18.0.4").silent().silent().stop(StopReason.GAP_LIMIT).build()));

    @Test
    void aStoredTraceIsAssembledAgainAsItWas() {
        for (AssembledTrace t : TRACES) {
            StoredTrace stored = StoredTrace.of(t);
            assertThat(stored.assembled()).isEqualTo(t);
            assertThat(stored.key()).isEqualTo(t.key());
            assertThat(stored.routeKey()).isEqualTo(RouteKey.of(t));
            assertThat(stored.complete()).isEqualTo(t.complete());
            assertThat(stored.hopRecords()).isEqualTo(t.hops().size());
            assertThat(HopsCodec.decode(stored.hops())).isEqualTo(t.hops());
        }
    }

    @Test
    void theAddressIndexGetsEachAddressOfATraceOnceAtItsSmallestTtl() {
        long[] packed = AddressTraceLists.smallestTtls(TRACES.get(0).hops());
        Map<Long, Integer> ttls = new TreeMap<>();
        for (long p : packed) {
            assertThat(ttls.put(p >>> 8, (int) (p & 0xFF))).as("one entry per address").isNull();
        }
        assertThat(ttls).containsExactly(
                Map.entry(CollectorStore.addressNumber("198.18.0.1"), 1),
                Map.entry(CollectorStore.addressNumber("198.18.0.3"), 3),
                // the fragmentation-needed report came with the reply at TTL 3
                Map.entry(CollectorStore.addressNumber("198.18.0.4"), 3),
                Map.entry(CollectorStore.addressNumber("198.18.9.9"), 4));
    }
}
