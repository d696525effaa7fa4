package net.tracemesh.agent.spool;

import static net.tracemesh.agent.spool.SpoolFixtures.FRAME;
import static net.tracemesh.agent.spool.SpoolFixtures.SEGMENT;
import static net.tracemesh.agent.spool.SpoolFixtures.VALUE_BYTE;
import static net.tracemesh.agent.spool.SpoolFixtures.appendAll;
import static net.tracemesh.agent.spool.SpoolFixtures.drain;
import static net.tracemesh.agent.spool.SpoolFixtures.entries;
import static net.tracemesh.agent.spool.SpoolFixtures.entry;
import static net.tracemesh.agent.spool.SpoolFixtures.flipByte;
import static net.tracemesh.agent.spool.SpoolFixtures.overwriteInt;
import static net.tracemesh.agent.spool.SpoolFixtures.range;
import static net.tracemesh.agent.spool.SpoolFixtures.segmentFiles;
import static net.tracemesh.agent.spool.SpoolFixtures.sequences;
import static net.tracemesh.agent.spool.SpoolFixtures.snapshot;
import static net.tracemesh.agent.spool.SpoolFixtures.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpoolRecoveryTest {
    private static final long MAX = 100 * SEGMENT;

    @TempDir
    Path root;

    private Path dir() {
        return root.resolve("spool");
    }

    @Test
    void reopeningAfterCloseResumesJustAfterTheAcknowledgedSequence() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 30);
            assertThat(spool.read(30)).hasSize(30);
            spool.acknowledge(5); // deletes no segment: persisted by close
        }
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(spool.pendingEntries()).isEqualTo(24);
            assertThat(spool.lastSequence()).isEqualTo(29);
            assertThat(spool.corruptedEntries()).isZero();
            assertThat(sequences(drain(spool, 7))).isEqualTo(range(6, 30));
            spool.acknowledge(12);
            assertThatThrownBy(() -> spool.append(entry(29))).isInstanceOf(IllegalArgumentException.class);
            spool.append(entry(30));
        }
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(13, 31));
        }
    }

    @Test
    void aDrainedSpoolRemembersTheLastSequenceAcrossReopens() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 10);
            spool.acknowledge(9);
        }
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(spool.isEmpty()).isTrue();
            assertThat(spool.lastSequence()).isEqualTo(9);
            assertThatThrownBy(() -> spool.append(entry(5))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aCrashMayDeliverAcknowledgedEntriesAgainButNeverLosesOthers() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 30);
            spool.flush();
            assertThat(spool.read(30)).hasSize(30);

            spool.acknowledge(5); // no segment deleted: maybe not persisted yet
            try (Spool crashed = Spool.open(snapshot(dir(), root.resolve("crash1")), MAX, SEGMENT)) {
                List<Long> read = sequences(drain(crashed, 100));
                assertThat(read.get(0)).isIn(0L, 6L);
                assertThat(read).isEqualTo(range(read.get(0), 30));
            }

            spool.acknowledge(15); // deletes segment 0..9, so the position is persisted first
            appendAll(spool, 30, 33);
            spool.flush();
            try (Spool crashed = Spool.open(snapshot(dir(), root.resolve("crash2")), MAX, SEGMENT)) {
                assertThat(sequences(drain(crashed, 100))).isEqualTo(range(16, 33));
                assertThat(crashed.corruptedEntries()).isZero();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 30, FRAME - 8, FRAME - 5, FRAME - 1})
    void aTornWriteAtTheEndOfTheLastSegmentIsCutOff(int bytesCut) throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 25);
        }
        Path last = segmentFiles(dir()).get(2);
        truncate(last, 5L * FRAME - bytesCut);
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(spool.corruptedEntries()).isZero();
            assertThat(spool.pendingEntries()).isEqualTo(24);
            assertThat(Files.size(last)).isEqualTo(4L * FRAME);
            assertThat(spool.sizeBytes()).isEqualTo(24L * FRAME);
            assertThat(spool.lastSequence()).isEqualTo(23);
            spool.append(entry(24));
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(0, 25));
        }
    }

    @Test
    void aLastSegmentHoldingOnlyATornWriteIsRemoved() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 21);
        }
        Path last = segmentFiles(dir()).get(2);
        truncate(last, FRAME / 2);
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(Files.exists(last)).isFalse();
            assertThat(spool.pendingEntries()).isEqualTo(20);
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(0, 20));
        }
    }

    @Test
    void aFlippedByteInsideASegmentLosesTheRestOfThatSegmentOnly() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 40);
        }
        Path second = segmentFiles(dir()).get(1);
        flipByte(second, 4L * FRAME + VALUE_BYTE);
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(spool.corruptedEntries()).isEqualTo(6);
            assertThat(spool.pendingEntries()).isEqualTo(34);
            assertThat(Files.size(second)).isEqualTo(4L * FRAME);
            List<SpoolEntry> read = drain(spool, 100);
            List<Long> expected = new ArrayList<>(range(0, 14));
            expected.addAll(range(20, 40));
            assertThat(sequences(read)).isEqualTo(expected);
            assertThat(read.get(13)).isEqualTo(entry(13));
        }
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(spool.corruptedEntries()).as("counted once, when found").isZero();
            assertThat(spool.pendingEntries()).isEqualTo(34);
        }
    }

    @Test
    void aFlippedByteInTheLastSegmentLosesItsRestAndAppendingGoesOn() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 40);
        }
        flipByte(segmentFiles(dir()).get(3), 2L * FRAME + 20);
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(spool.corruptedEntries()).isEqualTo(8);
            assertThat(spool.lastSequence()).isEqualTo(31);
            appendAll(spool, 40, 42);
            List<Long> expected = new ArrayList<>(range(0, 32));
            expected.addAll(range(40, 42));
            assertThat(sequences(drain(spool, 100))).isEqualTo(expected);
        }
    }

    @Test
    void aCorruptFirstEntryRemovesTheWholeSegment() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 30);
        }
        Path second = segmentFiles(dir()).get(1);
        flipByte(second, VALUE_BYTE);
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(spool.corruptedEntries()).isEqualTo(10);
            assertThat(Files.exists(second)).isFalse();
            List<Long> expected = new ArrayList<>(range(0, 10));
            expected.addAll(range(20, 30));
            assertThat(sequences(drain(spool, 100))).isEqualTo(expected);
        }
    }

    @Test
    void aDamagedLengthFieldLosesTheRestOfTheSegment() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 30);
        }
        overwriteInt(segmentFiles(dir()).get(1), 4L * FRAME, 0x7FFF_FFFF);
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            // the frames after a damaged length cannot be delimited: at least the damaged one is counted
            assertThat(spool.corruptedEntries()).isEqualTo(1);
            List<Long> expected = new ArrayList<>(range(0, 14));
            expected.addAll(range(20, 30));
            assertThat(sequences(drain(spool, 100))).isEqualTo(expected);
        }
    }

    @Test
    void corruptionMetWhileReadingSkipsTheRestOfTheSegment() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 30);
            spool.flush();
            flipByte(segmentFiles(dir()).get(1), 4L * FRAME + VALUE_BYTE);
            List<Long> expected = new ArrayList<>(range(0, 14));
            expected.addAll(range(20, 30));
            assertThat(sequences(drain(spool, 8))).isEqualTo(expected);
            assertThat(spool.corruptedEntries()).isEqualTo(6);
            assertThat(spool.pendingEntries()).isEqualTo(24);
            assertThat(spool.sizeBytes()).isEqualTo(24L * FRAME);
            spool.acknowledge(29);
            assertThat(spool.isEmpty()).isTrue();
            assertThat(segmentFiles(dir())).isEmpty();
        }
    }

    @Test
    void corruptionInTheSegmentBeingAppendedToIsSkippedAndAppendingMovesToANewSegment() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 5);
            spool.flush();
            flipByte(segmentFiles(dir()).get(0), 3L * FRAME + VALUE_BYTE);
            assertThat(sequences(drain(spool, 100))).containsExactly(0L, 1L, 2L);
            assertThat(spool.corruptedEntries()).isEqualTo(2);
            appendAll(spool, 5, 7);
            assertThat(segmentFiles(dir())).hasSize(2);
            assertThat(sequences(drain(spool, 100))).containsExactly(5L, 6L);
        }
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(sequences(drain(spool, 100))).containsExactly(0L, 1L, 2L, 5L, 6L);
        }
    }

    @Test
    void damageFoundWhileAcknowledgingIsCountedAndSkipped() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 30);
            spool.flush();
            truncate(segmentFiles(dir()).get(1), 4L * FRAME + 10); // entries 14..19 cut behind the spool's back
            spool.acknowledge(17);
            assertThat(spool.corruptedEntries()).isEqualTo(6);
            assertThat(spool.pendingEntries()).isEqualTo(10);
            assertThat(segmentFiles(dir())).hasSize(1);
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(20, 30));
        }
    }

    @Test
    void anUnreadableAcknowledgementFileMeansEverythingIsDeliveredAgain() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 20);
            spool.acknowledge(15);
        }
        Files.write(dir().resolve(SpoolFiles.ACK_FILE), new byte[] {1, 2, 3});
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(10, 20));
        }
    }

    @Test
    void theAcknowledgementFileRoundTripsAndRejectsDamage() throws IOException {
        Files.createDirectories(dir());
        Path file = dir().resolve(SpoolFiles.ACK_FILE);
        assertThat(AckFile.read(file)).isEqualTo(AckFile.NONE);
        AckFile.write(file, 123_456_789_012L);
        assertThat(AckFile.read(file)).isEqualTo(123_456_789_012L);
        assertThat(Files.exists(SpoolFiles.temporaryPath(file))).isFalse();
        flipByte(file, 10);
        assertThat(AckFile.read(file)).isEqualTo(AckFile.NONE);
    }

    @Test
    void segmentsAcknowledgedBeforeACrashAreDeletedOnOpen() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 20);
        }
        AckFile.write(dir().resolve(SpoolFiles.ACK_FILE), 12);
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(segmentFiles(dir())).hasSize(1);
            assertThat(spool.pendingEntries()).isEqualTo(7);
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(13, 20));
        }
    }

    @Test
    void leftoverTemporaryFilesAreDeletedOnOpen() throws IOException {
        Files.createDirectories(dir());
        Path segmentTemp = dir().resolve("00000000000000000005.seg.tmp");
        Path ackTemp = dir().resolve(SpoolFiles.ACK_FILE + SpoolFiles.TEMPORARY_SUFFIX);
        Files.write(segmentTemp, new byte[] {1, 2, 3});
        Files.write(ackTemp, new byte[] {4});
        Path unrelated = dir().resolve("notes.txt");
        Files.writeString(unrelated, "keep me");
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(spool.isEmpty()).isTrue();
        }
        assertThat(segmentTemp).doesNotExist();
        assertThat(ackTemp).doesNotExist();
        assertThat(unrelated).exists();
    }

    @Test
    void aCrashWhileTheHeadWasBeingRewrittenKeepsOneCopyOfEachEntry() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            for (long s : new long[] {10, 20, 30}) {
                spool.append(entry(s));
            }
            spool.acknowledge(10);
        }
        // what prepend's head rewrite leaves if the process dies after the rename, before deleting the original
        Path original = segmentFiles(dir()).get(0);
        Path copy = SpoolFiles.segmentPath(dir(), 20);
        try (FileChannel in = FileChannel.open(original, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(FRAME, 2L * FRAME, out);
        }
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            assertThat(original).doesNotExist();
            assertThat(spool.pendingEntries()).isEqualTo(2);
            assertThat(sequences(drain(spool, 100))).containsExactly(20L, 30L);
        }
    }

    @Test
    void openingWithASmallerLimitDropsTheOldestSegments() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 0, 40);
        }
        try (Spool spool = Spool.open(dir(), 2 * SEGMENT, SEGMENT)) {
            assertThat(spool.droppedEntries()).isEqualTo(20);
            assertThat(spool.droppedRounds()).isEqualTo(2);
            assertThat(spool.sizeBytes()).isEqualTo(2 * SEGMENT);
            assertThat(sequences(drain(spool, 100))).isEqualTo(range(20, 40));
        }
    }

    @Test
    void prependedSegmentsAreWrittenWhole() throws IOException {
        try (Spool spool = Spool.open(dir(), MAX, SEGMENT)) {
            appendAll(spool, 100, 105);
            spool.prepend(entries(0, 3));
            // a crash right now: the prepended segment is complete on disk (forced before it was renamed into place)
            try (Spool crashed = Spool.open(snapshot(dir(), root.resolve("crash")), MAX, SEGMENT)) {
                assertThat(sequences(crashed.read(3))).containsExactly(0L, 1L, 2L);
            }
        }
    }
}
