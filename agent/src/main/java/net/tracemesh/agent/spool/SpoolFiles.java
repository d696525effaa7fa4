package net.tracemesh.agent.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/** Names of the files in a spool directory, and the directory fsync. */
final class SpoolFiles {
    /** Segment files: their first sequence, zero-padded to 20 digits, so that name order is read order. */
    static final String SEGMENT_SUFFIX = ".seg";
    /** Files being written before an atomic rename; left-overs are deleted when the spool opens. */
    static final String TEMPORARY_SUFFIX = ".tmp";
    /** The persisted acknowledgement position. */
    static final String ACK_FILE = "acknowledged";
    /** Locked while a spool has the directory open. */
    static final String LOCK_FILE = "lock";

    private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}" + Pattern.quote(SEGMENT_SUFFIX));

    private SpoolFiles() {
    }

    static Path segmentPath(Path dir, long firstSequence) {
        return dir.resolve(String.format("%020d%s", firstSequence, SEGMENT_SUFFIX));
    }

    static Path temporaryPath(Path file) {
        return file.resolveSibling(file.getFileName() + TEMPORARY_SUFFIX);
    }

    static boolean isSegment(Path file) {
        return SEGMENT_NAME.matcher(file.getFileName().toString()).matches();
    }

    static boolean isTemporary(Path file) {
        return file.getFileName().toString().endsWith(TEMPORARY_SUFFIX);
    }

    /** The sequence in a segment file's name. */
    static long nameSequence(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SEGMENT_SUFFIX.length()));
    }

    /**
     * Forces the directory itself to disk, so that files created, renamed or deleted in it survive a power loss.
     * Best effort: some platforms cannot open a directory as a channel.
     */
    static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here (e.g. Windows); the rename or delete itself has happened
        }
    }
}
