package net.tracemesh.collector.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.assemble.TraceEnding;
import net.tracemesh.collector.assemble.TraceKey;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.MplsLabel;

/**
 * Turns one assembled trace into the nodes and links it shows. Stateless and deterministic: the same trace always
 * gives the same observations, whatever order its hops arrived in.
 *
 * <h2>Nodes</h2>
 * Every address that replied (with its RTTs, reply types, MPLS stacks and reported MTU), the destination (even when
 * it did not answer), the agent, and — for Paris traces — one placeholder per silent TTL between the first probed
 * TTL and the last TTL that answered. Placeholders are keyed by (agent, trace, TTL) and never merged with anything.
 * Silent TTLs after the last reply get no placeholder: they hold no place between two known nodes (the route history
 * keeps them as silent hops).
 *
 * <h2>Positions</h2>
 * The "position" of a TTL is the set of addresses whose replies answered probes of that TTL, except
 * fragmentation-needed reports: with path MTU discovery such a report comes from the router where the probe was too
 * big, which may be before the probe's TTL, so it says nothing about position (it still counts for the node's MTU).
 * The agent holds position 0.
 *
 * <h2>Links of Paris traces (udp-paris, icmp-paris, tcp)</h2>
 * Every probe of the trace is one flow, so per-flow load balancers send them all one way and consecutive TTLs are
 * adjacent on that one path:
 * <ul>
 *   <li>{@link LinkKind#DIRECT}: every address at TTL t to every address at TTL t+1 (the agent at 0 to the addresses
 *       at TTL 1). Normally one address answers each TTL; when several do (a per-packet balancer, a route change
 *       during the trace), all pairs are linked and marked {@code ambiguous}.</li>
 *   <li>{@link LinkKind#INDIRECT}: across silent TTLs, from every address at the last answering TTL before the gap to
 *       every address at the first one after it, with the gap length. The first probed TTL is the completion's
 *       first TTL; without a completion, TTLs before the first reply are treated as unprobed (agent to first reply
 *       is indirect, without placeholders).</li>
 *   <li>{@link LinkKind#PLACEHOLDER}: the silent TTLs' placeholders chained between their neighbours.</li>
 *   <li>The destination is linked like any address: the address at the TTL before it links to it when it answered.
 *   </li>
 *   <li>Never a link from a node to itself: an address answering consecutive TTLs (a router answering time exceeded
 *       then unreachable, or one not decrementing TTL) or both sides of a gap (a loop) links to nothing new. Loops
 *       over distinct addresses (A B A) give the links the probes really crossed (A to B, B to A).</li>
 * </ul>
 *
 * <h2>Links of classic udp traces</h2>
 * Each classic probe is its own flow, so replies at consecutive TTLs may lie on different paths of a load-balanced
 * network: classic traces make no link between two addresses, and no placeholders. The only link they make is from
 * the agent to the addresses that answered TTL 1, because that reply and the agent are the two ends of one probe's
 * first hop.
 */
public final class TraceMerger {
    /** The position of the agent. */
    private static final int AGENT_TTL = 0;

    /** The observations of one trace. */
    public TraceObservations merge(AssembledTrace trace) {
        TraceKey key = trace.key();
        Instant at = trace.start();
        String agent = trace.agentId();

        Map<String, NodeAccumulator> addresses = new TreeMap<>();
        TreeMap<Integer, Position> positions = new TreeMap<>();
        for (HopRecord hop : trace.hops()) {
            addresses.computeIfAbsent(hop.addr(), a -> new NodeAccumulator()).add(hop);
            if (AssembledTrace.isPositional(hop)) {
                positions.computeIfAbsent(hop.ttl(), t -> new Position()).add(hop);
                addresses.get(hop.addr()).ttls.add(hop.ttl());
            }
        }

        List<NodeObservation> nodes = new ArrayList<>();
        NodeId agentNode = NodeId.agent(agent);
        nodes.add(new NodeObservation(agentNode, agent, at, false, List.of(), List.of(), new TreeSet<>(), List.of(),
                null));
        for (Map.Entry<String, NodeAccumulator> e : addresses.entrySet()) {
            NodeAccumulator n = e.getValue();
            nodes.add(new NodeObservation(NodeId.address(e.getKey()), agent, at, e.getKey().equals(trace.dst()),
                    List.copyOf(n.ttls), n.rtts, n.types, List.copyOf(n.mpls), n.mtu));
        }
        if (!addresses.containsKey(trace.dst())) {
            nodes.add(new NodeObservation(NodeId.address(trace.dst()), agent, at, true, List.of(), List.of(),
                    new TreeSet<>(), List.of(), null));
        }

        Links links = new Links(agent, at, addresses);
        if (trace.paris()) {
            // Every TTL with a place in the chain: the agent, then the probed TTLs up to the last that answered.
            TreeMap<Integer, List<NodeId>> chain = new TreeMap<>();
            chain.put(AGENT_TTL, List.of(agentNode));
            if (!positions.isEmpty()) {
                TraceEnding ending = trace.ending();
                int firstProbed = ending != null ? Math.min(ending.firstTtl(), positions.firstKey())
                        : positions.firstKey();
                for (int ttl = firstProbed; ttl <= positions.lastKey(); ttl++) {
                    Position p = positions.get(ttl);
                    if (p != null) {
                        chain.put(ttl, p.nodes());
                    } else {
                        NodeId anon = NodeId.anonymous(key, ttl);
                        chain.put(ttl, List.of(anon));
                        nodes.add(new NodeObservation(anon, agent, at, false, List.of(ttl), List.of(),
                                new TreeSet<>(), List.of(), null));
                    }
                }
            }
            for (Map.Entry<Integer, List<NodeId>> near : chain.entrySet()) {
                List<NodeId> far = chain.get(near.getKey() + 1);
                if (far != null) {
                    links.connect(near.getValue(), near.getKey(), far, near.getKey() + 1, positions);
                }
            }
            // Indirect links between consecutive answering positions (the agent included) with silent TTLs between.
            int previous = AGENT_TTL;
            for (int ttl : positions.keySet()) {
                if (ttl > previous + 1) {
                    links.connect(chain.get(previous), previous, positions.get(ttl).nodes(), ttl, positions);
                }
                previous = ttl;
            }
        } else if (positions.containsKey(1)) {
            links.connect(List.of(agentNode), AGENT_TTL, positions.get(1).nodes(), 1, positions);
        }

        Integer pathMtu = trace.ending() == null ? null : trace.ending().pathMtu();
        return new TraceObservations(key, trace.measurementId(), trace.method(), trace.src(), trace.dst(), at,
                trace.complete(), pathMtu, nodes, links.observations());
    }

    /** The replies at one TTL that tell where the probe was. */
    private static final class Position {
        final Set<String> addresses = new LinkedHashSet<>();
        final List<HopRecord> replies = new ArrayList<>(3);

        void add(HopRecord hop) {
            addresses.add(hop.addr());
            replies.add(hop);
        }

        List<NodeId> nodes() {
            return addresses.stream().map(NodeId::address).toList();
        }

        List<Double> rttsOf(String address) {
            return replies.stream().filter(h -> h.addr().equals(address)).map(HopRecord::rttMs).toList();
        }
    }

    /** What the replies of one address in one trace add up to. */
    private static final class NodeAccumulator {
        final TreeSet<Integer> ttls = new TreeSet<>();
        final List<Double> rtts = new ArrayList<>(3);
        final TreeSet<ReplyType> types = new TreeSet<>();
        final Set<List<MplsLabel>> mpls = new LinkedHashSet<>();
        Integer mtu;

        void add(HopRecord hop) {
            rtts.add(hop.rttMs());
            types.add(ReplyType.of(hop));
            if (hop.mpls() != null) {
                mpls.add(hop.mpls());
            }
            if (hop.mtu() != null && (mtu == null || hop.mtu() < mtu)) {
                mtu = hop.mtu();
            }
        }
    }

    /** The links of one trace, one observation per link id. */
    private static final class Links {
        final String agent;
        final Instant at;
        final Map<String, NodeAccumulator> addresses;
        final Map<LinkId, LinkObservation> byId = new LinkedHashMap<>();

        Links(String agent, Instant at, Map<String, NodeAccumulator> addresses) {
            this.agent = agent;
            this.at = at;
            this.addresses = addresses;
        }

        /** Links every node of {@code near} to every node of {@code far}, except a node to itself. */
        void connect(List<NodeId> near, int nearTtl, List<NodeId> far, int farTtl, Map<Integer, Position> positions) {
            boolean ambiguous = near.size() > 1 || far.size() > 1;
            for (NodeId a : near) {
                for (NodeId b : far) {
                    if (a.equals(b)) {
                        continue;
                    }
                    LinkKind kind = a.kind() == NodeKind.ANONYMOUS || b.kind() == NodeKind.ANONYMOUS
                            ? LinkKind.PLACEHOLDER
                            : farTtl == nearTtl + 1 ? LinkKind.DIRECT : LinkKind.INDIRECT;
                    List<Double> rtts = b.kind() == NodeKind.ADDRESS ? positions.get(farTtl).rttsOf(b.key())
                            : List.of();
                    Integer mtu = a.kind() == NodeKind.ADDRESS ? addresses.get(a.key()).mtu : null;
                    add(new LinkObservation(a, b, kind, nearTtl, farTtl, ambiguous, agent, at, rtts, mtu));
                }
            }
        }

        /** A link seen again in the same trace (a loop) keeps its first TTLs and gathers the RTTs. */
        private void add(LinkObservation o) {
            LinkObservation held = byId.get(o.id());
            if (held == null) {
                byId.put(o.id(), o);
                return;
            }
            List<Double> rtts = new ArrayList<>(held.rttsMs());
            rtts.addAll(o.rttsMs());
            byId.put(o.id(), new LinkObservation(held.from(), held.to(), held.kind(), held.fromTtl(), held.toTtl(),
                    held.ambiguous() || o.ambiguous(), agent, at, rtts, held.mtu()));
        }

        List<LinkObservation> observations() {
            return List.copyOf(byId.values());
        }
    }
}
