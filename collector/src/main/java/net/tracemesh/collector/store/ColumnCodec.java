package net.tracemesh.collector.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.tracemesh.collector.history.Divergence;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteChangeEvent;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.rtt.RttSummary;
import net.tracemesh.collector.topology.LinkId;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.ReplyType;
import net.tracemesh.record.MplsLabel;

/**
 * How values that have no SQL type of their own are kept in columns: times as UTC {@code TIMESTAMP WITH TIME ZONE},
 * RTT summaries as their bytes (NULL when empty), reply types as sorted labels joined by {@code ","}, and MPLS label
 * stacks as {@code label/tc/s/ttl} entries joined by spaces, stacks joined by {@code ";"}.
 */
public final class ColumnCodec {
    /** Distinct MPLS stacks kept per node: the first ones in text order, so the set does not depend on arrival. */
    static final int MAX_MPLS_STACKS = 16;
    static final int MPLS_COLUMN_LENGTH = 4096;
    private static final String LIST_SEPARATOR = ",";
    private static final String STACK_SEPARATOR = ";";
    private static final String LABEL_SEPARATOR = " ";
    private static final String FIELD_SEPARATOR = "/";

    private ColumnCodec() {
    }

    /**
     * The route change of a {@code route_changes} row (columns {@code changed_at, old_route, old_first_seen,
     * old_last_seen, new_route, divergence_ttl, last_common_ttl, last_common_hop}) of {@code key}.
     */
    public static RouteChangeEvent routeChange(ResultSet r, RouteKey key, StoreDialect dialect)
            throws SQLException {
        String common = r.getString("last_common_hop");
        Divergence d = new Divergence(r.getInt("divergence_ttl"), r.getInt("last_common_ttl"),
                common == null ? null : RouteHop.parse(common));
        return new RouteChangeEvent(key, Route.parse(r.getString("old_route")), dialect.instant(r, "old_first_seen"),
                dialect.instant(r, "old_last_seen"), Route.parse(r.getString("new_route")), d,
                dialect.instant(r, "changed_at"));
    }

    static void setInteger(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }

    public static Integer integer(ResultSet r, String column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v;
    }

    static void setRtt(PreparedStatement s, int index, RttSummary rtt) throws SQLException {
        if (rtt.isEmpty()) {
            s.setNull(index, Types.BINARY);
        } else {
            s.setBytes(index, rtt.toBytes());
        }
    }

    /** The RTT summary of a column's bytes (empty when NULL). */
    public static RttSummary rtt(byte[] bytes) {
        return bytes == null ? new RttSummary() : RttSummary.fromBytes(bytes);
    }

    /** The node named by a row's kind and key columns. */
    public static NodeId nodeId(ResultSet r, String kindColumn, String keyColumn) throws SQLException {
        return new NodeId(NodeKind.valueOf(r.getString(kindColumn)), r.getString(keyColumn));
    }

    /** The link named by a row's {@code from_kind, from_key, to_kind, to_key, link_kind} columns. */
    public static LinkId linkId(ResultSet r) throws SQLException {
        return new LinkId(nodeId(r, "from_kind", "from_key"), nodeId(r, "to_kind", "to_key"),
                LinkKind.valueOf(r.getString("link_kind")));
    }

    /**
     * The summary of a {@code nodes} row (its {@code node_kind, node_key} and value columns), with the vantage
     * points that saw it, from its per-agent rows. (A placeholder has no row: {@link TracePlaceholders}.)
     */
    public static NodeSummary nodeSummary(ResultSet r, SortedMap<String, Long> agents, StoreDialect dialect)
            throws SQLException {
        NodeId id = nodeId(r, "node_kind", "node_key");
        long observations = r.getLong("observations");
        return new NodeSummary(id, dialect.instant(r, "first_seen"), dialect.instant(r, "last_seen"), observations,
                r.getBoolean("destination"), rtt(r.getBytes("rtt")), integer(r, "min_mtu"),
                replyTypes(r.getString("reply_types")), stacks(r.getString("mpls")), agents);
    }

    /**
     * The summary of a {@code links} row ({@code id} read from its key columns), with the vantage points that saw it,
     * from its per-agent rows. (A placeholder's link has no row: {@link TracePlaceholders}.)
     */
    public static LinkSummary linkSummary(LinkId id, ResultSet r, SortedMap<String, Long> agents,
                                          StoreDialect dialect) throws SQLException {
        long observations = r.getLong("observations");
        return new LinkSummary(id, dialect.instant(r, "first_seen"), dialect.instant(r, "last_seen"), observations,
                r.getLong("ambiguous_observations"), r.getInt("min_gap"), r.getInt("max_gap"),
                rtt(r.getBytes("rtt")), integer(r, "mtu"), agents);
    }

    static String replyTypes(Collection<ReplyType> types) {
        return types.stream().map(ReplyType::label).sorted().collect(Collectors.joining(LIST_SEPARATOR));
    }

    public static SortedSet<ReplyType> replyTypes(String text) {
        SortedSet<ReplyType> out = new TreeSet<>();
        if (!text.isEmpty()) {
            for (String label : text.split(LIST_SEPARATOR, -1)) {
                out.add(ReplyType.parse(label));
            }
        }
        return out;
    }

    static String stack(List<MplsLabel> stack) {
        return stack.stream().map(l -> l.label() + FIELD_SEPARATOR + l.tc() + FIELD_SEPARATOR + (l.s() ? 1 : 0)
                + FIELD_SEPARATOR + l.ttl()).collect(Collectors.joining(LABEL_SEPARATOR));
    }

    static List<MplsLabel> stack(String text) {
        List<MplsLabel> out = new ArrayList<>();
        for (String entry : text.split(LABEL_SEPARATOR, -1)) {
            String[] f = entry.split(FIELD_SEPARATOR, -1);
            if (f.length != 4) {
                throw new IllegalArgumentException("not an MPLS label (label/tc/s/ttl): " + entry);
            }
            out.add(new MplsLabel(Integer.parseInt(f[0]), Integer.parseInt(f[1]), "1".equals(f[2]),
                    Integer.parseInt(f[3])));
        }
        return out;
    }

    static SortedSet<String> stackTexts(String column) {
        SortedSet<String> out = new TreeSet<>();
        if (!column.isEmpty()) {
            out.addAll(List.of(column.split(STACK_SEPARATOR, -1)));
        }
        return out;
    }

    /** The first {@link #MAX_MPLS_STACKS} stacks in text order that fit the column. */
    static String stacksColumn(SortedSet<String> stacks) {
        StringBuilder b = new StringBuilder();
        int kept = 0;
        for (String s : stacks) {
            int length = b.length() + (kept > 0 ? STACK_SEPARATOR.length() : 0) + s.length();
            if (kept == MAX_MPLS_STACKS || length > MPLS_COLUMN_LENGTH) {
                break;
            }
            if (kept > 0) {
                b.append(STACK_SEPARATOR);
            }
            b.append(s);
            kept++;
        }
        return b.toString();
    }

    public static List<List<MplsLabel>> stacks(String column) {
        return stackTexts(column).stream().map(ColumnCodec::stack).toList();
    }
}
