package net.tracemesh.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;

/**
 * The one place that knows how measurement records look in JSON: snake_case names, absent optional
 * fields left out, timestamps as ISO-8601 strings.
 */
public final class RecordJson {
    /** Version of the record schema written in every record's "schema" field. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("tracemesh-instants")
                    .addSerializer(Instant.class, new CachingInstantSerializer())
                    .addDeserializer(Instant.class, new IsoInstantDeserializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private RecordJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** One record as a single line of JSON (no trailing newline). */
    public static String write(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + record.getClass().getSimpleName(), e);
        }
    }

    /**
     * Writes one record as a line of JSON, newline included, to {@code out} (left open): bytes straight from the
     * generator, without a String in between.
     */
    public static void writeLine(Object record, java.io.OutputStream out) throws java.io.IOException {
        out.write(MAPPER.writeValueAsBytes(record));
        out.write('\n');
    }

    /**
     * Builds the serializer of {@code type} now: loading and introspecting the classes takes a noticeable part of a
     * second, which a caller can spend while it waits for something else instead of on the first record.
     */
    public static void prepare(Class<?> type) {
        MAPPER.writerFor(type);
    }

    /** Parses a record; any invalid input (bad JSON, missing or impossible fields) is an IllegalArgumentException. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": "
                    + (cause == e ? e.getOriginalMessage() : cause.getMessage()), e);
        }
    }
}
