package net.tracemesh.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Schema 5 (a Java migration: it rewrites rows): the address index becomes lists, {@code address_traces}
 * ({@link AddressTraceLists}), in place of one row per address per trace ({@code trace_addresses}, dropped once its
 * rows are in lists).
 */
final class V5AddressTraceLists extends StoreMigration {
    /** Entries gathered before their lists are written (the old table is read in key order, an address at a time). */
    private static final int FLUSH_ENTRIES = 100_000;
    private static final int FETCH_SIZE = 10_000;

    V5AddressTraceLists() {
        super("5", "address trace lists");
    }

    @Override
    void migrate(Connection c) throws SQLException {
        StoreDialect dialect = StoreDialect.of(c);
        try (Statement s = c.createStatement()) {
            s.execute(AddressTraceLists.CREATE_TABLE);
            s.execute(AddressTraceLists.CREATE_INDEX);
        }
        List<AddressTraceLists.Row> rows = new ArrayList<>();
        int gathered = 0;
        try (PreparedStatement q = c.prepareStatement("SELECT addr_num, started_at, agent_id, trace_id, min_ttl "
                + "FROM trace_addresses ORDER BY addr_num, started_at, agent_id, trace_id")) {
            q.setFetchSize(FETCH_SIZE);
            try (ResultSet r = q.executeQuery()) {
                long address = -1;
                List<TraceAtAddress> traces = new ArrayList<>();
                while (r.next()) {
                    long a = r.getLong(1);
                    if (a != address && !traces.isEmpty()) {
                        AddressTraceLists.addRows(address, traces, rows);
                        traces = new ArrayList<>();
                        if (gathered >= FLUSH_ENTRIES) {
                            AddressTraceLists.insert(c, dialect, rows);
                            rows.clear();
                            gathered = 0;
                        }
                    }
                    address = a;
                    traces.add(new TraceAtAddress(dialect.instant(r, "started_at"),
                            r.getString(3), r.getString(4), r.getInt(5)));
                    gathered++;
                }
                if (!traces.isEmpty()) {
                    AddressTraceLists.addRows(address, traces, rows);
                }
            }
        }
        AddressTraceLists.insert(c, dialect, rows);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE trace_addresses");
        }
    }
}
