package net.tracemesh.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The record mapper reads every instant as Jackson's own deserializer does, or refuses what it refuses. */
class IsoInstantDeserializerTest {
    /** What the records were read with before: Jackson's Java time module alone. */
    private static final ObjectMapper GENERAL = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();

    record Stamped(Instant at) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026-12-06T23:53:39.611091042Z\"", "\"2026-12-06T23:53:39Z\"",
            "\"2024-02-29T12:00:00.5Z\"", "\"2026-12-06T23:53:39+01:00\"", "\"2026-12-06t23:53:39z\"",
            "\"2026-12-06T23:59:60Z\"", "\"+10000-01-01T00:00:00Z\"", "\"2026-02-29T00:00:00Z\"",
            "\"2026-12-06T23:53:39.Z\"", "\"yesterday\"", "\"\"", "\" \"", "1765065219", "1765065219.25", "null",
            "true", "[\"2026-12-06T23:53:39Z\"]", "{}"})
    void readsAsJacksonsOwnDeserializer(String value) {
        String json = "{\"at\":" + value + "}";
        Object expected = read(GENERAL, json);
        Object actual = read(RecordJson.mapper(), json);
        if (expected instanceof Exception e) {
            assertThat(actual).as(json).isInstanceOf(e.getClass());
        } else {
            assertThat(actual).as(json).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06T23:53:39.611091042Z", "2026-12-06T23:53:39.1Z", "1970-01-01T00:00:00Z"})
    void readsWhatItWrites(String text) throws Exception {
        Instant t = Instant.parse(text);
        String json = RecordJson.mapper().writeValueAsString(List.of(t));
        assertThat(RecordJson.mapper().readValue(json, Instant[].class)).containsExactly(t);
    }

    /** The record read, or the exception reading failed with. */
    private static Object read(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, Stamped.class);
        } catch (Exception e) {
            return e;
        }
    }
}
