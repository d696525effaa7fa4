package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import net.tracemesh.collector.topology.ReplyType;
import net.tracemesh.record.MplsLabel;
import org.junit.jupiter.api.Test;

class ColumnCodecTest {
    @Test
    void replyTypesRoundTrip() {
        SortedSet<ReplyType> types = new TreeSet<>(List.of(ReplyType.tcp("SA"), ReplyType.icmp(11, 0),
                ReplyType.icmp(3, 3)));

        assertThat(ColumnCodec.replyTypes(ColumnCodec.replyTypes(types))).isEqualTo(types);
        assertThat(ColumnCodec.replyTypes("")).isEmpty();
    }

    @Test
    void mplsStacksRoundTrip() {
        List<MplsLabel> stack = List.of(new MplsLabel(16001, 5, false, 1), new MplsLabel(3, 0, true, 254));

        assertThat(ColumnCodec.stack(ColumnCodec.stack(stack))).isEqualTo(stack);
        SortedSet<String> texts = new TreeSet<>(List.of(ColumnCodec.stack(stack)));
        assertThat(ColumnCodec.stacks(ColumnCodec.stacksColumn(texts))).containsExactly(stack);
        assertThat(ColumnCodec.stacks("")).isEmpty();
    }

    @Test
    void theKeptStacksDoNotDependOnArrivalOrder() {
        SortedSet<String> all = new TreeSet<>();
        for (int label = 100; label < 100 + 2 * ColumnCodec.MAX_MPLS_STACKS; label++) {
            all.add(ColumnCodec.stack(List.of(new MplsLabel(label, 0, true, 1))));
        }
        SortedSet<String> firstHalf = new TreeSet<>(all.headSet(all.stream().skip(ColumnCodec.MAX_MPLS_STACKS)
                .findFirst().orElseThrow()));
        SortedSet<String> secondHalf = new TreeSet<>(all.tailSet(firstHalf.last() + "~"));

        // applying the second half first, then the first half, keeps the same (smallest) stacks
        SortedSet<String> late = ColumnCodec.stackTexts(ColumnCodec.stacksColumn(secondHalf));
        late.addAll(firstHalf);
        assertThat(ColumnCodec.stacksColumn(late)).isEqualTo(ColumnCodec.stacksColumn(all));
        assertThat(ColumnCodec.stacks(ColumnCodec.stacksColumn(all))).hasSize(ColumnCodec.MAX_MPLS_STACKS);
    }
}
