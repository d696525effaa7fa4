package net.tracemesh.agent.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads frames from segment files through one reusable buffer (grown only for a frame larger than it, and shrunk
 * back afterwards). Keeps the channel of the segment it last read open; {@link #forget} closes it before the file
 * goes away. Each call looks at one frame, which stays valid until the next call.
 */
final class SegmentReader implements Closeable {
    /** What is at an offset. */
    enum Frame {
        /** A frame whose header is plausible and whose bytes all lie within the limit. */
        OK,
        /** The offset is at the limit: no more frames. */
        END,
        /** The bytes before the limit (or the end of the file) stop in the middle of a frame. */
        TRUNCATED,
        /** The header's length is one no entry can have. */
        BAD_LENGTH
    }

    static final int DEFAULT_BUFFER_BYTES = 64 * 1024;

    private Segment segment;
    private FileChannel channel;
    private ByteBuffer buffer = emptyBuffer(DEFAULT_BUFFER_BYTES);
    private long bufferStart;
    private int frameIndex;
    private int payloadLength;

    /** Loads the whole frame at {@code offset}; on {@link Frame#OK} see {@link #payload()} and {@link #storedCrc()}. */
    Frame load(Segment target, long offset, long limit) throws IOException {
        return look(target, offset, limit, true);
    }

    /** Loads only the header, sequence and round of the frame at {@code offset} (enough to step over it). */
    Frame peek(Segment target, long offset, long limit) throws IOException {
        return look(target, offset, limit, false);
    }

    /** Header plus payload of the current frame. */
    int frameLength() {
        return EntryCodec.HEADER_BYTES + payloadLength;
    }

    int storedCrc() {
        return buffer.getInt(frameIndex + 4);
    }

    long sequence() {
        return buffer.getLong(frameIndex + EntryCodec.HEADER_BYTES);
    }

    long round() {
        return buffer.getLong(frameIndex + EntryCodec.HEADER_BYTES + 8);
    }

    /** The current frame's payload (position 0, limit its length), after {@link #load} only. */
    ByteBuffer payload() {
        return buffer.slice(frameIndex + EntryCodec.HEADER_BYTES, payloadLength);
    }

    /** Closes the channel if it belongs to {@code gone}, and forgets what was buffered from it. */
    void forget(Segment gone) throws IOException {
        if (segment == gone) {
            close();
        }
    }

    @Override
    public void close() throws IOException {
        segment = null;
        buffer.limit(0);
        bufferStart = 0;
        FileChannel open = channel;
        channel = null;
        if (open != null) {
            open.close();
        }
    }

    private Frame look(Segment target, long offset, long limit, boolean whole) throws IOException {
        if (target != segment) {
            close();
            channel = FileChannel.open(target.path, StandardOpenOption.READ);
            segment = target;
        }
        if (offset >= limit) {
            return Frame.END;
        }
        if (offset + EntryCodec.HEADER_BYTES > limit || !ensure(offset, EntryCodec.HEADER_BYTES)) {
            return Frame.TRUNCATED;
        }
        frameIndex = (int) (offset - bufferStart);
        int length = buffer.getInt(frameIndex);
        if (!EntryCodec.isPlausiblePayloadLength(length)) {
            return Frame.BAD_LENGTH;
        }
        int needed = whole ? EntryCodec.HEADER_BYTES + length : EntryCodec.PEEK_BYTES;
        if (offset + EntryCodec.HEADER_BYTES + length > limit || !ensure(offset, needed)) {
            return Frame.TRUNCATED;
        }
        frameIndex = (int) (offset - bufferStart);
        payloadLength = length;
        return Frame.OK;
    }

    /** Makes bytes [offset, offset + count) of the file available in the buffer; false if the file is shorter. */
    private boolean ensure(long offset, int count) throws IOException {
        if (offset >= bufferStart && offset + count <= bufferStart + buffer.limit()) {
            return true;
        }
        if (count > buffer.capacity()) {
            buffer = emptyBuffer(count);
        } else if (count <= DEFAULT_BUFFER_BYTES && buffer.capacity() > DEFAULT_BUFFER_BYTES) {
            buffer = emptyBuffer(DEFAULT_BUFFER_BYTES);
        }
        buffer.clear();
        bufferStart = offset;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
        return buffer.limit() >= count;
    }

    private static ByteBuffer emptyBuffer(int capacity) {
        ByteBuffer fresh = ByteBuffer.allocateDirect(capacity);
        fresh.limit(0);
        return fresh;
    }
}
