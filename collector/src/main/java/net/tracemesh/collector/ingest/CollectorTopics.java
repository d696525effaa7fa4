package net.tracemesh.collector.ingest;

import net.tracemesh.message.Topics;

/**
 * Topics the collector writes, relative to the same prefix as {@link Topics} (the agents'
 * topics).
 */
public final class CollectorTopics {
    /**
     * Records the collector could not use (bad JSON, an unsupported schema, missing or impossible fields, or a message
     * contradicting its trace), with the original key and value and the headers {@link #REASON_HEADER},
     * {@link #SOURCE_TOPIC_HEADER} and {@link #SOURCE_OFFSET_HEADER}.
     */
    public static final String DEAD_LETTER = Topics.DEAD_LETTER;
    /** Why the record was refused: a code ({@code BAD_JSON}, {@code UNSUPPORTED_SCHEMA}, …), a colon, a text. */
    public static final String REASON_HEADER = "tracemesh.reason";
    /** The topic the refused record was read from. */
    public static final String SOURCE_TOPIC_HEADER = "tracemesh.source-topic";
    /** Partition and offset of the refused record in its topic, as {@code partition:offset} text. */
    public static final String SOURCE_OFFSET_HEADER = "tracemesh.source-offset";

    private CollectorTopics() {
    }
}
