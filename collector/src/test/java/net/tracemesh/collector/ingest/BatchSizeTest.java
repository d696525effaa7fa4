package net.tracemesh.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many traces a batch may grow to, by heap. */
class BatchSizeTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void twoBatchesTakeAThirdOfTheHeapAtMost() {
        assertThat(CollectorIngest.maxBatchTraces(1024 * MIB)).isEqualTo(29_127);
        long heap = 1536 * MIB;
        assertThat(2 * CollectorIngest.maxBatchTraces(heap) * CollectorIngest.BATCH_BYTES_PER_TRACE)
                .isLessThanOrEqualTo(heap / 3);
    }

    @Test
    void aLargeHeapGetsTheLargestBatchesAndASmallOneStillBatches() {
        assertThat(CollectorIngest.maxBatchTraces(6 * 1024 * MIB)).isEqualTo(CollectorIngest.MAX_BATCH_TRACES);
        assertThat(CollectorIngest.maxBatchTraces(Long.MAX_VALUE)).isEqualTo(CollectorIngest.MAX_BATCH_TRACES);
        assertThat(CollectorIngest.maxBatchTraces(16 * MIB)).isEqualTo(CollectorIngest.MIN_BATCH_TRACES);
    }
}
