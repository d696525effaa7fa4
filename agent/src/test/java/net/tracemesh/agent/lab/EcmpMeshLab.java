package net.tracemesh.agent.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A lab for the collector's end-to-end tests: three vantage points whose paths meet at {@code e0}, a per-flow ECMP
 * diamond behind it, a detour that one vantage point can be switched onto, and a management network so agents in the
 * vantage namespaces reach a Kafka broker in this (root) namespace.
 *
 * <pre>
 *  v1 .1.2 ── .1.1 r1 .4.1 ── .4.2 ┐            ┌ .10.2 a1 .11.1 ── .11.2 ┐
 *  v2 .2.2 ── .2.1 r2 .5.1 ── .5.2 ┼ e0 .10.1 ──┤                        ├ e1 .20.1 ── .20.2 dst
 *  v3 .3.2 ── .3.1 r3 .6.1 ── .6.2 ┘    .12.1 ──┘ .12.2 b1 .13.1 ── .13.2 ┘
 *                     r3 .7.1 ── .7.2 x1 .8.1 ── .8.2 e1                 (the detour)
 *
 *  dst answers on 198.18.21.1 .. 198.18.21.4 (the ECMP destinations) and 198.18.22.1 (the detour destination)
 *  management: bridge in the root namespace 198.19.254.1/24 ── v1 .254.11, v2 .254.12, v3 .254.13 (interface mgmt)
 * </pre>
 *
 * (".4.1" is short for 198.18.4.1: every link is a /24, the first-named end at .1.)
 *
 * <p><b>Routes.</b> {@code e0} reaches each ECMP destination over a multipath route through {@code a1} and
 * {@code b1}, choosing by the packet's 5-tuple (source, destination, protocol, ports) with a fixed hash seed: one flow
 * always takes the same branch, different flows spread over both. It reaches the detour destination through
 * {@code a1} only. {@code r3} sends everything for the destinations to {@code e0} until {@link #takeDetour()} points
 * its route to the detour destination at {@code x1}.
 *
 * <p><b>Replies.</b> Every router answers from the interface a probe came in on
 * ({@code icmp_errors_use_inbound_ifaddr=1}), so {@code e1} shows as .11.2, .13.2 or .8.2 depending on where the
 * probe came from; the destination host answers from the address probed. ICMP rate limits are off, reverse-path
 * filtering is off (replies come back asymmetrically), IPv6 is off. The management bridge carries only Kafka traffic:
 * the vantage points route 198.18.0.0/15 through their router and nothing else. Closing deletes the namespaces and
 * the bridge.
 */
public final class EcmpMeshLab extends BridgedLab {
    /** The broker's address on the management bridge. */
    public static final String BROKER_HOST = "198.19.254.1";
    /** The destinations behind the diamond. */
    public static final List<String> ECMP_DESTINATIONS = List.of("198.18.21.1", "198.18.21.2", "198.18.21.3",
            "198.18.21.4");
    /** The destination whose route from {@code r3} {@link #takeDetour()} changes. */
    public static final String DETOUR_DESTINATION = "198.18.22.1";
    /** Seed of the multipath hash, fixed so a flow takes the same branch from run to run on one kernel. */
    public static final String MULTIPATH_HASH_SEED = "20261123";

    private static final String AGGREGATE = "198.18.0.0/15";
    private static final String MANAGEMENT_SUBNET = "198.19.254.";
    private static final String BRIDGE_PREFIX = "tmcm";

    private final List<Netns> vantages = new ArrayList<>();
    private final List<Netns> firstRouters = new ArrayList<>();
    private Netns e0;
    private Netns a1;
    private Netns b1;
    private Netns e1;
    private Netns x1;
    private Netns dst;
    private volatile boolean detour;

    private EcmpMeshLab() {
        super("tmmesh-", BRIDGE_PREFIX, BROKER_HOST);
    }

    /** Builds the lab (a few seconds); the caller closes it. */
    public static EcmpMeshLab start() {
        return new EcmpMeshLab().buildAll(EcmpMeshLab.class);
    }

    @Override
    void build() {
        for (int i = 1; i <= 3; i++) {
            vantages.add(node("v" + i, false));
        }
        for (int i = 1; i <= 3; i++) {
            firstRouters.add(node("r" + i, true));
        }
        e0 = node("e0", true);
        a1 = node("a1", true);
        b1 = node("b1", true);
        e1 = node("e1", true);
        x1 = node("x1", true);
        dst = node("dst", false);
        for (int i = 0; i < 3; i++) {
            cable(firstRouters.get(i), vantages.get(i), 1 + i);
        }
        for (int i = 0; i < 3; i++) {
            cable(firstRouters.get(i), e0, 4 + i);
        }
        cable(e0, a1, 10);
        cable(a1, e1, 11);
        cable(e0, b1, 12);
        cable(b1, e1, 13);
        cable(e1, dst, 20);
        cable(firstRouters.get(2), x1, 7);
        cable(x1, e1, 8);
        for (String d : ECMP_DESTINATIONS) {
            dst.address("lo", d + "/32");
        }
        dst.address("lo", DETOUR_DESTINATION + "/32");

        StaticRoutes.install(lab, AGGREGATE);
        String viaA1 = addressOf(a1, e0);
        String viaB1 = addressOf(b1, e0);
        Netns r3 = firstRouters.get(2);
        String r3ToE0 = addressOf(e0, r3);
        for (String d : ECMP_DESTINATIONS) {
            e0.multipathRoute(d + "/32", viaA1, viaB1);
            r3.ip("route", "replace", d + "/32", "via", r3ToE0);
        }
        e0.ip("route", "replace", DETOUR_DESTINATION + "/32", "via", viaA1);
        r3.ip("route", "replace", DETOUR_DESTINATION + "/32", "via", r3ToE0);
        LabWiring.perFlowMultipathHash(e0, MULTIPATH_HASH_SEED);
    }

    @Override
    void attachVantages(ManagementBridge bridge) {
        for (int i = 0; i < vantages.size(); i++) {
            bridge.attach(vantages.get(i), "v" + (i + 1), MANAGEMENT_SUBNET + (11 + i) + "/24");
        }
    }

    private Netns node(String role, boolean router) {
        Netns n = LabWiring.exactNode(lab, role, router);
        if (router) {
            n.sysctl("net.ipv4.icmp_errors_use_inbound_ifaddr", "1");
        }
        return n;
    }

    /** {@code first} gets 198.18.{third}.1/24, {@code second} .2. */
    private void cable(Netns first, Netns second, int third) {
        LabWiring.cable(lab, first, second, third, 0);
    }

    // ---------------------------------------------------------------- the lab

    /** The three vantage namespaces, v1 to v3. */
    public List<Netns> vantages() {
        return List.copyOf(vantages);
    }

    /** The vantage point's address on the lab (not the management) network. */
    public String vantageAddress(Netns vantage) {
        return addressOf(vantage, routerOf(vantage));
    }

    /** The vantage point whose route {@link #takeDetour()} changes (v3). */
    public Netns detourVantage() {
        return vantages.get(2);
    }

    /** The two routers of the diamond's branches: a1 (left) and b1 (right). */
    public List<Netns> branchRouters() {
        return List.of(a1, b1);
    }

    /** The lab namespace holding interface address {@code address}, if any. */
    public Optional<Netns> owner(String address) {
        return lab.owner(address);
    }

    /** True when {@code x} and {@code y} are addresses of two namespaces cabled together. */
    public boolean adjacent(String x, String y) {
        Optional<Netns> a = lab.owner(x);
        Optional<Netns> b = lab.owner(y);
        return a.isPresent() && b.isPresent() && lab.adjacent(a.get(), b.get());
    }

    /**
     * Every path the lab's routes let a probe from {@code vantage} to {@code destination} take, as what a Paris
     * traceroute sees: two for an ECMP destination (left branch first), one otherwise. The detour vantage's path to
     * {@link #DETOUR_DESTINATION} depends on whether {@link #takeDetour()} ran.
     */
    public List<LabPath> paths(Netns vantage, String destination) {
        Netns first = routerOf(vantage);
        if (ECMP_DESTINATIONS.contains(destination)) {
            return List.of(
                    responders(vantage, List.of(first, e0, a1, e1, dst), destination),
                    responders(vantage, List.of(first, e0, b1, e1, dst), destination));
        }
        if (DETOUR_DESTINATION.equals(destination)) {
            boolean detoured = detour && vantage.equals(detourVantage());
            return List.of(detoured
                    ? responders(vantage, List.of(first, x1, e1, dst), destination)
                    : responders(vantage, List.of(first, e0, a1, e1, dst), destination));
        }
        throw new IllegalArgumentException(destination + " is not a destination of this lab");
    }

    /**
     * Points r3's route to {@link #DETOUR_DESTINATION} at x1: from now on v3 reaches it through r3, x1, e1 instead
     * of r3, e0, a1, e1. Other vantage points and destinations are not affected.
     */
    public void takeDetour() {
        Netns r3 = firstRouters.get(2);
        r3.ip("route", "replace", DETOUR_DESTINATION + "/32", "via", addressOf(x1, r3));
        detour = true;
    }

    /** What a traceroute along {@code routers} (ending with the destination host) sees, TTL by TTL. */
    private LabPath responders(Netns vantage, List<Netns> hops, String destination) {
        List<String> answers = new ArrayList<>();
        Netns previous = vantage;
        for (int i = 0; i < hops.size(); i++) {
            Netns hop = hops.get(i);
            answers.add(i == hops.size() - 1 ? destination : addressOf(hop, previous));
            previous = hop;
        }
        return new LabPath(destination, answers);
    }

    /** The first router of {@code vantage}. */
    private Netns routerOf(Netns vantage) {
        int i = vantages.indexOf(vantage);
        if (i < 0) {
            throw new IllegalArgumentException(vantage + " is not a vantage point of this lab");
        }
        return firstRouters.get(i);
    }

    /** The address {@code side} has on the link that cables it to {@code peer}. */
    private String addressOf(Netns side, Netns peer) {
        VethLink link = lab.links().stream().filter(l -> l.connects(side, peer)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(side + " and " + peer + " are not cabled"));
        return StaticRoutes.addressOn(link, side);
    }
}
