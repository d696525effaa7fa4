package net.tracemesh.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.PlaceholderRuns;

/**
 * Schema 3 (a Java migration: it counts): the tally of placeholders that connect nodes ({@link PlaceholderRuns}),
 * kept as traces are applied, so that the whole graph's count is known without reading its placeholders (the map's
 * default view shows a limited number of nodes and says how many matched). One row per applied batch that added some:
 * rows rather than one counter, so that collectors sharing a database never wait for each other on it. The traces
 * applied before schema 3 are counted here, once, from the graph's placeholder links.
 */
final class V3PlaceholderTally extends StoreMigration {
    /** The row that holds the count of the traces applied before schema 3. */
    static final String EARLIER_TRACES = "before-schema-3";

    V3PlaceholderTally() {
        super("3", "placeholder tally");
    }

    @Override
    void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE placeholder_tally (batch_id VARCHAR(36) NOT NULL, connecting BIGINT NOT NULL, "
                    + "PRIMARY KEY (batch_id))");
        }
        List<LinkId> links = new ArrayList<>();
        String anonymous = NodeKind.ANONYMOUS.name();
        try (PreparedStatement q = c.prepareStatement("SELECT from_kind, from_key, to_kind, to_key, link_kind "
                + "FROM links WHERE from_kind = ? OR to_kind = ?")) {
            q.setString(1, anonymous);
            q.setString(2, anonymous);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    links.add(ColumnCodec.linkId(r));
                }
            }
        }
        long connecting = PlaceholderRuns.connecting(links);
        if (connecting > 0) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO placeholder_tally (batch_id, connecting) VALUES (?, ?)")) {
                s.setString(1, EARLIER_TRACES);
                s.setLong(2, connecting);
                s.executeUpdate();
            }
        }
    }
}
