package net.tracemesh.collector.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.tracemesh.collector.assemble.TraceKey;
import org.junit.jupiter.api.Test;

class NodeIdTest {
    private static final NodeId PLACEHOLDER = NodeId.anonymous(new TraceKey("fra1-a", "run1-7"), 3);

    @Test
    void aPlaceholderNamesTheAgentOfItsTrace() {
        assertThat(PLACEHOLDER.key()).isEqualTo("fra1-a/run1-7/3");
        assertThat(PLACEHOLDER.placeholderAgent()).contains("fra1-a");
        assertThat(NodeId.address("198.18.0.1").placeholderAgent()).isEmpty();
        assertThat(NodeId.agent("fra1-a").placeholderAgent()).isEmpty();
    }

    @Test
    void aLinkOfAPlaceholderNamesTheAgentOfItsTraceFromEitherEnd() {
        NodeId a = NodeId.address("198.18.0.1");
        assertThat(new LinkId(a, PLACEHOLDER, LinkKind.PLACEHOLDER).placeholderAgent()).contains("fra1-a");
        assertThat(new LinkId(PLACEHOLDER, a, LinkKind.PLACEHOLDER).placeholderAgent()).contains("fra1-a");
        assertThat(new LinkId(NodeId.agent("ams1"), a, LinkKind.DIRECT).placeholderAgent()).isEmpty();
    }

    @Test
    void aPlaceholderKeyWithoutItsAgentIsRefused() {
        for (String key : new String[] {"fra1", "/run1-7/3"}) {
            assertThatThrownBy(() -> new NodeId(NodeKind.ANONYMOUS, key))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent/trace/ttl");
        }
    }

    @Test
    void keysAreEqualByKindAndKey() {
        assertThat(NodeId.address("198.18.0.1")).isEqualTo(new NodeId(NodeKind.ADDRESS, "198.18.0.1"))
                .hasSameHashCodeAs(new NodeId(NodeKind.ADDRESS, "198.18.0.1"))
                .isNotEqualTo(NodeId.agent("198.18.0.1")).isNotEqualTo("198.18.0.1");
        LinkId l = new LinkId(NodeId.agent("ams1"), NodeId.address("198.18.0.1"), LinkKind.DIRECT);
        assertThat(l).isEqualTo(new LinkId(NodeId.agent("ams1"), NodeId.address("198.18.0.1"), LinkKind.DIRECT))
                .isNotEqualTo(new LinkId(NodeId.agent("ams1"), NodeId.address("198.18.0.1"), LinkKind.INDIRECT))
                .isNotEqualTo(new LinkId(NodeId.address("198.18.0.1"), NodeId.agent("ams1"), LinkKind.DIRECT));
    }
}
