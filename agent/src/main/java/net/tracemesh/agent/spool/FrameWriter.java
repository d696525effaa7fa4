package net.tracemesh.agent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Encodes entries as frames ({@link EntryCodec}) into one reusable buffer and writes it to a file channel when it
 * fills up or is drained. Keys and values of any size stream through the buffer, so no large temporary buffer is
 * ever allocated. Nothing is forced to disk here.
 */
final class FrameWriter {
    static final int BUFFER_BYTES = 256 * 1024;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final ByteBuffer head = ByteBuffer.allocate(8 + 8 + 2 + SpoolEntry.MAX_TOPIC_BYTES + 4);
    private final byte[] valueLength = new byte[4];
    private final CRC32C crc = new CRC32C();
    private FileChannel channel;

    /** Where drained bytes go; the buffer must be empty. */
    void target(FileChannel newChannel) {
        if (buffer.position() > 0) {
            throw new IllegalStateException("cannot switch files with " + buffer.position() + " bytes buffered");
        }
        channel = newChannel;
    }

    FileChannel target() {
        return channel;
    }

    /**
     * Buffers one frame (writing out the buffer as it fills).
     *
     * @param topic the entry's topic in UTF-8
     * @return the frame's length in bytes
     */
    int write(SpoolEntry entry, byte[] topic) throws IOException {
        byte[] key = entry.sharedKey();
        byte[] value = entry.sharedValue();
        head.clear();
        head.putLong(entry.sequence()).putLong(entry.round()).putShort((short) topic.length).put(topic)
                .putInt(key == null ? EntryCodec.NULL_LENGTH : key.length);
        int headLength = head.position();
        int valueField = value == null ? EntryCodec.NULL_LENGTH : value.length;
        valueLength[0] = (byte) (valueField >>> 24);
        valueLength[1] = (byte) (valueField >>> 16);
        valueLength[2] = (byte) (valueField >>> 8);
        valueLength[3] = (byte) valueField;

        crc.reset();
        crc.update(head.array(), 0, headLength);
        if (key != null) {
            crc.update(key);
        }
        crc.update(valueLength);
        if (value != null) {
            crc.update(value);
        }
        int payloadLength = EntryCodec.payloadLength(topic.length, key, value);

        room(EntryCodec.HEADER_BYTES + headLength);
        buffer.putInt(payloadLength).putInt((int) crc.getValue()).put(head.array(), 0, headLength);
        putAll(key);
        room(valueLength.length);
        buffer.put(valueLength);
        putAll(value);
        return EntryCodec.HEADER_BYTES + payloadLength;
    }

    /** Whether bytes are waiting in the buffer. */
    boolean hasBuffered() {
        return buffer.position() > 0;
    }

    /** Writes every buffered byte to the channel. On failure the buffered bytes are discarded. */
    void drain() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } finally {
            buffer.clear();
        }
    }

    /** Forgets the buffered bytes (after a failed write, or when the file is abandoned). */
    void discard() {
        buffer.clear();
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            drain();
        }
    }

    private void putAll(byte[] data) throws IOException {
        if (data == null) {
            return;
        }
        int offset = 0;
        while (offset < data.length) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int chunk = Math.min(buffer.remaining(), data.length - offset);
            buffer.put(data, offset, chunk);
            offset += chunk;
        }
    }
}
