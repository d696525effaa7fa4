package net.tracemesh.agent.spool;

import static net.tracemesh.agent.spool.SpoolFixtures.FRAME;
import static net.tracemesh.agent.spool.SpoolFixtures.SEGMENT;
import static net.tracemesh.agent.spool.SpoolFixtures.appendAll;
import static net.tracemesh.agent.spool.SpoolFixtures.drain;
import static net.tracemesh.agent.spool.SpoolFixtures.entries;
import static net.tracemesh.agent.spool.SpoolFixtures.entry;
import static net.tracemesh.agent.spool.SpoolFixtures.range;
import static net.tracemesh.agent.spool.SpoolFixtures.segmentFiles;
import static net.tracemesh.agent.spool.SpoolFixtures.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    private static final long MAX = 100 * SEGMENT;

    @TempDir
    Path dir;

    @Test
    void fixtureEntriesHaveTheFrameSizeTheTestsAssume() {
        SpoolEntry e = entry(123);
        assertThat(EntryCodec.frameLength(SpoolEntry.utf8Length(e.topic()), e.key(), e.value())).isEqualTo(FRAME);
    }

    @Test
    void readsBackWhatWasAppendedInOrderUntilAcknowledged() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            assertThat(spool.isEmpty()).isTrue();
            assertThat(spool.read(10)).isEmpty();
            appendAll(spool, 0, 10);
            assertThat(spool.isEmpty()).isFalse();
            assertThat(spool.pendingEntries()).isEqualTo(10);
            assertThat(spool.sizeBytes()).isEqualTo(10 * FRAME);

            assertThat(spool.read(100)).containsExactlyElementsOf(entries(0, 10));
            assertThat(spool.read(100)).isEmpty();
            assertThat(spool.pendingEntries()).isEqualTo(10);

            spool.acknowledge(4);
            assertThat(spool.pendingEntries()).isEqualTo(5);
            spool.acknowledge(9);
            assertThat(spool.isEmpty()).isTrue();
            assertThat(spool.pendingEntries()).isZero();
            assertThat(spool.read(100)).isEmpty();
        }
    }

    @Test
    void readsInBatches() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 0, 25);
            assertThat(sequences(spool.read(10))).isEqualTo(range(0, 10));
            assertThat(sequences(spool.read(10))).isEqualTo(range(10, 20));
            assertThat(sequences(spool.read(10))).isEqualTo(range(20, 25));
            assertThat(spool.read(10)).isEmpty();
            appendAll(spool, 25, 27);
            assertThat(sequences(spool.read(10))).isEqualTo(range(25, 27));
            assertThatThrownBy(() -> spool.read(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rewindReReadsEverythingUnacknowledged() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 0, 30);
            assertThat(spool.read(25)).hasSize(25);
            spool.acknowledge(13);
            spool.rewind();
            assertThat(sequences(drain(spool, 7))).isEqualTo(range(14, 30));
            spool.rewind();
            assertThat(spool.read(1)).containsExactly(entry(14));
        }
    }

    @Test
    void acknowledgingDeletesSegmentsWithNothingLeftUnacknowledged() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 0, 35);
            assertThat(segmentFiles(dir)).hasSize(4);
            assertThat(spool.sizeBytes()).isEqualTo(35 * FRAME);
            drain(spool, 100);

            spool.acknowledge(9);
            assertThat(segmentFiles(dir)).hasSize(3);
            spool.acknowledge(15);
            assertThat(segmentFiles(dir)).hasSize(3);
            assertThat(spool.sizeBytes()).isEqualTo(25 * FRAME);
            spool.acknowledge(29);
            assertThat(segmentFiles(dir)).hasSize(1);
            assertThat(spool.sizeBytes()).isEqualTo(5 * FRAME);

            spool.acknowledge(34);
            assertThat(segmentFiles(dir)).isEmpty();
            assertThat(spool.sizeBytes()).isZero();
            assertThat(spool.isEmpty()).isTrue();

            appendAll(spool, 35, 37);
            assertThat(sequences(spool.read(10))).containsExactly(35L, 36L);
        }
    }

    @Test
    void repeatedOrOlderAcknowledgementsChangeNothing() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 0, 10);
            spool.acknowledge(5);
            spool.acknowledge(5);
            spool.acknowledge(2);
            assertThat(spool.pendingEntries()).isEqualTo(4);
            assertThat(sequences(spool.read(100))).isEqualTo(range(6, 10));
            assertThatThrownBy(() -> spool.acknowledge(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void acknowledgingASequenceBetweenEntriesCoversEverythingBelowIt() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            for (long s : new long[] {10, 20, 30}) {
                spool.append(entry(s));
            }
            assertThat(spool.read(1)).containsExactly(entry(10));
            spool.acknowledge(25);
            assertThat(spool.pendingEntries()).isEqualTo(1);
            assertThat(spool.read(5)).containsExactly(entry(30));
        }
    }

    @Test
    void acknowledgingAheadOfTheReadCursorMovesIt() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 0, 30);
            assertThat(spool.read(3)).hasSize(3);
            spool.acknowledge(22);
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(23, 30));
        }
    }

    @Test
    void acknowledgingPastTheLastEntryRaisesTheNextSequenceAllowed() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 0, 5);
            spool.acknowledge(100);
            assertThat(spool.isEmpty()).isTrue();
            assertThat(spool.lastSequence()).isEqualTo(100);
            assertThatThrownBy(() -> spool.append(entry(50))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("100");
            spool.append(entry(101));
            assertThat(spool.read(5)).containsExactly(entry(101));
        }
    }

    @Test
    void refusesSequencesThatAreNotIncreasing() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            spool.append(entry(5));
            assertThatThrownBy(() -> spool.append(entry(5))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sequence 5 must be greater than 5");
            assertThatThrownBy(() -> spool.append(entry(3))).isInstanceOf(IllegalArgumentException.class);
            spool.append(entry(9));
            assertThat(sequences(spool.read(10))).containsExactly(5L, 9L);
            assertThat(spool.lastSequence()).isEqualTo(9);
        }
    }

    @Test
    void keepsNullKeysAndValues() throws IOException {
        SpoolEntry tombstone = new SpoolEntry(1, 2, "tracemesh.measurements", "chain-icmp".getBytes(), null);
        SpoolEntry keyless = new SpoolEntry(2, 2, "tracemesh.hops", null, new byte[] {1, 2, 3});
        SpoolEntry bare = new SpoolEntry(3, 3, "tracemesh.errors", null, null);
        SpoolEntry empty = new SpoolEntry(4, 3, "tracemesh.errors", new byte[0], new byte[0]);
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            for (SpoolEntry e : List.of(tombstone, keyless, bare, empty)) {
                spool.append(e);
            }
            List<SpoolEntry> read = spool.read(10);
            assertThat(read).containsExactly(tombstone, keyless, bare, empty);
            assertThat(read.get(0).value()).isNull();
            assertThat(read.get(1).key()).isNull();
            assertThat(read.get(3).key()).isEmpty();
        }
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            assertThat(spool.read(10)).containsExactly(tombstone, keyless, bare, empty);
        }
    }

    @Test
    void keepsBigKeysAndValues() throws IOException {
        byte[] bigKey = new byte[SpoolEntry.MAX_DATA_BYTES];
        byte[] bigValue = new byte[SpoolEntry.MAX_DATA_BYTES];
        for (int i = 0; i < bigValue.length; i++) {
            bigKey[i] = (byte) (i * 7);
            bigValue[i] = (byte) (i >>> 9);
        }
        SpoolEntry big = new SpoolEntry(1, 1, "tracemesh.traces", bigKey, bigValue);
        SpoolEntry halfBig = new SpoolEntry(2, 1, "tracemesh.traces", null, new byte[3 * 1024 * 1024 + 5]);
        long max = 4 * Spool.DEFAULT_SEGMENT_BYTES + 8L * SpoolEntry.MAX_DATA_BYTES;
        try (Spool spool = Spool.open(dir, max)) {
            spool.append(entry(0));
            spool.append(big);
            spool.append(halfBig);
            spool.append(entry(3));
            assertThat(spool.read(1)).containsExactly(entry(0));
            assertThat(spool.read(1)).containsExactly(big);
            assertThat(spool.read(5)).containsExactly(halfBig, entry(3));
            assertThat(segmentFiles(dir)).hasSize(3);
        }
        try (Spool spool = Spool.open(dir, max)) {
            assertThat(drain(spool, 10)).containsExactly(entry(0), big, halfBig, entry(3));
        }
    }

    @Test
    void readBatchesStopAtAByteBudget() throws IOException {
        byte[] value = new byte[5 * 1024 * 1024];
        try (Spool spool = Spool.open(dir, 16 * Spool.DEFAULT_SEGMENT_BYTES)) {
            for (long s = 0; s < 6; s++) {
                spool.append(new SpoolEntry(s, 0, "t", null, value));
            }
            List<SpoolEntry> first = spool.read(100);
            assertThat(first.size()).isBetween(1, 5);
            assertThat((first.size() - 1L) * value.length).isLessThan(Spool.READ_BATCH_MAX_BYTES);
            assertThat(sequences(first)).isEqualTo(range(0, first.size()));
            assertThat(first.size() + drain(spool, 100).size()).isEqualTo(6);
        }
    }

    @Test
    void rollsSegmentsAndKeepsOrderAcrossManyOfThem() throws IOException {
        try (Spool spool = Spool.open(dir, 1_000 * SEGMENT, SEGMENT)) {
            appendAll(spool, 0, 3_000);
            assertThat(segmentFiles(dir)).hasSize(300);
            assertThat(segmentFiles(dir).get(0).getFileName().toString()).isEqualTo("00000000000000000000.seg");
            assertThat(segmentFiles(dir).get(299).getFileName().toString()).isEqualTo("00000000000000002990.seg");
            List<Long> seen = new ArrayList<>();
            List<SpoolEntry> batch;
            while (!(batch = spool.read(37)).isEmpty()) {
                seen.addAll(sequences(batch));
                spool.acknowledge(batch.get(batch.size() - 1).sequence());
            }
            assertThat(seen).isEqualTo(range(0, 3_000));
            assertThat(segmentFiles(dir)).isEmpty();
            assertThat(spool.isEmpty()).isTrue();
        }
    }

    @Test
    void refusesALimitBelowTwoSegments() {
        assertThatThrownBy(() -> Spool.open(dir, 2 * Spool.DEFAULT_SEGMENT_BYTES - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least two segments")
                .hasMessageContaining(Long.toString(2 * Spool.DEFAULT_SEGMENT_BYTES));
        assertThatThrownBy(() -> Spool.open(dir, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Spool.open(dir, 3 * SEGMENT, 2 * SEGMENT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Spool.open(dir, 10_000, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segmentBytes");
    }

    @Test
    void aFullSpoolDropsItsOldestSegmentsAndCountsEntriesAndRounds() throws IOException {
        // four segments of ten 100-byte entries fit in 4096 bytes; round = sequence / 10
        try (Spool spool = Spool.open(dir, 4096, SEGMENT)) {
            appendAll(spool, 0, 200);
            assertThat(spool.sizeBytes()).isEqualTo(4 * SEGMENT).isLessThanOrEqualTo(4096);
            assertThat(segmentFiles(dir)).hasSize(4);
            assertThat(spool.droppedEntries()).isEqualTo(160);
            assertThat(spool.droppedRounds()).isEqualTo(16);
            assertThat(spool.pendingEntries()).isEqualTo(40);
            assertThat(sequences(drain(spool, 1000))).isEqualTo(range(160, 200));
        }
    }

    @Test
    void droppedRoundsAreCountedOnceEvenWhenTheyInterleave() throws IOException {
        try (Spool spool = Spool.open(dir, 4096, SEGMENT)) {
            for (long s = 0; s < 200; s++) {
                spool.append(entry(s, 1_000 + s % 7));
            }
            assertThat(spool.droppedEntries()).isEqualTo(160);
            assertThat(spool.droppedRounds()).isEqualTo(7);
        }
    }

    @Test
    void droppingNeverCountsAcknowledgedEntriesAndMovesTheReadCursorOn() throws IOException {
        try (Spool spool = Spool.open(dir, 4096, SEGMENT)) {
            appendAll(spool, 0, 40);
            assertThat(spool.read(6)).hasSize(6);
            spool.acknowledge(3);
            appendAll(spool, 40, 41); // drops segment 0..9, whose 0..3 were acknowledged
            assertThat(spool.droppedEntries()).isEqualTo(6);
            assertThat(spool.droppedRounds()).isEqualTo(1);
            assertThat(spool.pendingEntries()).isEqualTo(31);
            assertThat(sequences(spool.read(3))).containsExactly(10L, 11L, 12L);
            spool.rewind();
            assertThat(spool.read(1)).containsExactly(entry(10));
        }
    }

    @Test
    void neverDropsTheSegmentBeingAppendedTo() throws IOException {
        try (Spool spool = Spool.open(dir, 2 * SEGMENT, SEGMENT)) {
            appendAll(spool, 0, 45);
            assertThat(spool.sizeBytes()).isLessThanOrEqualTo(2 * SEGMENT);
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(30, 45));
            assertThat(spool.droppedEntries()).isEqualTo(30);
        }
    }

    @Test
    void anEntryLargerThanTheWholeSpoolIsDroppedAndCounted() throws IOException {
        try (Spool spool = Spool.open(dir, 2 * SEGMENT, SEGMENT)) {
            spool.append(entry(0));
            spool.append(new SpoolEntry(1, 77, "t", null, new byte[(int) (2 * SEGMENT)]));
            spool.append(entry(2));
            assertThat(spool.droppedEntries()).isEqualTo(1);
            assertThat(spool.droppedRounds()).isEqualTo(1);
            assertThat(sequences(spool.read(10))).containsExactly(0L, 2L);
            assertThatThrownBy(() -> spool.append(entry(1))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anEntryLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
        SpoolEntry wide = new SpoolEntry(1, 0, "t", null, new byte[(int) SEGMENT + 10]);
        try (Spool spool = Spool.open(dir, 10 * SEGMENT, SEGMENT)) {
            spool.append(entry(0));
            spool.append(wide);
            spool.append(entry(2));
            assertThat(segmentFiles(dir)).hasSize(3);
            assertThat(spool.read(10)).containsExactly(entry(0), wide, entry(2));
        }
    }

    @Test
    void prependedEntriesAreReadFirst() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 100, 115);
            assertThat(spool.read(4)).hasSize(4);
            spool.prepend(entries(50, 55));
            assertThat(spool.pendingEntries()).isEqualTo(20);
            assertThat(sequences(drain(spool, 6)))
                    .isEqualTo(concat(range(50, 55), range(100, 115)));
            spool.acknowledge(54);
            assertThat(spool.pendingEntries()).isEqualTo(15);
        }
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(100, 115));
        }
    }

    @Test
    void prependedEntriesSurviveAReopen() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 100, 103);
            spool.prepend(entries(10, 35)); // more than a segment: written as several
            assertThat(segmentFiles(dir)).hasSize(4);
        }
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            assertThat(spool.pendingEntries()).isEqualTo(28);
            assertThat(sequences(drain(spool, 100))).isEqualTo(concat(range(10, 35), range(100, 103)));
        }
    }

    @Test
    void prependGoesBetweenAcknowledgedAndUnacknowledgedEntriesOfTheHeadSegment() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            for (long s : new long[] {10, 20, 30, 40}) {
                spool.append(entry(s));
            }
            assertThat(spool.read(2)).hasSize(2);
            spool.acknowledge(10);
            spool.prepend(List.of(entry(15), entry(17)));
            assertThat(sequences(drain(spool, 100))).containsExactly(15L, 17L, 20L, 30L, 40L);
            assertThat(spool.sizeBytes()).isEqualTo(5 * FRAME);
            spool.append(entry(50)); // still appending after the head was rewritten
            assertThat(sequences(spool.read(10))).containsExactly(50L);
        }
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            assertThat(sequences(drain(spool, 100))).containsExactly(15L, 17L, 20L, 30L, 40L, 50L);
            spool.acknowledge(50);
            assertThat(segmentFiles(dir)).isEmpty();
        }
    }

    @Test
    void prependIntoAnEmptySpoolRaisesTheNextSequenceAllowed() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            spool.prepend(entries(5, 8));
            assertThat(spool.lastSequence()).isEqualTo(7);
            assertThatThrownBy(() -> spool.append(entry(7))).isInstanceOf(IllegalArgumentException.class);
            spool.append(entry(8));
            assertThat(sequences(drain(spool, 10))).isEqualTo(range(5, 9));
        }
    }

    @Test
    void prependRefusesEntriesThatDoNotFitBelowTheSpool() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 10, 20);
            assertThatThrownBy(() -> spool.prepend(List.of(entry(5), entry(3))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sorted");
            assertThatThrownBy(() -> spool.prepend(List.of(entry(5), entry(5))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sorted");
            spool.acknowledge(12);
            assertThatThrownBy(() -> spool.prepend(List.of(entry(11))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already acknowledged");
            assertThatThrownBy(() -> spool.prepend(List.of(entry(13))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below 13");
            spool.prepend(List.of());
            assertThat(spool.pendingEntries()).isEqualTo(7);
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(13, 20));
        }
    }

    @Test
    void prependIntoAFullSpoolDropsTheOldestPrependedEntries() throws IOException {
        try (Spool spool = Spool.open(dir, 2 * SEGMENT, SEGMENT)) {
            appendAll(spool, 100, 115);
            spool.prepend(entries(0, 10));
            assertThat(spool.sizeBytes()).isLessThanOrEqualTo(2 * SEGMENT);
            assertThat(spool.droppedEntries()).isEqualTo(5);
            assertThat(spool.droppedRounds()).isEqualTo(1);
            assertThat(sequences(drain(spool, 100))).isEqualTo(concat(range(5, 10), range(100, 115)));
        }
    }

    @Test
    void onlyOneSpoolAtATimePerDirectory() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            assertThatThrownBy(() -> Spool.open(dir, MAX, SEGMENT)).isInstanceOf(IOException.class)
                    .hasMessageContaining("already open");
            spool.append(entry(1));
        }
        try (Spool again = Spool.open(dir, MAX, SEGMENT)) {
            assertThat(again.pendingEntries()).isEqualTo(1);
        }
    }

    @Test
    void aClosedSpoolRefusesWorkAndClosesOnce() throws IOException {
        Spool spool = Spool.open(dir, MAX, SEGMENT);
        spool.append(entry(1));
        spool.close();
        spool.close();
        assertThatThrownBy(() -> spool.append(entry(2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> spool.read(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> spool.acknowledge(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(spool::rewind).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(spool::flush).isInstanceOf(IllegalStateException.class);
        assertThat(spool.pendingEntries()).isEqualTo(1);
    }

    @Test
    void anotherThreadCanReadAndAcknowledgeWhileEntriesAreAppended() throws Exception {
        int total = 20_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Long> seen = new ArrayList<>();
        try (Spool spool = Spool.open(dir, 10_000 * SEGMENT, 100 * SEGMENT)) {
            Thread reader = new Thread(() -> {
                try {
                    while (seen.size() < total) {
                        List<SpoolEntry> batch = spool.read(100);
                        if (batch.isEmpty()) {
                            Thread.onSpinWait();
                            continue;
                        }
                        seen.addAll(sequences(batch));
                        spool.acknowledge(batch.get(batch.size() - 1).sequence());
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            appendAll(spool, 0, total);
            reader.join(120_000);
            assertThat(failure.get()).isNull();
            assertThat(reader.isAlive()).isFalse();
            assertThat(seen).isEqualTo(range(0, total));
            assertThat(spool.isEmpty()).isTrue();
        }
    }

    @Test
    void theDirectoryHoldsOnlySegmentsTheAckFileAndTheLock() throws IOException {
        try (Spool spool = Spool.open(dir, MAX, SEGMENT)) {
            appendAll(spool, 0, 15);
            spool.read(15);
            spool.acknowledge(3);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("00000000000000000000.seg", "00000000000000000010.seg",
                            SpoolFiles.ACK_FILE, SpoolFiles.LOCK_FILE);
        }
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
