package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.LinkObservation;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.NodeObservation;
import net.tracemesh.collector.topology.TraceMerger;
import net.tracemesh.collector.topology.TraceObservations;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.record.StopReason;
import org.junit.jupiter.api.Test;

/** A trace's placeholder links in the compact form its row would keep them in, instead of rows of their own. */
class PlaceholderLinksCodecTest {
    private static final TraceMerger MERGER = new TraceMerger();

    /**
     * Traces whose merger output has placeholders: a gap between two answers (with an RTT and two probes per TTL), a
     * gap right after the agent, an ambiguous TTL next to a gap, a fragmentation-needed report before a gap (the
     * near end's MTU), two gaps in one trace, and a gap before an unreachable destination.
     */
    private static final List<TraceObservations> TRACES = List.of(
            merge(TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("t-1").probes(2)
                    .hop("198.18.0.1", "198.18.0.1").silent().hop("198.18.0.3").rtt(7.125).destination()),
            merge(TraceScript.trace(MeasurementMethod.ICMP_PARIS, "ams1", "198.18.9.10").id("t-2")
                    .silent().silent().hop("198.18.0.6").destination()),
            merge(TraceScript.trace(MeasurementMethod.UDP_PARIS, "lon1", "198.18.9.11").id("t-3").probes(2)
                    .hop("198.18.0.1", "198.18.0.2").silent().hop("198.18.0.4", "198.18.0.5").destination()),
            merge(TraceScript.trace(MeasurementMethod.TCP, "par1", "198.18.9.12").id("t-4")
                    .hop("198.18.0.7").fragmentationNeeded("198.18.0.7", 1400).silent().hop("198.18.0.8")
                    .silent().silent().hop("198.18.0.9").destination()),
            merge(TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.13").id("t-5")
                    .hop("198.18.0.1").silent().unreachable("198.18.9.13", 13)));

    private static TraceObservations merge(TraceScript script) {
        return MERGER.merge(Feed.assemble(script.build()));
    }

    private static List<LinkObservation> placeholderLinks(TraceObservations t) {
        return t.links().stream().filter(l -> l.kind() == LinkKind.PLACEHOLDER).toList();
    }

    private static byte[] encode(TraceObservations t) {
        return PlaceholderLinksCodec.encode(t.trace(), t.observedAt(), t.links());
    }

    private static Function<byte[], List<LinkObservation>> decoderOf(TraceObservations t) {
        return b -> PlaceholderLinksCodec.decode(t.trace(), t.observedAt(), b);
    }

    @Test
    void theTracesHavePlaceholdersToKeep() {
        for (TraceObservations t : TRACES) {
            assertThat(placeholderLinks(t)).as(t.trace().toString()).isNotEmpty();
        }
        assertThat(TRACES.stream().flatMap(t -> placeholderLinks(t).stream()))
                .anyMatch(LinkObservation::ambiguous)
                .anyMatch(l -> l.mtu() != null)
                .anyMatch(l -> l.from().kind() == NodeKind.AGENT)
                .anyMatch(l -> !l.rttsMs().isEmpty());
    }

    @Test
    void aTracesPlaceholderLinksAndPlaceholdersComeBackAsTheMergerSawThem() {
        for (TraceObservations t : TRACES) {
            List<LinkObservation> decoded = decoderOf(t).apply(encode(t));
            assertThat(decoded).as(t.trace().toString()).isEqualTo(placeholderLinks(t));
            List<NodeObservation> placeholders = t.nodes().stream()
                    .filter(n -> n.node().kind() == NodeKind.ANONYMOUS).toList();
            assertThat(PlaceholderLinksCodec.placeholders(decoded)).as(t.trace().toString())
                    .containsExactlyInAnyOrderElementsOf(placeholders);
        }
    }

    @Test
    void aTraceWithoutPlaceholdersHasNoEncoding() {
        TraceObservations t = merge(TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9").id("t-6")
                .hop("198.18.0.1").hop("198.18.0.2").destination());
        assertThat(encode(t)).isNull();
        TraceObservations silentEnd = merge(TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", "198.18.9.9")
                .id("t-7").hop("198.18.0.1").silent().silent().stop(StopReason.GAP_LIMIT));
        assertThat(encode(silentEnd)).as("silent TTLs after the last answer have no placeholders").isNull();
    }

    @Test
    void decodesTheStoredFormatOfAKnownTrace() throws IOException {
        // bytes written by this format's first version: a stored trace must stay readable
        byte[] stored;
        try (InputStream in = getClass().getResourceAsStream("/store/placeholder-links-format-1.hex")) {
            stored = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        TraceObservations t = TRACES.get(3);
        assertThat(decoderOf(t).apply(stored)).isEqualTo(placeholderLinks(t));
        assertThat(encode(t)).isEqualTo(stored);
    }

    @Test
    void linksOfAnotherTraceAreRefused() {
        TraceObservations t = TRACES.get(0);
        assertThatThrownBy(() -> PlaceholderLinksCodec.encode(new TraceKey("fra1", "other"), t.observedAt(),
                t.links())).hasMessageContaining("is not trace");
        assertThatThrownBy(() -> PlaceholderLinksCodec.encode(new TraceKey("ams1", "t-1"), t.observedAt(),
                t.links())).hasMessageContaining("was seen by fra1");
        assertThatThrownBy(() -> PlaceholderLinksCodec.encode(t.trace(), t.observedAt().plusSeconds(1), t.links()))
                .hasMessageContaining("was seen by fra1");
    }

    @Test
    void everyTruncationIsRefused() {
        for (TraceObservations t : TRACES) {
            StoredBytesChecks.everyTruncationIsRefused(encode(t), decoderOf(t));
        }
    }

    @Test
    void trailingBytesUnknownFormatsFlagsAndImpossibleLinksAreRefused() {
        TraceObservations t = TRACES.get(1);
        Function<byte[], List<LinkObservation>> decode = decoderOf(t);
        byte[] whole = encode(t);
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThatThrownBy(() -> decode.apply(longer)).hasMessageContaining("after the last placeholder link");
        byte[] format = whole.clone();
        format[0] = 2;
        assertThatThrownBy(() -> decode.apply(format)).hasMessageContaining("format 2");
        // the first link: agent at TTL 0 to the placeholder at TTL 1 (format, count, TTLs, then the flags byte)
        assertThat(Arrays.copyOfRange(whole, 2, 5)).containsExactly(0, 1, 2 | 4);
        byte[] flags = whole.clone();
        flags[4] = (byte) 0x80;
        assertThatThrownBy(() -> decode.apply(flags)).hasMessageContaining("unknown placeholder link flags");
        byte[] both = whole.clone();
        both[4] = 1 | 2 | 4;
        assertThatThrownBy(() -> decode.apply(both)).hasMessageContaining("not both");
        byte[] agentAway = whole.clone();
        agentAway[2] = 3;
        agentAway[3] = 4;
        assertThatThrownBy(() -> decode.apply(agentAway)).hasMessageContaining("the agent is at TTL 0");
        byte[] backwards = whole.clone();
        backwards[3] = 0;
        assertThatThrownBy(() -> decode.apply(backwards)).isInstanceOf(IllegalArgumentException.class);
        byte[] noPlaceholder = whole.clone();
        noPlaceholder[4] = 2;
        assertThatThrownBy(() -> decode.apply(noPlaceholder)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decode.apply(new byte[] {1, 0})).hasMessageContaining("count out of range");
        assertThatThrownBy(() -> decode.apply(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomAndMutatedBytesGiveLinksOrAClearRefusal() {
        TraceObservations t = TRACES.get(3);
        StoredBytesChecks.randomAndMutatedBytesDecodeOrAreRefused(encode(t), 21, decoderOf(t),
                links -> PlaceholderLinksCodec.encode(t.trace(), t.observedAt(), links));
    }

    @Test
    void aPlaceholderKeyNamesItsTraceAndTtl() {
        TraceObservations t = TRACES.get(1);
        assertThat(PlaceholderLinksCodec.placeholders(decoderOf(t).apply(encode(t))))
                .extracting(NodeObservation::node)
                .containsExactly(NodeId.anonymous(new TraceKey("ams1", "t-2"), 1),
                        NodeId.anonymous(new TraceKey("ams1", "t-2"), 2));
    }
}
