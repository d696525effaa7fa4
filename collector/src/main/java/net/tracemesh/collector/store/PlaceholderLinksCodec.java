package net.tracemesh.collector.store;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.LinkObservation;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.collector.topology.NodeObservation;
import net.tracemesh.wire.Ipv4Address;

/**
 * The compact binary form of one trace's placeholder links (the links that touch a placeholder of a silent TTL), kept
 * in the trace's own row ({@code applied_traces.placeholder_links}) instead of a row per link and per placeholder. A
 * placeholder belongs to one trace, so its key ({@link NodeId#anonymous}) and everything a row of it would hold follow
 * from the trace's key and start and the TTL; the links keep what no other column does once retention has pruned the
 * hop records: the named ends, the far end's RTTs, the near end's MTU, and whether the TTLs were ambiguous.
 *
 * <p>Layout: a format byte ({@link #FORMAT}), the number of links as a varint (at least one: a trace without
 * placeholders has no encoding), then per link: the near and far TTL (a byte each), a flags byte, the near end's
 * address (4 bytes, network order) unless it is the placeholder or the agent, the far end's address likewise unless
 * it is the placeholder, the MTU (2 bytes) if flagged, the number of RTTs (varint) and each RTT in nanoseconds
 * (unsigned varint). The agent is only ever a near end, at TTL 0.
 *
 * <p>RTTs are kept to the nanosecond, as {@link HopsCodec} keeps them; everything else round-trips exactly.
 */
public final class PlaceholderLinksCodec {
    /** The first byte of every encoding, so the layout can change later without guessing. */
    public static final int FORMAT = 1;
    private static final int FLAG_FROM_PLACEHOLDER = 1;
    private static final int FLAG_FROM_AGENT = 2;
    private static final int FLAG_TO_PLACEHOLDER = 4;
    private static final int FLAG_AMBIGUOUS = 8;
    private static final int FLAG_MTU = 16;
    private static final int KNOWN_FLAGS = FLAG_FROM_PLACEHOLDER | FLAG_FROM_AGENT | FLAG_TO_PLACEHOLDER
            | FLAG_AMBIGUOUS | FLAG_MTU;
    private static final double NANOS_PER_MS = 1_000_000.0;
    /** Two links per TTL at most would be 510; a trace's TTLs can answer from several addresses each. */
    private static final int MAX_LINKS = 1 << 16;
    private static final int MAX_RTTS = 1 << 12;

    private PlaceholderLinksCodec() {
    }

    /**
     * The encoding of the placeholder links among {@code links}, the links one trace showed (other kinds are left
     * out), or null when there are none.
     *
     * @throws IllegalArgumentException if a placeholder link is not of the trace {@code key} started at {@code at}:
     *                                  another agent or time, a placeholder of another trace or at another TTL, or
     *                                  the agent other than the near end at TTL 0
     */
    public static byte[] encode(TraceKey key, Instant at, List<LinkObservation> links) {
        List<LinkObservation> placeholders = links.stream().filter(l -> l.kind() == LinkKind.PLACEHOLDER).toList();
        if (placeholders.isEmpty()) {
            return null;
        }
        if (placeholders.size() > MAX_LINKS) {
            throw new IllegalArgumentException("more than " + MAX_LINKS + " placeholder links in trace " + key);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 + placeholders.size() * 12);
        out.write(FORMAT);
        StoredBytes.writeVarint(out, placeholders.size());
        for (LinkObservation l : placeholders) {
            if (!l.agentId().equals(key.agentId()) || !l.observedAt().equals(at)) {
                throw new IllegalArgumentException("link " + l.id() + " was seen by " + l.agentId() + " at "
                        + l.observedAt() + ", not by trace " + key + " at " + at);
            }
            int flags = endFlags(key, l.from(), l.fromTtl(), true) | endFlags(key, l.to(), l.toTtl(), false)
                    | (l.ambiguous() ? FLAG_AMBIGUOUS : 0) | (l.mtu() != null ? FLAG_MTU : 0);
            if (l.rttsMs().size() > MAX_RTTS) {
                throw new IllegalArgumentException("more than " + MAX_RTTS + " RTTs on link " + l.id());
            }
            if (l.mtu() != null && (l.mtu() < 0 || l.mtu() > 0xFFFF)) {
                throw new IllegalArgumentException("MTU out of range on link " + l.id() + ": " + l.mtu());
            }
            out.write(l.fromTtl());
            out.write(l.toTtl());
            out.write(flags);
            if ((flags & (FLAG_FROM_PLACEHOLDER | FLAG_FROM_AGENT)) == 0) {
                writeAddress(out, l.from());
            }
            if ((flags & FLAG_TO_PLACEHOLDER) == 0) {
                writeAddress(out, l.to());
            }
            if (l.mtu() != null) {
                out.write(l.mtu() >>> 8);
                out.write(l.mtu());
            }
            StoredBytes.writeVarint(out, l.rttsMs().size());
            for (double ms : l.rttsMs()) {
                if (!(ms >= 0) || Double.isInfinite(ms)) {
                    throw new IllegalArgumentException("RTT " + ms + " ms on link " + l.id());
                }
                StoredBytes.writeVarint(out, Math.round(ms * NANOS_PER_MS));
            }
        }
        return out.toByteArray();
    }

    /**
     * The placeholder links of trace {@code key}, started at {@code at}, from their encoding.
     *
     * @throws IllegalArgumentException for bytes that are no such encoding: truncated, trailing bytes, an unknown
     *                                  format or flag, or links no trace can show
     */
    public static List<LinkObservation> decode(TraceKey key, Instant at, byte[] bytes) {
        StoredBytes.Reader in = StoredBytes.Reader.open(bytes, "placeholder link", FORMAT);
        long count = in.varint();
        if (count < 1 || count > MAX_LINKS) {
            throw new IllegalArgumentException("placeholder link count out of range: " + count);
        }
        List<LinkObservation> links = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int fromTtl = in.u8();
            int toTtl = in.u8();
            int flags = in.u8();
            if ((flags & ~KNOWN_FLAGS) != 0) {
                throw new IllegalArgumentException("unknown placeholder link flags " + flags);
            }
            if ((flags & FLAG_FROM_PLACEHOLDER) != 0 && (flags & FLAG_FROM_AGENT) != 0) {
                throw new IllegalArgumentException("a link's near end is a placeholder or the agent, not both");
            }
            if ((flags & FLAG_FROM_AGENT) != 0 && fromTtl != 0) {
                throw new IllegalArgumentException("the agent is at TTL 0, not " + fromTtl);
            }
            NodeId from = (flags & FLAG_FROM_PLACEHOLDER) != 0 ? NodeId.anonymous(key, fromTtl)
                    : (flags & FLAG_FROM_AGENT) != 0 ? NodeId.agent(key.agentId()) : readAddress(in);
            NodeId to = (flags & FLAG_TO_PLACEHOLDER) != 0 ? NodeId.anonymous(key, toTtl) : readAddress(in);
            Integer mtu = (flags & FLAG_MTU) != 0 ? in.u8() << 8 | in.u8() : null;
            long rttCount = in.varint();
            if (rttCount > MAX_RTTS) {
                throw new IllegalArgumentException("RTT count out of range: " + rttCount);
            }
            List<Double> rtts = new ArrayList<>((int) rttCount);
            for (int r = 0; r < rttCount; r++) {
                rtts.add(in.varint() / NANOS_PER_MS);
            }
            links.add(new LinkObservation(from, to, LinkKind.PLACEHOLDER, fromTtl, toTtl,
                    (flags & FLAG_AMBIGUOUS) != 0, key.agentId(), at, rtts, mtu));
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the last placeholder link");
        }
        return List.copyOf(links);
    }

    /**
     * The placeholders that {@code links} (one trace's placeholder links) touch, in TTL order, as the trace's
     * merger observes them: seen once by the trace's agent at its start, at their one TTL, with nothing else known.
     */
    public static List<NodeObservation> placeholders(List<LinkObservation> links) {
        Map<Integer, LinkObservation> byTtl = new TreeMap<>();
        for (LinkObservation l : links) {
            if (l.from().kind() == NodeKind.ANONYMOUS) {
                byTtl.putIfAbsent(l.fromTtl(), l);
            }
            if (l.to().kind() == NodeKind.ANONYMOUS) {
                byTtl.putIfAbsent(l.toTtl(), l);
            }
        }
        List<NodeObservation> out = new ArrayList<>(byTtl.size());
        byTtl.forEach((ttl, l) -> {
            NodeId node = l.from().kind() == NodeKind.ANONYMOUS && l.fromTtl() == ttl ? l.from() : l.to();
            out.add(new NodeObservation(node, l.agentId(), l.observedAt(), false, List.of(ttl), List.of(),
                    new TreeSet<>(), List.of(), null));
        });
        return out;
    }

    /** The flags naming what kind of end {@code end} (at {@code ttl}) is; checks it belongs to the trace. */
    private static int endFlags(TraceKey key, NodeId end, int ttl, boolean near) {
        return switch (end.kind()) {
            case ANONYMOUS -> {
                if (!end.equals(NodeId.anonymous(key, ttl))) {
                    throw new IllegalArgumentException("placeholder " + end + " is not trace " + key + "'s at TTL "
                            + ttl);
                }
                yield near ? FLAG_FROM_PLACEHOLDER : FLAG_TO_PLACEHOLDER;
            }
            case AGENT -> {
                if (!near || ttl != 0 || !end.key().equals(key.agentId())) {
                    throw new IllegalArgumentException("agent " + end + " at TTL " + ttl + " is not trace " + key
                            + "'s near end at TTL 0");
                }
                yield FLAG_FROM_AGENT;
            }
            case ADDRESS -> 0;
        };
    }

    private static void writeAddress(ByteArrayOutputStream out, NodeId address) {
        int a = Ipv4Address.parse(address.key());
        out.write(a >>> 24);
        out.write(a >>> 16);
        out.write(a >>> 8);
        out.write(a);
    }

    private static NodeId readAddress(StoredBytes.Reader in) {
        int a = in.u8() << 24 | in.u8() << 16 | in.u8() << 8 | in.u8();
        return NodeId.address(Ipv4Address.format(a));
    }
}
