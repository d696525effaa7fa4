package net.tracemesh.agent.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, ordered, crash-tolerant on-disk queue of {@link SpoolEntry records} for the Kafka publisher while the
 * broker is unreachable.
 *
 * <p>Entries live in segment files named by their first sequence (zero-padded, so name order is read order), each
 * a run of CRC32C-checked frames ({@link EntryCodec}). A segment is rolled at about {@code segmentBytes}. Appends
 * are buffered and written without an fsync per entry; {@link #flush()} forces them to disk. Only per-segment
 * metadata is held in memory.
 *
 * <p>Two cursors move through the entries: the <em>read cursor</em> ({@link #read}, {@link #rewind}) and the
 * <em>acknowledgement cursor</em>, just after the last acknowledged sequence ({@link #acknowledge}). Segments whose
 * entries are all acknowledged are deleted. The acknowledged sequence is persisted in a small file (temporary file,
 * force, atomic rename) before a segment is deleted, by an {@link #acknowledge} call coming at least
 * {@value #ACK_PERSIST_INTERVAL_MILLIS} ms after the last time it was persisted, and on {@link #flush()} and
 * {@link #close()}. A crash can therefore re-deliver entries, never lose unacknowledged ones.
 *
 * <p>When an append would take the spool past {@code maxBytes}, whole oldest segments are deleted first (never the
 * one being appended to), and {@link #droppedEntries()} and {@link #droppedRounds()} grow.
 *
 * <p>Opening recovers the directory: every frame is checked; an incomplete frame at the end of the last segment (a
 * torn write) is cut off; after a corrupt frame the rest of that segment is cut off and counted in
 * {@link #corruptedEntries()}. Reading resumes just after the persisted acknowledged sequence.
 *
 * <p>Thread-safe (every method is synchronized), but blocking: call it from a worker thread, not an event loop.
 * One spool per directory: the directory is locked while open.
 */
public final class Spool implements AutoCloseable {
    /** Segment size used by {@link #open(Path, long)}: 8 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 8L * 1024 * 1024;
    /** The smallest segment size accepted (tests use small segments). */
    static final long MIN_SEGMENT_BYTES = 256;
    /** Longest time an acknowledgement may wait before it is persisted (when further calls arrive). */
    static final long ACK_PERSIST_INTERVAL_MILLIS = 1_000;
    /** A read batch stops once it holds this many bytes of frames (it always holds at least one entry). */
    static final long READ_BATCH_MAX_BYTES = 16L * 1024 * 1024;
    /** How many dropped round ids are remembered to count distinct rounds. */
    static final int DROPPED_ROUNDS_REMEMBERED = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final long ACK_PERSIST_INTERVAL_NANOS = ACK_PERSIST_INTERVAL_MILLIS * 1_000_000L;
    private static final int TOPIC_CACHE_SIZE = 64;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final Path ackPath;
    private final FileChannel lockChannel;
    private final FileLock lock;

    /** Segments in read order. */
    private final List<Segment> segments = new ArrayList<>();
    private final FrameWriter writer = new FrameWriter();
    private final SegmentReader reader = new SegmentReader();
    private final SegmentReader ackReader = new SegmentReader();
    private final Cursor readCursor = new Cursor();
    private final Cursor ackCursor = new Cursor();
    private final Map<String, byte[]> topicBytes = new HashMap<>();
    private final Map<Long, Boolean> recentDroppedRounds = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > DROPPED_ROUNDS_REMEMBERED;
        }
    };

    private Segment active;
    private FileChannel activeChannel;
    private boolean directoryDirty;
    private long ackedUpTo = AckFile.NONE;
    private long persistedAck = AckFile.NONE;
    private long lastAckPersistNanos = System.nanoTime();
    private long lastSequence = AckFile.NONE;
    private long pending;
    private long totalBytes;
    private long droppedEntries;
    private long droppedRounds;
    private long corruptedEntries;
    private boolean closed;

    private Spool(Path dir, long maxBytes, long segmentBytes, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.ackPath = dir.resolve(SpoolFiles.ACK_FILE);
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) the spool in {@code dir}, with {@value #DEFAULT_SEGMENT_BYTES}-byte segments, and
     * recovers what an earlier run left there.
     *
     * @param maxBytes the most bytes of segments to keep; at least two segments' worth
     * @throws IllegalArgumentException when {@code maxBytes} is too small
     * @throws IOException              when the directory cannot be used, or another spool has it open
     */
    public static Spool open(Path dir, long maxBytes) throws IOException {
        return open(dir, maxBytes, DEFAULT_SEGMENT_BYTES);
    }

    /** {@link #open(Path, long)} with a chosen segment size (for tests). */
    static Spool open(Path dir, long maxBytes, long segmentBytes) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException(
                    "segmentBytes must be at least " + MIN_SEGMENT_BYTES + ", got " + segmentBytes);
        }
        if (maxBytes / 2 < segmentBytes) {
            throw new IllegalArgumentException("maxBytes must be at least two segments (2 x " + segmentBytes
                    + " = " + 2 * segmentBytes + " bytes), got " + maxBytes);
        }
        Path absolute = dir.toAbsolutePath();
        Files.createDirectories(absolute);
        FileChannel lockChannel = FileChannel.open(absolute.resolve(SpoolFiles.LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        Spool spool = null;
        try {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException("spool directory " + absolute + " is already open (by this or another process)");
            }
            spool = new Spool(absolute, maxBytes, segmentBytes, lockChannel, lock);
            spool.recover();
            return spool;
        } catch (IOException | RuntimeException e) {
            if (spool != null) {
                spool.closeQuietly();
            } else {
                lockChannel.close();
            }
            throw e;
        }
    }

    /**
     * Appends an entry after every entry in the spool. Not forced to disk (see {@link #flush()}). When the spool would
     * grow past its limit, whole oldest segments are dropped first; an entry larger than the whole limit is dropped
     * itself (and counted).
     *
     * @throws IllegalArgumentException when the sequence is not above {@link #lastSequence()}
     */
    public synchronized void append(SpoolEntry entry) throws IOException {
        ensureOpen();
        Objects.requireNonNull(entry, "entry");
        if (entry.sequence() <= lastSequence) {
            throw new IllegalArgumentException("sequence " + entry.sequence()
                    + " must be greater than " + lastSequence + ", the last sequence appended or acknowledged");
        }
        byte[] topic = topicBytes(entry.topic());
        int frame = EntryCodec.frameLength(topic.length, entry.sharedKey(), entry.sharedValue());
        lastSequence = entry.sequence();
        if (frame > maxBytes) {
            LOG.warn("spool {}: dropping entry {} of {} bytes, larger than the whole spool ({} bytes)",
                    dir, entry.sequence(), frame, maxBytes);
            droppedEntries++;
            rememberDroppedRound(entry.round());
            return;
        }
        if (active != null && active.bytes > 0 && active.bytes + frame > segmentBytes) {
            finishActive(true);
        }
        while (totalBytes + frame > maxBytes && !segments.isEmpty() && segments.get(0) != active) {
            dropHead();
        }
        if (active == null) {
            startSegment(entry.sequence());
        }
        try {
            writer.write(entry, topic);
        } catch (IOException e) {
            abandonActive(e);
            throw e;
        }
        active.entries++;
        active.bytes += frame;
        active.lastSequence = entry.sequence();
        totalBytes += frame;
        pending++;
    }

    /**
     * Puts entries in front of every unacknowledged entry (records that were still in memory on shutdown), as new
     * segments written completely before they appear, and resets the read cursor to the head. If they do not fit in
     * the limit, the oldest of them are dropped (and counted). An empty list changes nothing.
     *
     * @param entries sorted by strictly increasing sequence, all above the acknowledged sequence and below the first
     *                unacknowledged entry in the spool
     * @throws IllegalArgumentException when they are out of order or do not fit below the spool's entries
     */
    public synchronized void prepend(List<SpoolEntry> entries) throws IOException {
        ensureOpen();
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            return;
        }
        drainWrites();
        long firstUnacknowledged = firstUnacknowledgedSequence();
        long previous = ackedUpTo;
        for (int i = 0; i < entries.size(); i++) {
            SpoolEntry entry = Objects.requireNonNull(entries.get(i), "entries must not contain null");
            if (entry.sequence() <= previous) {
                throw new IllegalArgumentException(i == 0
                        ? "prepended sequence " + entry.sequence() + " is already acknowledged (up to "
                                + ackedUpTo + ")"
                        : "prepended entries must be sorted by strictly increasing sequence: " + entry.sequence()
                                + " follows " + previous);
            }
            previous = entry.sequence();
        }
        if (firstUnacknowledged >= 0 && previous >= firstUnacknowledged) {
            throw new IllegalArgumentException("prepended sequences must be below " + firstUnacknowledged
                    + ", the first unacknowledged entry in the spool, got " + previous);
        }

        int[] frames = new int[entries.size()];
        long bytes = 0;
        for (int i = 0; i < frames.length; i++) {
            SpoolEntry entry = entries.get(i);
            frames[i] = EntryCodec.frameLength(topicBytes(entry.topic()).length, entry.sharedKey(),
                    entry.sharedValue());
            bytes += frames[i];
        }
        int first = 0;
        while (first < frames.length && totalBytes + bytes > maxBytes) {
            droppedEntries++;
            rememberDroppedRound(entries.get(first).round());
            bytes -= frames[first];
            first++;
        }
        if (first > 0) {
            LOG.warn("spool {}: full, dropped the {} oldest of {} prepended entries", dir, first, entries.size());
        }
        if (segments.isEmpty()) {
            lastSequence = Math.max(lastSequence, previous);
        }
        if (first == frames.length) {
            return;
        }
        if (ackCursor.index > 0) {
            compactHead(firstUnacknowledged);
        }

        List<Segment> written = new ArrayList<>();
        try {
            int start = first;
            while (start < frames.length) {
                int end = start;
                long chunk = 0;
                while (end < frames.length && (end == start || chunk + frames[end] <= segmentBytes)) {
                    chunk += frames[end];
                    end++;
                }
                written.add(writeWholeSegment(entries.subList(start, end)));
                start = end;
            }
            SpoolFiles.forceDirectory(dir);
        } finally {
            // segments already renamed into place are on disk: keep memory in step even if a later one failed
            segments.addAll(0, written);
            for (Segment segment : written) {
                pending += segment.entries;
                totalBytes += segment.bytes;
            }
            if (!written.isEmpty()) {
                ackCursor.reset(segments.get(0));
                readCursor.copy(ackCursor);
            }
        }
    }

    /**
     * The next entries after the read cursor, in sequence order, advancing it. Returns fewer than {@code maxEntries}
     * when the spool has no more, or once the batch holds {@value #READ_BATCH_MAX_BYTES} bytes; empty when there is
     * nothing to read. A corrupt frame met here is skipped with the rest of its segment (and counted).
     */
    public synchronized List<SpoolEntry> read(int maxEntries) throws IOException {
        ensureOpen();
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        drainWrites();
        List<SpoolEntry> batch = new ArrayList<>(Math.min(maxEntries, 1024));
        long batchBytes = 0;
        while (batch.size() < maxEntries && batchBytes < READ_BATCH_MAX_BYTES) {
            SpoolEntry entry;
            try {
                entry = readNext();
            } catch (IOException e) {
                if (batch.isEmpty()) {
                    throw e;
                }
                // the cursor stays at the failing entry: the next call meets the failure again and reports it
                LOG.debug("spool {}: read stopped early", dir, e);
                break;
            }
            if (entry == null) {
                break;
            }
            batch.add(entry);
            batchBytes += reader.frameLength();
        }
        return batch;
    }

    /** The entry at the read cursor, advancing it, or null when there is none. */
    private SpoolEntry readNext() throws IOException {
        while (true) {
            Segment segment = readCursor.segment;
            if (segment == null) {
                return null;
            }
            if (readCursor.offset >= segment.bytes) {
                Segment next = segmentAfter(segment);
                if (next == null) {
                    return null;
                }
                readCursor.reset(next);
                continue;
            }
            SegmentReader.Frame frame = reader.load(segment, readCursor.offset, segment.bytes);
            String problem;
            if (frame != SegmentReader.Frame.OK) {
                problem = "frame is " + frame;
            } else if (!EntryCodec.crcMatches(reader.payload(), reader.storedCrc())) {
                problem = "CRC mismatch";
            } else {
                try {
                    SpoolEntry entry = EntryCodec.decode(reader.payload());
                    readCursor.advance(reader.frameLength(), entry.sequence());
                    return entry;
                } catch (CorruptEntryException e) {
                    problem = e.getMessage();
                }
            }
            discardTail(readCursor, problem);
        }
    }

    /**
     * Marks every entry up to and including {@code sequence} delivered. Segments left with no unacknowledged entry
     * are deleted (after the position is persisted). Lower or repeated sequences are ignored. The read cursor never
     * stays behind the acknowledged position.
     */
    public synchronized void acknowledge(long sequence) throws IOException {
        ensureOpen();
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be at least 0, got " + sequence);
        }
        if (sequence <= ackedUpTo) {
            return;
        }
        drainWrites();
        long previous = ackedUpTo;
        ackedUpTo = sequence;
        boolean persisted;
        try {
            persisted = advanceAckCursor(sequence);
        } catch (IOException | RuntimeException e) {
            ackedUpTo = previous; // so that the same acknowledgement can be retried
            throw e;
        }
        lastSequence = Math.max(lastSequence, sequence);
        if (readCursor.isBefore(ackCursor, segments)) {
            readCursor.copy(ackCursor);
        }
        if (!persisted && System.nanoTime() - lastAckPersistNanos >= ACK_PERSIST_INTERVAL_NANOS) {
            persistAck();
        }
    }

    /** Moves the read cursor back to the first unacknowledged entry (after a failed send). */
    public synchronized void rewind() {
        ensureOpen();
        readCursor.copy(ackCursor);
    }

    /** Whether no unacknowledged entry is left. */
    public synchronized boolean isEmpty() {
        return pending == 0;
    }

    /** Number of unacknowledged entries. */
    public synchronized long pendingEntries() {
        return pending;
    }

    /** Bytes of segments on disk (including appends not yet written out of the buffer). */
    public synchronized long sizeBytes() {
        return totalBytes;
    }

    /** Entries dropped because the spool was full, since it was opened. */
    public synchronized long droppedEntries() {
        return droppedEntries;
    }

    /**
     * Distinct rounds that lost at least one entry to dropping, since the spool was opened. The last
     * {@value #DROPPED_ROUNDS_REMEMBERED} distinct dropped rounds are remembered; a round dropped again after that many
     * others counts again.
     */
    public synchronized long droppedRounds() {
        return droppedRounds;
    }

    /**
     * Entries lost to corruption since the spool was opened: found by the recovery on open, or met later while
     * reading or acknowledging. When a frame's length field itself is damaged, the frames after it cannot be
     * delimited and the rest of the segment counts as one.
     */
    public synchronized long corruptedEntries() {
        return corruptedEntries;
    }

    /**
     * The highest sequence appended or acknowledged (-1 when none): the next append must be above it. After a restart
     * this is recovered from the segments and the persisted acknowledgement.
     */
    public synchronized long lastSequence() {
        return lastSequence;
    }

    /** Writes out buffered appends, forces them to disk, and persists the acknowledged position. */
    public synchronized void flush() throws IOException {
        ensureOpen();
        drainWrites();
        if (activeChannel != null) {
            activeChannel.force(false);
        }
        if (directoryDirty) {
            SpoolFiles.forceDirectory(dir);
            directoryDirty = false;
        }
        persistAck();
    }

    /** Flushes and releases the directory. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closeQuietly();
        }
    }

    @Override
    public synchronized String toString() {
        return "Spool[" + dir + ", " + segments.size() + " segments, " + pending + " pending, " + totalBytes
                + "/" + maxBytes + " bytes, acknowledged up to " + ackedUpTo + "]";
    }

    // ---------------------------------------------------------------- recovery

    private void recover() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path file : (Iterable<Path>) listing::iterator) {
                if (SpoolFiles.isTemporary(file)) {
                    Files.deleteIfExists(file);
                }
            }
        }
        ackedUpTo = AckFile.read(ackPath);
        persistedAck = ackedUpTo;
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(SpoolFiles::isSegment).sorted().toList();
        }
        try (SegmentReader scanner = new SegmentReader()) {
            for (int i = 0; i < files.size(); i++) {
                Segment segment = recoverSegment(scanner, files.get(i), i == files.size() - 1);
                if (segment == null) {
                    continue;
                }
                if (!segments.isEmpty()) {
                    Segment previous = segments.get(segments.size() - 1);
                    if (previous.lastSequence >= segment.firstSequence) {
                        // Left by a crash while the head was being compacted: the later file is the complete copy.
                        LOG.warn("spool {}: {} overlaps {}, deleting the older copy", dir, previous, segment);
                        Files.delete(previous.path);
                        segments.remove(segments.size() - 1);
                    }
                }
                segments.add(segment);
            }
        }
        for (Segment segment : segments) {
            pending += segment.entries;
            totalBytes += segment.bytes;
        }
        if (!segments.isEmpty()) {
            lastSequence = Math.max(ackedUpTo, segments.get(segments.size() - 1).lastSequence);
            ackCursor.reset(segments.get(0));
        } else {
            lastSequence = ackedUpTo;
        }
        if (ackedUpTo >= 0) {
            advanceAckCursor(ackedUpTo);
        }
        readCursor.copy(ackCursor);
        while (totalBytes > maxBytes && !segments.isEmpty()) {
            dropHead();
        }
    }

    /** Checks every frame of one segment file, cutting off what cannot be used; null when nothing is left. */
    private Segment recoverSegment(SegmentReader scanner, Path file, boolean last) throws IOException {
        long size = Files.size(file);
        Segment segment = new Segment(file, SpoolFiles.nameSequence(file));
        long offset = 0;
        long lost = 0;
        String problem = null;
        while (true) {
            SegmentReader.Frame frame = scanner.load(segment, offset, size);
            if (frame == SegmentReader.Frame.END) {
                break;
            }
            if (frame == SegmentReader.Frame.TRUNCATED) {
                if (last) {
                    LOG.warn("spool {}: cutting off a torn write of {} bytes at the end of {}", dir, size - offset,
                            file.getFileName());
                } else {
                    lost = 1;
                    problem = "incomplete frame";
                }
                break;
            }
            if (frame == SegmentReader.Frame.BAD_LENGTH) {
                lost = 1;
                problem = "impossible frame length";
                break;
            }
            problem = check(scanner, segment);
            if (problem != null) {
                lost = 1 + countFramesFrom(scanner, segment, offset + scanner.frameLength(), size);
                break;
            }
            long sequence = scanner.sequence();
            if (segment.entries == 0) {
                segment.firstSequence = sequence;
            }
            segment.lastSequence = sequence;
            segment.entries++;
            offset += scanner.frameLength();
        }
        scanner.forget(segment);
        segment.bytes = offset;
        if (problem != null) {
            LOG.warn("spool {}: {} in {} at byte {}, skipping the rest of the segment ({} entries lost)", dir,
                    problem, file.getFileName(), offset, lost);
            corruptedEntries += lost;
        }
        if (segment.entries == 0) {
            Files.delete(file);
            return null;
        }
        if (offset < size) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(offset);
                channel.force(true);
            }
        }
        return segment;
    }

    /** Why the loaded frame cannot be the next entry of {@code segment}, or null when it can. */
    private static String check(SegmentReader scanner, Segment segment) {
        if (!EntryCodec.crcMatches(scanner.payload(), scanner.storedCrc())) {
            return "CRC mismatch";
        }
        try {
            SpoolEntry entry = EntryCodec.decode(scanner.payload());
            if (segment.entries > 0 && entry.sequence() <= segment.lastSequence) {
                return "sequence " + entry.sequence() + " out of order after " + segment.lastSequence;
            }
            return null;
        } catch (CorruptEntryException e) {
            return e.getMessage();
        }
    }

    /** How many frames can be stepped over from {@code offset} (to count what a corrupt frame takes with it). */
    private static long countFramesFrom(SegmentReader scanner, Segment segment, long offset, long limit)
            throws IOException {
        long frames = 0;
        while (scanner.peek(segment, offset, limit) == SegmentReader.Frame.OK) {
            frames++;
            offset += scanner.frameLength();
        }
        return frames;
    }

    // ---------------------------------------------------------------- acknowledgement

    /**
     * Deletes head segments acknowledged up to {@code sequence} (persisting the position first) and moves the
     * acknowledgement cursor past the acknowledged entries of the new head. Returns whether it persisted.
     */
    private boolean advanceAckCursor(long sequence) throws IOException {
        boolean persisted = false;
        while (!segments.isEmpty()) {
            Segment head = segments.get(0);
            if (ackCursor.segment != head) {
                ackCursor.reset(head);
            }
            if (head.lastSequence <= sequence) {
                if (!persisted) {
                    persistAck();
                    persisted = true;
                }
                pending -= head.entries - ackCursor.index;
                removeSegment(head);
                continue;
            }
            while (ackCursor.offset < head.bytes) {
                SegmentReader.Frame frame = ackReader.peek(head, ackCursor.offset, head.bytes);
                if (frame != SegmentReader.Frame.OK) {
                    discardTail(ackCursor, "frame is " + frame);
                    break;
                }
                long next = ackReader.sequence();
                if (next > sequence) {
                    return persisted;
                }
                ackCursor.advance(ackReader.frameLength(), next);
                pending--;
            }
            // Only reached when the tail was discarded: look at the head again.
        }
        return persisted;
    }

    private void persistAck() throws IOException {
        if (ackedUpTo != persistedAck) {
            AckFile.write(ackPath, ackedUpTo);
            persistedAck = ackedUpTo;
        }
        lastAckPersistNanos = System.nanoTime();
    }

    /** The sequence at the acknowledgement cursor, or -1 when nothing is unacknowledged. */
    private long firstUnacknowledgedSequence() throws IOException {
        Segment head = ackCursor.segment;
        if (head == null) {
            return -1;
        }
        SegmentReader.Frame frame = ackReader.peek(head, ackCursor.offset, head.bytes);
        if (frame != SegmentReader.Frame.OK) {
            throw new IOException("spool " + dir + ": unreadable frame at byte " + ackCursor.offset + " of "
                    + head.path.getFileName() + " (" + frame + ")");
        }
        return ackReader.sequence();
    }

    // ---------------------------------------------------------------- segments

    private void startSegment(long firstSequence) throws IOException {
        Path path = SpoolFiles.segmentPath(dir, firstSequence);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        Segment segment = new Segment(path, firstSequence);
        segments.add(segment);
        active = segment;
        activeChannel = channel;
        writer.target(channel);
        directoryDirty = true;
        if (ackCursor.segment == null) {
            ackCursor.reset(segment);
        }
        if (readCursor.segment == null) {
            readCursor.reset(segment);
        }
    }

    /** Stops appending to the active segment, writing out its buffer (and forcing it to disk if asked). */
    private void finishActive(boolean force) throws IOException {
        if (active == null) {
            return;
        }
        try {
            drainWrites();
            if (force && activeChannel != null) {
                activeChannel.force(false);
            }
        } finally {
            if (activeChannel != null) {
                activeChannel.close();
            }
            writer.target(null);
            active = null;
            activeChannel = null;
        }
    }

    /**
     * After a failed write the active segment's file no longer matches its metadata: stop appending to it (a later
     * read finds the missing frames and counts them as corrupted), or forget it if it holds nothing yet.
     */
    private void abandonActive(IOException cause) {
        Segment broken = active;
        LOG.warn("spool {}: write to {} failed, starting a new segment for later appends", dir, broken, cause);
        writer.discard();
        try {
            if (activeChannel != null) {
                activeChannel.close();
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
        writer.target(null);
        active = null;
        activeChannel = null;
        if (broken != null && broken.entries == 0) {
            try {
                removeSegment(broken);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private void drainWrites() throws IOException {
        if (writer.hasBuffered()) {
            try {
                writer.drain();
            } catch (IOException e) {
                abandonActive(e);
                throw e;
            }
        }
    }

    /** Deletes the oldest segment because the spool is full, counting the unacknowledged entries and rounds lost. */
    private void dropHead() throws IOException {
        Segment head = segments.get(0);
        if (ackCursor.segment != head) {
            ackCursor.reset(head);
        }
        long lost = head.entries - ackCursor.index;
        long rounds = droppedRounds;
        long offset = ackCursor.offset;
        while (ackReader.peek(head, offset, head.bytes) == SegmentReader.Frame.OK) {
            rememberDroppedRound(ackReader.round());
            offset += ackReader.frameLength();
        }
        LOG.warn("spool {}: full ({} of {} bytes), dropping {} with {} unacknowledged entries ({} new rounds)", dir,
                totalBytes, maxBytes, head.path.getFileName(), lost, droppedRounds - rounds);
        droppedEntries += lost;
        pending -= lost;
        removeSegment(head);
    }

    private void rememberDroppedRound(long round) {
        if (recentDroppedRounds.put(round, Boolean.TRUE) == null) {
            droppedRounds++;
        }
    }

    /**
     * Cuts a segment off at a cursor that found an unusable frame: everything from there on is lost (and counted as
     * corrupted). The segment goes away entirely if nothing is left before the cursor.
     */
    private void discardTail(Cursor at, String problem) throws IOException {
        Segment segment = at.segment;
        long lost = segment.entries - at.index;
        LOG.warn("spool {}: {} in {} at byte {}, skipping the rest of the segment ({} entries lost)", dir, problem,
                segment.path.getFileName(), at.offset, lost);
        if (segment == active) {
            finishActive(false);
        }
        if (at.index == 0) {
            removeSegment(segment);
            corruptedEntries += lost;
            pending -= lost;
            return;
        }
        corruptedEntries += lost;
        pending -= lost;
        reader.forget(segment);
        ackReader.forget(segment);
        try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.WRITE)) {
            channel.truncate(at.offset);
        }
        totalBytes -= segment.bytes - at.offset;
        segment.bytes = at.offset;
        segment.entries = at.index;
        segment.lastSequence = at.lastSequence;
        for (Cursor cursor : new Cursor[] {readCursor, ackCursor}) {
            if (cursor.segment == segment && cursor.offset > at.offset) {
                cursor.copy(at);
            }
        }
    }

    /** Deletes a segment's file and forgets it; cursors inside it move to the start of the segment after it. */
    private void removeSegment(Segment segment) throws IOException {
        Segment successor = segmentAfter(segment);
        if (segment == active) {
            writer.discard();
            finishActive(false);
        }
        reader.forget(segment);
        ackReader.forget(segment);
        Files.deleteIfExists(segment.path);
        directoryDirty = true;
        segments.remove(segment);
        totalBytes -= segment.bytes;
        if (ackCursor.segment == segment) {
            ackCursor.reset(successor);
        }
        if (readCursor.segment == segment) {
            readCursor.reset(successor);
        }
    }

    /**
     * Rewrites the head segment without its acknowledged entries, so that prepended segments (whose sequences lie
     * between those and the first unacknowledged one) sort before it. The copy is complete on disk before the
     * original is deleted; a crash in between leaves an overlap that recovery resolves in favour of the copy.
     */
    private void compactHead(long firstUnacknowledged) throws IOException {
        Segment head = segments.get(0);
        boolean wasActive = head == active;
        if (wasActive) {
            finishActive(false);
        }
        persistAck();
        Path target = SpoolFiles.segmentPath(dir, firstUnacknowledged);
        Path temporary = SpoolFiles.temporaryPath(target);
        long from = ackCursor.offset;
        try (FileChannel source = FileChannel.open(head.path, StandardOpenOption.READ);
                FileChannel copy = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
            long position = from;
            while (position < head.bytes) {
                position += source.transferTo(position, head.bytes - position, copy);
            }
            copy.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        SpoolFiles.forceDirectory(dir);
        reader.forget(head);
        ackReader.forget(head);
        Files.delete(head.path);
        SpoolFiles.forceDirectory(dir);

        Segment compacted = new Segment(target, firstUnacknowledged);
        compacted.lastSequence = head.lastSequence;
        compacted.entries = head.entries - ackCursor.index;
        compacted.bytes = head.bytes - from;
        segments.set(0, compacted);
        totalBytes -= from;
        if (readCursor.segment == head) {
            readCursor.segment = compacted;
            readCursor.offset -= from;
            readCursor.index -= ackCursor.index;
        }
        ackCursor.reset(compacted);
        if (wasActive) {
            activeChannel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            active = compacted;
            writer.target(activeChannel);
        }
    }

    /** Writes entries as one new segment: to a temporary file, forced, then renamed into place. */
    private Segment writeWholeSegment(List<SpoolEntry> entries) throws IOException {
        long firstSequence = entries.get(0).sequence();
        Path target = SpoolFiles.segmentPath(dir, firstSequence);
        if (Files.exists(target)) {
            throw new IOException("spool " + dir + ": cannot prepend, " + target.getFileName() + " already exists");
        }
        Path temporary = SpoolFiles.temporaryPath(target);
        Segment segment = new Segment(target, firstSequence);
        FileChannel appending = writer.target();
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            writer.target(channel);
            for (SpoolEntry entry : entries) {
                segment.bytes += writer.write(entry, topicBytes(entry.topic()));
                segment.entries++;
                segment.lastSequence = entry.sequence();
            }
            writer.drain();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            writer.discard();
            Files.deleteIfExists(temporary);
            throw e;
        } finally {
            writer.target(appending);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        return segment;
    }

    private Segment segmentAfter(Segment segment) {
        int index = segments.indexOf(segment);
        return index >= 0 && index + 1 < segments.size() ? segments.get(index + 1) : null;
    }

    private byte[] topicBytes(String topic) {
        byte[] bytes = topicBytes.get(topic);
        if (bytes == null) {
            if (topicBytes.size() >= TOPIC_CACHE_SIZE) {
                topicBytes.clear();
            }
            bytes = topic.getBytes(StandardCharsets.UTF_8);
            topicBytes.put(topic, bytes);
        }
        return bytes;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("spool " + dir + " is closed");
        }
    }

    private void closeQuietly() {
        closed = true;
        writer.discard();
        closeQuietly(activeChannel);
        closeQuietly(reader);
        closeQuietly(ackReader);
        active = null;
        activeChannel = null;
        try {
            lock.release();
        } catch (IOException e) {
            LOG.debug("releasing the spool lock failed", e);
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed", closeable, e);
        }
    }

    /** A position between two frames: a segment (null = after everything), a byte offset and an entry index. */
    private static final class Cursor {
        Segment segment;
        long offset;
        long index;
        /** Sequence of the entry just before the position (meaningful when {@code index > 0}). */
        long lastSequence = -1;

        void reset(Segment start) {
            segment = start;
            offset = 0;
            index = 0;
            lastSequence = -1;
        }

        void copy(Cursor other) {
            segment = other.segment;
            offset = other.offset;
            index = other.index;
            lastSequence = other.lastSequence;
        }

        void advance(int frameLength, long sequence) {
            offset += frameLength;
            index++;
            lastSequence = sequence;
        }

        /** Whether this position comes before {@code other}'s in {@code order}. */
        boolean isBefore(Cursor other, List<Segment> order) {
            if (segment == null) {
                return false;
            }
            if (other.segment == null) {
                return true;
            }
            int mine = order.indexOf(segment);
            int theirs = order.indexOf(other.segment);
            return mine < theirs || (mine == theirs && offset < other.offset);
        }
    }
}
