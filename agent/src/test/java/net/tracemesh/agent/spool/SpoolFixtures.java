package net.tracemesh.agent.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Entries of a known frame size and helpers that look at or damage a spool directory behind its back. */
final class SpoolFixtures {
    static final String TOPIC = "t";
    static final int KEY_BYTES = 8;
    static final int VALUE_BYTES = 57;
    /** Frame length of {@link #entry}: 8 header + 26 fixed + 1 topic + 8 key + 57 value. */
    static final int FRAME = 100;
    /** Ten frames per segment exactly. */
    static final long SEGMENT = 10 * FRAME;
    /** Byte offset, inside a frame, of a byte in the middle of the value. */
    static final int VALUE_BYTE = FRAME - VALUE_BYTES / 2;

    private SpoolFixtures() {
    }

    /** An entry of exactly {@link #FRAME} bytes, its round being {@code sequence / 10}. */
    static SpoolEntry entry(long sequence) {
        return entry(sequence, sequence / 10);
    }

    static SpoolEntry entry(long sequence, long round) {
        byte[] key = ByteBuffer.allocate(KEY_BYTES).putLong(sequence).array();
        byte[] value = new byte[VALUE_BYTES];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (sequence * 31 + i);
        }
        return new SpoolEntry(sequence, round, TOPIC, key, value);
    }

    static List<SpoolEntry> entries(long from, long toExclusive) {
        List<SpoolEntry> list = new ArrayList<>();
        for (long s = from; s < toExclusive; s++) {
            list.add(entry(s));
        }
        return list;
    }

    static void appendAll(Spool spool, long from, long toExclusive) throws IOException {
        for (long s = from; s < toExclusive; s++) {
            spool.append(entry(s));
        }
    }

    /** Reads until the spool has nothing more, in batches of {@code batch}. */
    static List<SpoolEntry> drain(Spool spool, int batch) throws IOException {
        List<SpoolEntry> all = new ArrayList<>();
        List<SpoolEntry> next;
        while (!(next = spool.read(batch)).isEmpty()) {
            all.addAll(next);
        }
        return all;
    }

    static List<Long> sequences(List<SpoolEntry> entries) {
        return entries.stream().map(SpoolEntry::sequence).toList();
    }

    static List<Long> range(long from, long toExclusive) {
        List<Long> list = new ArrayList<>();
        for (long s = from; s < toExclusive; s++) {
            list.add(s);
        }
        return list;
    }

    static List<Path> segmentFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(SpoolFiles::isSegment).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the disk holds at this instant, as a crash would leave it: a copy of every file. */
    static Path snapshot(Path dir, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.flip();
            byte flipped = (byte) (one.get(0) ^ 0x5A);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), offset);
        }
    }

    static void overwriteInt(Path file, long offset, int value) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).putInt(0, value), offset);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }
}
