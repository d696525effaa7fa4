package net.tracemesh.agent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted acknowledgement position: every entry up to and including this sequence has been delivered.
 * Twenty bytes: magic, version, sequence, CRC32C of the first sixteen. Written to a temporary file, forced, then
 * renamed over the old one, so a crash leaves either the old or the new position, never a torn one.
 */
final class AckFile {
    /** Nothing acknowledged yet. */
    static final long NONE = -1;

    private static final Logger LOG = LoggerFactory.getLogger(AckFile.class);
    private static final int MAGIC = 0x544D_414B; // "TMAK"
    private static final int VERSION = 1;
    private static final int SIZE = 20;
    private static final int CHECKED_BYTES = 16;

    private AckFile() {
    }

    /** The persisted position, or {@link #NONE} when there is none or it is unreadable (causes re-delivery only). */
    static long read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return NONE;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length != SIZE || buffer.getInt(0) != MAGIC || buffer.getInt(4) != VERSION
                || crc(bytes) != buffer.getInt(CHECKED_BYTES)) {
            LOG.warn("ignoring unreadable acknowledgement file {} ({} bytes): entries will be delivered again",
                    file, bytes.length);
            return NONE;
        }
        long sequence = buffer.getLong(8);
        return sequence < 0 ? NONE : sequence;
    }

    /** Atomically replaces the persisted position. */
    static void write(Path file, long sequence) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        buffer.putInt(MAGIC).putInt(VERSION).putLong(sequence);
        buffer.putInt(crc(buffer.array()));
        buffer.flip();
        Path temporary = SpoolFiles.temporaryPath(file);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SpoolFiles.forceDirectory(file.getParent());
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CHECKED_BYTES);
        return (int) crc.getValue();
    }
}
