package net.tracemesh.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryCodecTest {
    @TempDir
    Path dir;

    @Test
    void framesRoundTripThroughWriterAndReader() throws Exception {
        List<SpoolEntry> entries = List.of(
                new SpoolEntry(0, 0, "tracemesh.hops", new byte[] {1, 2, 3}, new byte[] {4, 5}),
                new SpoolEntry(1, 7, "t", null, null),
                new SpoolEntry(Long.MAX_VALUE, Long.MAX_VALUE, "\u00e9\u20ac", new byte[0], new byte[0]),
                new SpoolEntry(2, 1, "x".repeat(255), null, new byte[FrameWriter.BUFFER_BYTES * 3 + 17]));
        Path file = write(entries);
        assertThat(Files.size(file)).isEqualTo(entries.stream().mapToLong(e -> EntryCodec.frameLength(
                SpoolEntry.utf8Length(e.topic()), e.key(), e.value())).sum());

        Segment segment = new Segment(file, 0);
        try (SegmentReader reader = new SegmentReader()) {
            long offset = 0;
            for (SpoolEntry expected : entries) {
                assertThat(reader.load(segment, offset, Files.size(file))).isEqualTo(SegmentReader.Frame.OK);
                assertThat(EntryCodec.crcMatches(reader.payload(), reader.storedCrc())).isTrue();
                assertThat(EntryCodec.decode(reader.payload())).isEqualTo(expected);
                assertThat(reader.sequence()).isEqualTo(expected.sequence());
                assertThat(reader.round()).isEqualTo(expected.round());
                offset += reader.frameLength();
            }
            assertThat(reader.load(segment, offset, Files.size(file))).isEqualTo(SegmentReader.Frame.END);
        }
    }

    @Test
    void readerReportsTruncatedAndImpossibleFrames() throws Exception {
        Path file = write(List.of(new SpoolEntry(5, 0, "t", null, new byte[40])));
        long size = Files.size(file);
        Segment segment = new Segment(file, 5);
        try (SegmentReader reader = new SegmentReader()) {
            assertThat(reader.load(segment, 0, size - 1)).isEqualTo(SegmentReader.Frame.TRUNCATED);
            assertThat(reader.load(segment, 0, 5)).isEqualTo(SegmentReader.Frame.TRUNCATED);
            assertThat(reader.peek(segment, 0, size)).isEqualTo(SegmentReader.Frame.OK);
            assertThat(reader.sequence()).isEqualTo(5);
        }
        SpoolFixtures.overwriteInt(file, 0, EntryCodec.MIN_PAYLOAD_BYTES - 1);
        try (SegmentReader reader = new SegmentReader()) {
            assertThat(reader.load(segment, 0, size)).isEqualTo(SegmentReader.Frame.BAD_LENGTH);
        }
    }

    @Test
    void crcDetectsAFlippedBit() throws Exception {
        Path file = write(List.of(new SpoolEntry(5, 0, "t", new byte[] {1}, new byte[] {2})));
        SpoolFixtures.flipByte(file, EntryCodec.HEADER_BYTES + 3);
        try (SegmentReader reader = new SegmentReader()) {
            assertThat(reader.load(new Segment(file, 5), 0, Files.size(file))).isEqualTo(SegmentReader.Frame.OK);
            assertThat(EntryCodec.crcMatches(reader.payload(), reader.storedCrc())).isFalse();
        }
    }

    @Test
    void decodeRefusesLengthsThatDoNotAddUp() {
        // sequence, round, topic "t", key length 2 (but only one byte follows before the value length), value null
        ByteBuffer payload = ByteBuffer.allocate(8 + 8 + 2 + 1 + 4 + 1 + 4);
        payload.putLong(1).putLong(1).putShort((short) 1).put((byte) 't').putInt(2).put((byte) 0).putInt(-1).flip();
        assertThatThrownBy(() -> EntryCodec.decode(payload)).isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("key length");

        ByteBuffer zeroTopic = ByteBuffer.allocate(EntryCodec.MIN_PAYLOAD_BYTES);
        zeroTopic.putLong(1).putLong(1).putShort((short) 0).put((byte) 't').putInt(-1).putInt(-1).flip();
        assertThatThrownBy(() -> EntryCodec.decode(zeroTopic)).isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("topic length");

        ByteBuffer trailing = ByteBuffer.allocate(EntryCodec.MIN_PAYLOAD_BYTES + 2);
        trailing.putLong(1).putLong(1).putShort((short) 1).put((byte) 't').putInt(-1).putInt(-1).putShort((short) 0)
                .flip();
        assertThatThrownBy(() -> EntryCodec.decode(trailing)).isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("unexpected bytes");

        ByteBuffer negativeSequence = ByteBuffer.allocate(EntryCodec.MIN_PAYLOAD_BYTES);
        negativeSequence.putLong(-4).putLong(1).putShort((short) 1).put((byte) 't').putInt(-1).putInt(-1).flip();
        assertThatThrownBy(() -> EntryCodec.decode(negativeSequence)).isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("sequence");
    }

    private Path write(List<SpoolEntry> entries) throws IOException {
        Path file = dir.resolve("frames");
        FrameWriter writer = new FrameWriter();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writer.target(channel);
            for (SpoolEntry entry : entries) {
                writer.write(entry, entry.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            writer.drain();
        }
        return file;
    }
}
