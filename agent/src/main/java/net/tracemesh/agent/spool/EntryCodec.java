package net.tracemesh.agent.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The spool's entry framing. A frame is
 * <pre>
 *   int  payload length (bytes after this 8-byte header)
 *   int  CRC32C of the payload
 *   payload:
 *     long  sequence
 *     long  round
 *     short topic length (1..255, unsigned), then the topic in UTF-8
 *     int   key length (-1 for null), then the key
 *     int   value length (-1 for null), then the value
 * </pre>
 * all big-endian. Frames do not depend on where they sit in a file, so a segment's tail can be copied as raw bytes.
 * Pure functions over buffers; the streaming writer is {@link FrameWriter}.
 */
final class EntryCodec {
    /** Payload length and CRC. */
    static final int HEADER_BYTES = 8;
    /** Length field value of a null key or value. */
    static final int NULL_LENGTH = -1;
    /** Sequence, round, topic length, key length and value length. */
    static final int FIXED_PAYLOAD_BYTES = 8 + 8 + 2 + 4 + 4;
    /** The smallest possible payload: a one-byte topic, null key, null value. */
    static final int MIN_PAYLOAD_BYTES = FIXED_PAYLOAD_BYTES + 1;
    /** The largest possible payload. */
    static final int MAX_PAYLOAD_BYTES =
            FIXED_PAYLOAD_BYTES + SpoolEntry.MAX_TOPIC_BYTES + 2 * SpoolEntry.MAX_DATA_BYTES;
    /** Header, sequence and round: enough to step over a frame and see its identity without its payload. */
    static final int PEEK_BYTES = HEADER_BYTES + 16;

    private static final int SEQUENCE_OFFSET = 0;
    private static final int ROUND_OFFSET = 8;
    private static final int TOPIC_LENGTH_OFFSET = 16;
    private static final int TOPIC_OFFSET = 18;

    private EntryCodec() {
    }

    /** The payload length of an entry whose topic takes {@code topicBytes} bytes. */
    static int payloadLength(int topicBytes, byte[] key, byte[] value) {
        return FIXED_PAYLOAD_BYTES + topicBytes + dataLength(key) + dataLength(value);
    }

    /** The whole frame length (header and payload) of an entry. */
    static int frameLength(int topicBytes, byte[] key, byte[] value) {
        return HEADER_BYTES + payloadLength(topicBytes, key, value);
    }

    /** Whether a payload length read from a header is one the spool could have written. */
    static boolean isPlausiblePayloadLength(int length) {
        return length >= MIN_PAYLOAD_BYTES && length <= MAX_PAYLOAD_BYTES;
    }

    /** Whether the payload (position 0, limit its length) has the CRC32C stored in its header. */
    static boolean crcMatches(ByteBuffer payload, int storedCrc) {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        return (int) crc.getValue() == storedCrc;
    }

    /** The sequence at the start of a payload. */
    static long sequence(ByteBuffer payload) {
        return payload.getLong(SEQUENCE_OFFSET);
    }

    /**
     * Decodes a payload (position 0, limit its length) whose CRC has been checked.
     *
     * @throws CorruptEntryException when the lengths inside do not add up or a field is out of range
     */
    static SpoolEntry decode(ByteBuffer payload) throws CorruptEntryException {
        int length = payload.limit();
        if (length < MIN_PAYLOAD_BYTES) {
            throw new CorruptEntryException("payload of " + length + " bytes is too short");
        }
        long sequence = payload.getLong(SEQUENCE_OFFSET);
        long round = payload.getLong(ROUND_OFFSET);
        int topicLength = Short.toUnsignedInt(payload.getShort(TOPIC_LENGTH_OFFSET));
        if (topicLength == 0 || topicLength > SpoolEntry.MAX_TOPIC_BYTES) {
            throw new CorruptEntryException("topic length " + topicLength + " is out of range");
        }
        int position = TOPIC_OFFSET;
        if (position + topicLength + 4 > length) {
            throw new CorruptEntryException("topic runs past the payload");
        }
        byte[] topic = new byte[topicLength];
        payload.get(position, topic);
        position += topicLength;

        int keyLength = payload.getInt(position);
        position += 4;
        byte[] key = readData(payload, position, keyLength, 4, "key");
        position += dataLength(key);

        int valueLength = payload.getInt(position);
        position += 4;
        byte[] value = readData(payload, position, valueLength, 0, "value");
        position += dataLength(value);
        if (position != length) {
            throw new CorruptEntryException((length - position) + " unexpected bytes after the value");
        }
        try {
            return new SpoolEntry(sequence, round, new String(topic, StandardCharsets.UTF_8), key, value);
        } catch (IllegalArgumentException e) {
            throw new CorruptEntryException(e.getMessage());
        }
    }

    private static byte[] readData(ByteBuffer payload, int position, int dataLength, int after, String name)
            throws CorruptEntryException {
        if (dataLength == NULL_LENGTH) {
            return null;
        }
        if (dataLength < 0 || dataLength > SpoolEntry.MAX_DATA_BYTES
                || (long) position + dataLength + after > payload.limit()) {
            throw new CorruptEntryException(name + " length " + dataLength + " is out of range");
        }
        byte[] data = new byte[dataLength];
        payload.get(position, data);
        return data;
    }

    private static int dataLength(byte[] data) {
        return data == null ? 0 : data.length;
    }
}
