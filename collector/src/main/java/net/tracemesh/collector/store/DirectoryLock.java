package net.tracemesh.collector.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock file that keeps an embedded database's data directory to one open store at a time, in this process or
 * another (an OS file lock: it goes away with the process). Used by the collector's store and the web's account
 * store.
 */
public final class DirectoryLock implements AutoCloseable {
    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dataDir} if needed and locks its {@code lockFile}.
     *
     * @param what names the store in the refusal, e.g. "the collector store"
     * @throws IllegalStateException when the directory is locked already
     * @throws UncheckedIOException  when the directory or the lock file cannot be used
     */
    public static DirectoryLock acquire(Path dataDir, String lockFile, String what) {
        if (dataDir == null) {
            throw new IllegalArgumentException("the data directory is missing");
        }
        Path dir = dataDir.toAbsolutePath();
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(lockFile), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data directory " + dir + ": " + e.getMessage(), e);
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by this process: refused below
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + dir.resolve(lockFile) + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException(what + " in " + dir + " is already open (" + lockFile
                    + " is locked); close it before opening it again");
        }
        return new DirectoryLock(dir, channel, lock);
    }

    /** The locked directory, absolute. */
    public Path directory() {
        return directory;
    }

    /** Unlocks the directory. Closing twice is harmless. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
