package net.tracemesh.agent.spool;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record waiting in the {@link Spool}: where it goes in Kafka (topic, key, value) and where it sits in the
 * agent's global order ({@code sequence}) and in its measurement round ({@code round}).
 *
 * @param sequence the publisher's global sequence number, at least 0 (strictly increasing in the spool)
 * @param round    the measurement round the record belongs to, at least 0
 * @param topic    the Kafka topic: non-empty, well-formed text, at most {@value #MAX_TOPIC_BYTES} bytes of UTF-8
 * @param key      the Kafka key, or null; at most {@value #MAX_DATA_BYTES} bytes (a copy)
 * @param value    the Kafka value, or null for a tombstone; at most {@value #MAX_DATA_BYTES} bytes (a copy)
 */
public record SpoolEntry(long sequence, long round, String topic, byte[] key, byte[] value) {
    /** The longest topic, in bytes of UTF-8 (the spool stores its length in one unsigned byte's range). */
    public static final int MAX_TOPIC_BYTES = 255;
    /** The largest key and the largest value, in bytes (16 MiB each). */
    public static final int MAX_DATA_BYTES = 16 * 1024 * 1024;

    public SpoolEntry {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be at least 0, got " + sequence);
        }
        if (round < 0) {
            throw new IllegalArgumentException("round must be at least 0, got " + round);
        }
        Objects.requireNonNull(topic, "topic");
        int topicBytes = utf8Length(topic);
        if (topicBytes < 0) {
            throw new IllegalArgumentException("topic must be well-formed Unicode text (it has an unpaired surrogate)");
        }
        if (topicBytes == 0) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (topicBytes > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException(
                    "topic is " + topicBytes + " bytes of UTF-8, at most " + MAX_TOPIC_BYTES + " allowed");
        }
        checkDataLength("key", key);
        checkDataLength("value", value);
        key = key == null ? null : key.clone();
        value = value == null ? null : value.clone();
    }

    /** The key (a copy), or null. */
    @Override
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    /** The value (a copy), or null for a tombstone. */
    @Override
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    /** The key array itself, for the spool's encoder only (never handed out). */
    byte[] sharedKey() {
        return key;
    }

    /** The value array itself, for the spool's encoder only (never handed out). */
    byte[] sharedValue() {
        return value;
    }

    /**
     * Number of bytes {@code text} takes in UTF-8, or -1 when it holds an unpaired surrogate (which UTF-8 cannot
     * carry, so the topic would not come back unchanged).
     */
    static int utf8Length(String text) {
        int bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= length || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return -1;
                }
                bytes += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static void checkDataLength(String name, byte[] data) {
        if (data != null && data.length > MAX_DATA_BYTES) {
            throw new IllegalArgumentException(
                    name + " is " + data.length + " bytes, at most " + MAX_DATA_BYTES + " allowed");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpoolEntry e
                && sequence == e.sequence
                && round == e.round
                && topic.equals(e.topic)
                && Arrays.equals(key, e.key)
                && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(sequence);
        h = 31 * h + Long.hashCode(round);
        h = 31 * h + topic.hashCode();
        h = 31 * h + Arrays.hashCode(key);
        return 31 * h + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "SpoolEntry[sequence=" + sequence + ", round=" + round + ", topic=" + topic
                + ", key=" + (key == null ? "null" : key.length + " bytes")
                + ", value=" + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
