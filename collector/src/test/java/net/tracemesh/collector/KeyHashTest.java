package net.tracemesh.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import org.junit.jupiter.api.Test;

/**
 * Keys of neighbouring addresses, agents and traces (what one batch of a large topology holds) get distinct hash
 * codes: with the records' own hash codes, thousands of them collide.
 */
class KeyHashTest {
    private static final int AGENTS = 60;

    @Test
    void addressesSeenByNeighbouringAgentsHashApart() {
        List<Integer> hashes = new ArrayList<>();
        for (int host = 1; host < 255; host++) {
            NodeId node = NodeId.address("198.18.7." + host);
            for (int agent = 1; agent <= AGENTS; agent++) {
                hashes.add(KeyHash.combine(node.hashCode(), ("agent-" + agent).hashCode()));
            }
        }
        assertThat(Set.copyOf(hashes)).hasSize(hashes.size());
    }

    @Test
    void linksBetweenNeighbouringAddressesHashApart() {
        List<LinkId> links = new ArrayList<>();
        for (int a = 1; a < 200; a++) {
            for (int b = 1; b < 200; b++) {
                links.add(new LinkId(NodeId.address("198.18.1." + a), NodeId.address("198.18.2." + b),
                        LinkKind.DIRECT));
            }
        }
        assertThat(hashCodes(links)).hasSize(links.size());
    }

    @Test
    void tracesOfNeighbouringAgentsHashApart() {
        List<TraceKey> traces = new ArrayList<>();
        for (int agent = 1; agent <= AGENTS; agent++) {
            for (int trace = 1; trace <= 2_000; trace++) {
                traces.add(new TraceKey("agent-" + agent, "3f9a0c1d-" + Integer.toHexString(trace)));
            }
        }
        assertThat(hashCodes(traces)).hasSize(traces.size());
    }

    @Test
    void equalKeysHashAlike() {
        assertThat(new LinkId(NodeId.address("198.18.1.1"), NodeId.agent("a"), LinkKind.INDIRECT).hashCode())
                .isEqualTo(new LinkId(NodeId.address("198.18.1.1"), NodeId.agent("a"), LinkKind.INDIRECT)
                        .hashCode());
        assertThat(new TraceKey("a", "t").hashCode()).isEqualTo(new TraceKey("a", "t").hashCode());
    }

    private static Set<Integer> hashCodes(List<?> keys) {
        return keys.stream().map(Object::hashCode).collect(Collectors.toSet());
    }
}
