package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreDialectTest {
    @Test
    void timesAreWrittenInUtcAsTheJdkConvertsThem() {
        for (Instant at : List.of(Instant.EPOCH, Instant.parse("2026-11-02T00:14:59.123456789Z"),
                Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("2038-01-19T03:14:08Z"))) {
            assertThat(StoreDialect.utc(at)).isEqualTo(OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            assertThat(StoreDialect.utc(at).toInstant()).isEqualTo(at);
        }
    }

    @Test
    void sqliteKeepsMicrosecondsRoundedAsTheStandardDatabasesRoundThem() {
        assertThat(StoreDialect.micros(Instant.parse("2026-11-02T00:14:59.123456789Z")))
                .isEqualTo(Instant.parse("2026-11-02T00:14:59.123457Z").getEpochSecond() * 1_000_000 + 123_457);
        assertThat(StoreDialect.micros(Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo(-1);
        assertThat(StoreDialect.micros(Instant.parse("1969-07-20T20:17:40.123456789Z")))
                .isEqualTo(Instant.parse("1969-07-20T20:17:40Z").getEpochSecond() * 1_000_000 + 123_457);
        assertThat(StoreDialect.ofUrl("jdbc:sqlite:/var/lib/tracemesh/tracemesh.db")).isEqualTo(StoreDialect.SQLITE);
        assertThat(StoreDialect.ofUrl("jdbc:postgresql://db/tracemesh")).isEqualTo(StoreDialect.STANDARD);
        assertThat(StoreDialect.ofUrl("jdbc:h2:file:/tmp/x")).isEqualTo(StoreDialect.STANDARD);
    }
}
