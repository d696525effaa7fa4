package net.tracemesh.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.sqlite.SQLiteConnection;

/**
 * What differs between the databases a store can be: how times are kept, and the names of two functions. The schema
 * and every other statement are the same on all of them.
 *
 * <ul>
 *   <li>{@link #STANDARD}: PostgreSQL, and H2 in its PostgreSQL mode: times as {@code TIMESTAMP WITH TIME ZONE} in
 *       UTC, to the microsecond; {@code LEAST} and {@code GREATEST}.</li>
 *   <li>{@link #SQLITE}: SQLite, which has no time type: times as microseconds since the epoch in the same columns
 *       (SQLite keeps the integer whatever type name the schema gives); {@code MIN} and {@code MAX} of two values.
 *       Microseconds keep the order of times, so every comparison in SQL means the same.</li>
 * </ul>
 */
public enum StoreDialect {
    STANDARD("LEAST", "GREATEST"),
    SQLITE("MIN", "MAX");

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final int NANOS_PER_MICRO = 1000;

    private final String least;
    private final String greatest;

    StoreDialect(String least, String greatest) {
        this.least = least;
        this.greatest = greatest;
    }

    /** The dialect of a database by its JDBC URL. */
    public static StoreDialect ofUrl(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:sqlite:") ? SQLITE : STANDARD;
    }

    /**
     * The dialect of the database {@code c} is connected to (through a pool's proxy too): a test of the driver's
     * class, cheap enough to make per statement or row.
     */
    public static StoreDialect of(Connection c) throws SQLException {
        return c.isWrapperFor(SQLiteConnection.class) ? SQLITE : STANDARD;
    }

    /** The function of the smaller of two values. */
    public String least() {
        return least;
    }

    /** The function of the larger of two values. */
    public String greatest() {
        return greatest;
    }

    /** Binds a time (null for NULL), rounded to the microsecond as the standard databases keep it. */
    public void setInstant(PreparedStatement s, int index, Instant at) throws SQLException {
        if (this == SQLITE) {
            if (at == null) {
                s.setNull(index, Types.BIGINT);
            } else {
                s.setLong(index, micros(at));
            }
        } else if (at == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(index, utc(at));
        }
    }

    /** A time column of the current row, or null. */
    public Instant instant(ResultSet r, String column) throws SQLException {
        if (this == SQLITE) {
            long v = r.getLong(column);
            return r.wasNull() ? null : Instant.ofEpochSecond(Math.floorDiv(v, MICROS_PER_SECOND),
                    Math.floorMod(v, MICROS_PER_SECOND) * NANOS_PER_MICRO);
        }
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Microseconds since the epoch, the nanoseconds rounded half up (as H2 and PostgreSQL round them). */
    static long micros(Instant at) {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), MICROS_PER_SECOND),
                at.getNano() / NANOS_PER_MICRO);
        return at.getNano() % NANOS_PER_MICRO >= NANOS_PER_MICRO / 2 ? micros + 1 : micros;
    }

    /** {@code at} in UTC: the same as {@code OffsetDateTime.ofInstant(at, UTC)}, without making the offset's rules. */
    static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(), ZoneOffset.UTC),
                ZoneOffset.UTC);
    }
}
