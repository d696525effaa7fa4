package net.tracemesh.platform.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo lab as data: its namespaces, cables, addresses and routes ({@link #DRAWING}). Nothing here runs a
 * command; {@link DemoLab} builds it with {@code ip}, {@code sysctl} and {@code iptables}.
 *
 * <p>Every router answers from the interface a probe came in on, so a router shows the address facing the vantage
 * point. Vantage points route the lab (198.19.0.0/16) through their site router and the management /24 over the
 * bridge: probes never take the management link.
 */
public final class DemoTopology {
    /** Every namespace, host-side interface and iptables comment of the demo starts with this. */
    public static final String PREFIX = "tmdemo-";
    /** The lab, as {@code demo up} prints it. */
    public static final String DRAWING = """
              a1 ──┐                    ┌── p1 ──┐
                   ra ══ MTU 600 ══ c1 ─┤ ECMP   ├─ c2 ── fw ── dst  198.19.60.1 .. .60.4
              a2 ──┘               /    └── p2 ──┘  /      (fw drops UDP to .60.4)
              b1 ──┐              /                /
                   rb ───────────┘                /
              b2 ──┘ └───────────── bk ──────────┘   route change: rb's route to 198.19.60.0/24 moves
                                                                   from c1 to bk
              vantage points (agents demo-a1, demo-a2: site A; demo-b1, demo-b2: site B): a1 a2 b1 b2
              routers: ra rb c1 p1 p2 c2 fw bk; c1 spreads flows over p1 and p2 by their 5-tuple
              cables 198.19.N.0/24 (first-named end .1, second .2): ra-a1 1, ra-a2 2, rb-b1 3, rb-b2 4,
                ra-c1 11 (MTU 600), rb-c1 12, c1-p1 21, c1-p2 22, p1-c2 23, p2-c2 24, c2-fw 31, fw-dst 32,
                rb-bk 41, bk-c2 42
              management: bridge tmdemo-br 198.19.100.1/24 (the broker) to a1 .100.11, a2 .100.12,
                b1 .100.13, b2 .100.14""";
    /** The management bridge in the root namespace. */
    public static final String BRIDGE = PREFIX + "br";
    /** The broker's (host's) address on the management bridge. */
    public static final String HOST_ADDRESS = "198.19.100.1";
    static final int MANAGEMENT_PREFIX_LENGTH = 24;
    /** Everything the lab routes. */
    static final String LAB_AGGREGATE = "198.19.0.0/16";
    /** The destinations' prefix: the addresses {@link #DESTINATIONS} live on the destination host's loopback. */
    public static final String DESTINATION_PREFIX = "198.19.60.0/24";
    /** The measured destinations. */
    public static final List<String> DESTINATIONS = List.of("198.19.60.1", "198.19.60.2", "198.19.60.3",
            "198.19.60.4");
    /** The destination the firewall drops UDP toward (ICMP passes). */
    public static final String FIREWALLED_DESTINATION = "198.19.60.4";
    /** The MTU of the low-MTU link (site A's uplink, ra to c1). */
    public static final int LOW_MTU = 600;
    /** Seed of the ECMP router's multipath hash, so a flow takes the same branch from run to run. */
    static final String MULTIPATH_HASH_SEED = "20261206";

    /** What a namespace is. */
    public enum Kind { VANTAGE, ROUTER, HOST }

    /**
     * One namespace: {@code role} names it ({@code tmdemo-<role>}); vantage points carry their site's label and their
     * management address.
     */
    public record Node(String role, Kind kind, String site, String managementAddress) {
        public Node {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(kind, "kind");
        }

        public String namespace() {
            return PREFIX + role;
        }

        /** The host-side end of this vantage point's management veth. */
        String hostInterface() {
            return PREFIX + "m-" + role;
        }

        /** The agent running here: {@code demo-<role>}. */
        public String agentId() {
            return "demo-" + role;
        }

        @Override
        public String toString() {
            return role;
        }
    }

    /** A veth pair: {@code first} gets 198.19.{subnet}.1/24 on {@code to-<second>}, {@code second} .2 on {@code to-<first>}. */
    public record Cable(Node first, Node second, int subnet, int mtu) {
        String interfaceIn(Node side) {
            return "to-" + peerOf(side).role();
        }

        Node peerOf(Node side) {
            if (side.equals(first)) {
                return second;
            }
            if (side.equals(second)) {
                return first;
            }
            return null;
        }

        String addressOf(Node side) {
            if (peerOf(side) == null) {
                throw new IllegalArgumentException(side + " is not on cable " + this);
            }
            return "198.19." + subnet + (side.equals(first) ? ".1" : ".2");
        }

        String network() {
            return "198.19." + subnet + ".0/24";
        }
    }

    /** One route a namespace gets: {@code ip route replace <destination> via <gateway> [via <gateway>...]}. */
    public record Route(Node node, String destination, List<String> gateways) {
        List<String> ipArguments() {
            List<String> args = new ArrayList<>(List.of("route", "replace", destination));
            if (gateways.size() == 1) {
                args.addAll(List.of("via", gateways.get(0)));
            } else {
                for (String gateway : gateways) {
                    args.addAll(List.of("nexthop", "via", gateway));
                }
            }
            return args;
        }
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Cable> cables = new ArrayList<>();

    private DemoTopology() {
    }

    /** The demo's lab, as drawn above. */
    public static DemoTopology standard() {
        DemoTopology t = new DemoTopology();
        Node a1 = t.vantage("a1", "site A", 11);
        Node a2 = t.vantage("a2", "site A", 12);
        Node b1 = t.vantage("b1", "site B", 13);
        Node b2 = t.vantage("b2", "site B", 14);
        Node ra = t.node("ra", Kind.ROUTER);
        Node rb = t.node("rb", Kind.ROUTER);
        Node c1 = t.node("c1", Kind.ROUTER);
        Node p1 = t.node("p1", Kind.ROUTER);
        Node p2 = t.node("p2", Kind.ROUTER);
        Node c2 = t.node("c2", Kind.ROUTER);
        Node fw = t.node("fw", Kind.ROUTER);
        Node bk = t.node("bk", Kind.ROUTER);
        Node dst = t.node("dst", Kind.HOST);
        t.cable(ra, a1, 1, 0);
        t.cable(ra, a2, 2, 0);
        t.cable(rb, b1, 3, 0);
        t.cable(rb, b2, 4, 0);
        t.cable(ra, c1, 11, LOW_MTU);
        t.cable(rb, c1, 12, 0);
        t.cable(c1, p1, 21, 0);
        t.cable(c1, p2, 22, 0);
        t.cable(p1, c2, 23, 0);
        t.cable(p2, c2, 24, 0);
        t.cable(c2, fw, 31, 0);
        t.cable(fw, dst, 32, 0);
        t.cable(rb, bk, 41, 0);
        t.cable(bk, c2, 42, 0);
        return t;
    }

    private Node vantage(String role, String site, int managementHost) {
        return add(new Node(role, Kind.VANTAGE, site, "198.19.100." + managementHost));
    }

    private Node node(String role, Kind kind) {
        return add(new Node(role, kind, null, null));
    }

    private Node add(Node node) {
        nodes.put(node.role(), node);
        return node;
    }

    private void cable(Node first, Node second, int subnet, int mtu) {
        cables.add(new Cable(first, second, subnet, mtu));
    }

    // ------------------------------------------------------------------ what the lab is made of

    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    public Node node(String role) {
        Node n = nodes.get(role);
        if (n == null) {
            throw new IllegalArgumentException("the demo lab has no namespace " + role);
        }
        return n;
    }

    public List<Node> vantages() {
        return nodes.values().stream().filter(n -> n.kind() == Kind.VANTAGE).toList();
    }

    public List<Node> routers() {
        return nodes.values().stream().filter(n -> n.kind() == Kind.ROUTER).toList();
    }

    public List<Cable> cables() {
        return List.copyOf(cables);
    }

    /** The cables of {@code node}, in cabling order. */
    List<Cable> cablesOf(Node node) {
        return cables.stream().filter(c -> c.peerOf(node) != null).toList();
    }

    /** Every lab address of {@code node} (without the destination host's loopback addresses). */
    public List<String> addresses(Node node) {
        return cablesOf(node).stream().map(c -> c.addressOf(node)).toList();
    }

    /** The address {@code side} has on the cable to {@code peer}. */
    String addressFacing(Node side, Node peer) {
        return cables.stream().filter(c -> c.peerOf(side) == peer).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(side + " and " + peer + " are not cabled"))
                .addressOf(side);
    }

    /** The namespace whose loopback holds {@link #DESTINATIONS}. */
    Node destinationHost() {
        return node("dst");
    }

    /** The namespace that drops UDP toward {@link #FIREWALLED_DESTINATION}. */
    Node firewall() {
        return node("fw");
    }

    /** The router whose multipath route spreads flows over p1 and p2. */
    Node ecmpRouter() {
        return node("c1");
    }

    // ------------------------------------------------------------------ routes

    /**
     * Every route of the lab before the route change. Routers get, for each subnet (and the destination prefix) they
     * are not attached to, a route through the neighbour that starts a shortest path to it (ties go to the earlier
     * cable); vantage points and the destination host get {@link #LAB_AGGREGATE} through their only neighbour. Then
     * the scenario: c1 spreads the destinations over p1 and p2, and rb sends them to c1 (not to bk, which is shorter
     * and becomes the route after the change).
     */
    public List<Route> routes() {
        Map<String, Node> networks = new LinkedHashMap<>();
        for (Cable c : cables) {
            networks.put(c.network(), c.first());
        }
        Map<String, List<Route>> byNodeAndDestination = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            List<Cable> own = cablesOf(n);
            if (n.kind() != Kind.ROUTER) {
                Cable only = own.get(0);
                put(byNodeAndDestination, new Route(n, LAB_AGGREGATE, List.of(only.addressOf(only.peerOf(n)))));
                continue;
            }
            List<String> targets = new ArrayList<>(networks.keySet());
            targets.add(DESTINATION_PREFIX);
            for (String network : targets) {
                if (own.stream().anyMatch(c -> c.network().equals(network))) {
                    continue;
                }
                Cable first = firstCableToward(n, network);
                put(byNodeAndDestination, new Route(n, network, List.of(first.addressOf(first.peerOf(n)))));
            }
        }
        Node c1 = ecmpRouter();
        put(byNodeAndDestination, new Route(c1, DESTINATION_PREFIX,
                List.of(addressFacing(node("p1"), c1), addressFacing(node("p2"), c1))));
        put(byNodeAndDestination, routeChange().before());
        List<Route> all = new ArrayList<>();
        byNodeAndDestination.values().forEach(all::addAll);
        return all;
    }

    private static void put(Map<String, List<Route>> routes, Route route) {
        String key = route.node().role() + " " + route.destination();
        routes.put(key, List.of(route));
    }

    /** Breadth-first search from {@code from}: the cable leaving it on a shortest path to {@code network}. */
    private Cable firstCableToward(Node from, String network) {
        Map<Node, Cable> firstCable = new HashMap<>();
        Deque<Node> queue = new ArrayDeque<>(List.of(from));
        firstCable.put(from, null);
        while (!queue.isEmpty()) {
            Node current = queue.poll();
            if (current != from && reaches(current, network)) {
                return firstCable.get(current);
            }
            for (Cable c : cablesOf(current)) {
                Node next = c.peerOf(current);
                if (!firstCable.containsKey(next)) {
                    firstCable.put(next, current == from ? c : firstCable.get(current));
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException(from + " has no path to " + network);
    }

    private boolean reaches(Node node, String network) {
        if (network.equals(DESTINATION_PREFIX)) {
            return node.equals(destinationHost());
        }
        return cablesOf(node).stream().anyMatch(c -> c.network().equals(network));
    }

    /** The route change: {@code before} is installed at the start, {@code after} replaces it. */
    public record RouteChange(Route before, Route after, String description) {
    }

    /** rb's route to the destinations, from c1 (through the ECMP diamond) to bk (straight to c2). */
    public RouteChange routeChange() {
        Node rb = node("rb");
        return new RouteChange(
                new Route(rb, DESTINATION_PREFIX, List.of(addressFacing(node("c1"), rb))),
                new Route(rb, DESTINATION_PREFIX, List.of(addressFacing(node("bk"), rb))),
                "rb now sends " + DESTINATION_PREFIX + " to bk instead of c1: site B's paths (agents demo-b1, "
                        + "demo-b2) skip the ECMP diamond (History shows the change)");
    }
}
