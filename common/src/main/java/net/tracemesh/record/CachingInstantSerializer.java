package net.tracemesh.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Writes instants as ISO-8601 text ({@link DateTimeFormatter#ISO_INSTANT}, as Jackson's own serializer does),
 * remembering the last few per thread: the messages of one trace repeat its round's and its own start time in
 * every hop, and formatting an instant costs more than the rest of the message.
 */
final class CachingInstantSerializer extends StdSerializer<Instant> {
    private static final int SLOTS = 4;
    private static final ThreadLocal<Cache> CACHE = ThreadLocal.withInitial(Cache::new);

    CachingInstantSerializer() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(CACHE.get().text(value));
    }

    /** The last {@value #SLOTS} instants written by one thread and their text. */
    private static final class Cache {
        private final Instant[] instants = new Instant[SLOTS];
        private final String[] texts = new String[SLOTS];
        private int next;

        String text(Instant instant) {
            for (int i = 0; i < SLOTS; i++) {
                if (instant.equals(instants[i])) {
                    return texts[i];
                }
            }
            String text = IsoInstant.format(instant);
            instants[next] = instant;
            texts[next] = text;
            next = (next + 1) % SLOTS;
            return text;
        }
    }
}
