package net.tracemesh.collector.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.measurement.MeasurementMethod;

/**
 * Reading the store's key columns back into values, for the queries: methods and route keys, IPv4 addresses as
 * unsigned numbers. Node and link ids and value columns (times, RTT summaries, reply types, MPLS stacks) are read with
 * the store's own {@link net.tracemesh.collector.store.ColumnCodec}.
 */
final class StoredColumns {
    private StoredColumns() {
    }

    static MeasurementMethod method(String wireName) {
        return MeasurementMethod.fromWireName(wireName).orElseThrow(
                () -> new IllegalStateException("unknown method in the store: " + wireName));
    }

    static RouteKey routeKey(ResultSet r) throws SQLException {
        return new RouteKey(r.getString("agent_id"), r.getString("destination"), method(r.getString("method")));
    }

    /** The address as the store's {@code *_num} columns hold it: its 32 bits as an unsigned number. */
    static long addressNumber(int address) {
        return Integer.toUnsignedLong(address);
    }

    /** {@code ?, ?, ?} for {@code n} parameters. */
    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
