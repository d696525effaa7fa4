package net.tracemesh.collector.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import org.junit.jupiter.api.Test;

class SubgraphSelectionTest {
    private static final NodeId AGENT = NodeId.agent("fra1");
    private static final NodeId A = NodeId.address("198.18.0.1");
    private static final NodeId B = NodeId.address("198.18.0.2");
    private static final NodeId C = NodeId.address("198.18.0.3");
    private static final NodeId P1 = new NodeId(NodeKind.ANONYMOUS, "fra1/t/2");
    private static final NodeId P2 = new NodeId(NodeKind.ANONYMOUS, "fra1/t/3");

    /** agent -> A -> P1 -> P2 -> B, and A -> C. */
    private static final List<LinkId> LINKS = List.of(new LinkId(AGENT, A, LinkKind.DIRECT),
            new LinkId(A, P1, LinkKind.PLACEHOLDER), new LinkId(P1, P2, LinkKind.PLACEHOLDER),
            new LinkId(P2, B, LinkKind.PLACEHOLDER), new LinkId(A, B, LinkKind.INDIRECT),
            new LinkId(A, C, LinkKind.DIRECT));
    private static final Map<NodeId, Long> WEIGHTS = Map.of(AGENT, 5L, A, 5L, B, 3L, C, 2L, P1, 1L, P2, 1L);

    @Test
    void aRunOfPlaceholdersIsKeptWhenItConnectsKeptNodes() {
        SubgraphSelection.Result r = SubgraphSelection.select(WEIGHTS, null, LINKS, 100);
        assertThat(r.kept()).containsExactlyInAnyOrder(AGENT, A, B, C, P1, P2);
        assertThat(r.matched()).isEqualTo(6);
    }

    @Test
    void aRunHangingOffOneKeptNodeIsLeftOut() {
        SubgraphSelection.Result r = SubgraphSelection.select(WEIGHTS, Set.of(AGENT, A, C), LINKS, 100);
        assertThat(r.kept()).containsExactlyInAnyOrder(AGENT, A, C);
        assertThat(r.matched()).isEqualTo(3);
    }

    @Test
    void theLimitKeepsTheMostObservedNodesThenWholeRunsThatFit() {
        SubgraphSelection.Result three = SubgraphSelection.select(WEIGHTS, null, LINKS, 3);
        // A and the agent tie at 5: both kept; then B
        assertThat(three.kept()).containsExactlyInAnyOrder(AGENT, A, B);
        assertThat(three.matched()).isEqualTo(6);
        // five places: four named nodes and no room for the whole run of two
        assertThat(SubgraphSelection.select(WEIGHTS, null, LINKS, 5).kept())
                .containsExactlyInAnyOrder(AGENT, A, B, C);
        // ties are broken by node order: addresses before agents
        assertThat(SubgraphSelection.select(WEIGHTS, null, LINKS, 1).kept()).containsExactly(A);
    }
}
