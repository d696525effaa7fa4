package net.tracemesh.agent.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one lab the scenario tests share: a vantage namespace behind a gateway router that fans out into seven
 * small networks, one per scenario, all inside 198.18.0.0/15. Every router (namespace {@code <prefix>...-<role>})
 * answers from the address of its interface that faces the vantage point, except where noted.
 *
 * <pre>
 *  vp 198.18.0.2 ──── 198.18.0.1 r1 (gateway; routes every scenario; fans out below)
 *
 *  a chain      r1 .16.1─.16.2 ca1 .17.1─.17.2 ca2 .18.1─.18.2 ca3 .19.1─.19.2 ha          dst 198.18.19.2
 *
 *  b ECMP                                 ┌ .33.2 a1 .34.1─.34.2 a2 .35.1─.35.2 ┐
 *               r1 .32.1─.32.2 e0 ───────┤   (multipath 198.18.39.0/24,       ├ e1 .39.1─ hb .39.2-.39.17
 *                                         └ .36.2 b1 .37.1─.37.2 b2 .38.1─.38.2 ┘
 *               e0: per-flow 5-tuple hash (fib_multipath_hash_policy=3, fields 0x37, see LabWiring.perFlowMultipathHash),
 *               fixed hash seed; e1 answers from the interface the probe came in on
 *               (icmp_errors_use_inbound_ifaddr=1) and returns everything via a2.
 *
 *  c firewall   r1 .48.1─.48.2 fw .49.1─.49.2 c2 .50.1─.50.2 hc                          dst 198.18.50.2
 *               fw: iptables -A FORWARD -p udp -j DROP
 *
 *  d MTU        r1 .64.1─.64.2 m1 .65.1═.65.2 m2 .66.1─.66.2 hd                          dst 198.18.66.2
 *               ═ : both veth ends mtu 600
 *
 *  e route      r1 .80.1─.80.2 u1   u1: unreachable 198.18.81.1, prohibit 198.18.81.2, blackhole 198.18.81.3
 *    types                            (and unreachable 198.18.81.0/24 for the rest)
 *
 *  f silent     r1 .96.1─.96.2 s1 .97.1─.97.2 s2 .98.1─.98.2 s3 .99.1─.99.2 hf          dst 198.18.99.2
 *               s2: iptables -A OUTPUT -p icmp --icmp-type time-exceeded -j DROP
 *
 *  g rate       r1 .112.1─.112.2 g1 .113.1─.113.2 g2 .114.1─.114.2 g3 .115.1─.115.2 hg   dst 198.18.115.2
 *    limited    g1, g2, g3, hg keep Linux's ICMP rate limits (icmp_ratelimit=1000, icmp_msgs_per_sec=1000)
 * </pre>
 *
 * (".16.1" is short for 198.18.16.1; every link is a /24 with the upstream end at .1 and the downstream end at .2.)
 *
 * <p>Everywhere except path g, {@code icmp_ratelimit=0} and {@code icmp_msgs_per_sec} / {@code icmp_msgs_burst}
 * are high, so every probe gets its answer and results are exact. One limiter cannot be switched off inside a
 * namespace: the errors sent for unreachable/prohibit routes (scenario e) go through the kernel's route-error
 * limiter ({@code net.ipv4.route.error_cost}/{@code error_burst}, global only): a burst of 5 answers per source,
 * then one per second. Scenario e tests therefore send few probes.
 *
 * <p>Reverse-path filtering is off in every namespace (ECMP replies come back asymmetrically through a2), IPv6 is
 * off, the vantage point has {@code 198.18.0.0/15} and {@code default} via r1. Nothing is cabled to the root
 * namespace: a packet can never leave the lab.
 *
 * <p>The ground truth accessors below were checked with {@code traceroute -n} (-U, -I, -T), {@code tracepath} and
 * {@code ping -M do} run in the vantage namespace; {@code LabGroundTruthTest} re-checks them.
 */
public final class ScenarioLab implements AutoCloseable {
    public static final String VANTAGE_ADDRESS = "198.18.0.2";
    public static final String GATEWAY_ADDRESS = "198.18.0.1";
    public static final int SMALL_MTU = 600;
    /** How many addresses the ECMP destination host answers on (198.18.39.2 up to 198.18.39.17). */
    public static final int ECMP_DESTINATION_COUNT = 16;
    /** Seed of e0's multipath hash, fixed so a flow takes the same branch from run to run on one kernel. */
    private static final String MULTIPATH_HASH_SEED = "20260214";

    private static final Map<String, String> DEFAULT_ICMP = Map.of(
            "net.ipv4.icmp_ratelimit", "1000",
            "net.ipv4.icmp_ratemask", "6168",
            "net.ipv4.icmp_msgs_per_sec", "1000",
            "net.ipv4.icmp_msgs_burst", "50");

    private final NetnsLab lab;
    private final Netns vantage;
    private final Map<String, Netns> byRole = new LinkedHashMap<>();

    private ScenarioLab(NetnsLab lab) {
        this.lab = lab;
        this.vantage = host("vp", true);
    }

    /** Builds the whole lab (about 30 namespaces, a few seconds). Close it to delete everything. */
    public static ScenarioLab start() {
        NetnsLab lab = NetnsLab.create();
        return LabWiring.buildOrClose(() -> {
            ScenarioLab scenarios = new ScenarioLab(lab);
            scenarios.build();
            return scenarios;
        }, lab::close);
    }

    private void build() {
        Netns r1 = router("r1", true);
        cable(r1, vantage, 0, 0);

        // a: chain
        chain(r1, 16, "ca1", "ca2", "ca3", "ha");

        // b: ECMP diamond
        Netns e0 = router("e0", true);
        Netns a1 = router("a1", true);
        Netns a2 = router("a2", true);
        Netns b1 = router("b1", true);
        Netns b2 = router("b2", true);
        Netns e1 = router("e1", true);
        Netns hb = host("hb", true);
        cable(r1, e0, 32, 0);
        cable(e0, a1, 33, 0);
        cable(a1, a2, 34, 0);
        cable(a2, e1, 35, 0);
        cable(e0, b1, 36, 0);
        cable(b1, b2, 37, 0);
        cable(b2, e1, 38, 0);
        cable(e1, hb, 39, 0);
        for (int i = 1; i < ECMP_DESTINATION_COUNT; i++) {
            hb.address("to-e1", "198.18.39." + (2 + i) + "/24");
        }
        LabWiring.perFlowMultipathHash(e0, MULTIPATH_HASH_SEED);
        e1.sysctl("net.ipv4.icmp_errors_use_inbound_ifaddr", "1");

        // c: firewall
        chain(r1, 48, "fw", "c2", "hc");
        role("fw").iptables("-A", "FORWARD", "-p", "udp", "-j", "DROP");

        // d: MTU 600 between m1 and m2
        Netns m1 = router("m1", true);
        Netns m2 = router("m2", true);
        Netns hd = host("hd", true);
        cable(r1, m1, 64, 0);
        cable(m1, m2, 65, SMALL_MTU);
        cable(m2, hd, 66, 0);

        // e: route types on u1
        Netns u1 = router("u1", true);
        cable(r1, u1, 80, 0);

        // f: silent router s2
        chain(r1, 96, "s1", "s2", "s3", "hf");
        role("s2").iptables("-A", "OUTPUT", "-p", "icmp", "--icmp-type", "time-exceeded", "-j", "DROP");

        // g: default ICMP rate limiting on g1, g2, g3 and hg
        Netns g1 = router("g1", false);
        Netns g2 = router("g2", false);
        Netns g3 = router("g3", false);
        Netns hg = host("hg", false);
        cable(r1, g1, 112, 0);
        cable(g1, g2, 113, 0);
        cable(g2, g3, 114, 0);
        cable(g3, hg, 115, 0);

        StaticRoutes.install(lab, "198.18.0.0/15");
        vantage.route("default", GATEWAY_ADDRESS);
        e0.multipathRoute("198.18.39.0/24", "198.18.33.2", "198.18.36.2");
        r1.route("198.18.81.0/24", "198.18.80.2");
        u1.typedRoute(RouteType.UNREACHABLE, "198.18.81.0/24");
        u1.typedRoute(RouteType.UNREACHABLE, hostUnreachable().destination() + "/32");
        u1.typedRoute(RouteType.PROHIBIT, prohibited().destination() + "/32");
        u1.typedRoute(RouteType.BLACKHOLE, blackholed().destination() + "/32");
    }

    /** A chain below {@code top}: link {@code base} is top–first, then base+1, ...; the last role is a host. */
    private void chain(Netns top, int base, String... roles) {
        Netns upper = top;
        for (int i = 0; i < roles.length; i++) {
            boolean last = i == roles.length - 1;
            Netns next = last ? host(roles[i], true) : router(roles[i], true);
            cable(upper, next, base + i, 0);
            upper = next;
        }
    }

    private Netns router(String role, boolean exactIcmp) {
        Netns router = host(role, exactIcmp);
        router.forwarding(true);
        return router;
    }

    private Netns host(String role, boolean exactIcmp) {
        Netns netns = lab.addNamespace(role);
        netns.sysctls(exactIcmp ? LabWiring.EXACT_ICMP : DEFAULT_ICMP);
        byRole.put(role, netns);
        return netns;
    }

    /** Cables {@code upper} (198.18.{third}.1) to {@code lower} (198.18.{third}.2) with a /24. */
    private void cable(Netns upper, Netns lower, int third, int mtu) {
        LabWiring.cable(lab, upper, lower, third, mtu);
    }

    // ---------------------------------------------------------------- the lab itself

    /** The namespace the agent runs in. */
    public Netns vantage() {
        return vantage;
    }

    /** A namespace by its role (see the diagram), e.g. {@code role("fw")}. */
    public Netns role(String role) {
        Netns netns = byRole.get(role);
        if (netns == null) {
            throw new IllegalArgumentException("no namespace with role " + role);
        }
        return netns;
    }

    public NetnsLab lab() {
        return lab;
    }

    /** Role of the namespace owning interface address {@code address}, if it is a lab address. */
    public Optional<String> roleOf(String address) {
        return lab.owner(address).map(Netns::role);
    }

    /**
     * True when {@code from} and {@code to} are addresses of two namespaces cabled directly together: a link a
     * traceroute may legitimately infer from consecutive hops.
     */
    public boolean isRealLink(String from, String to) {
        Optional<Netns> a = lab.owner(from);
        Optional<Netns> b = lab.owner(to);
        return a.isPresent() && b.isPresent() && lab.adjacent(a.get(), b.get());
    }

    /** Runs a command in the vantage namespace. */
    public CommandResult execInVantage(Duration timeout, String... command) {
        return vantage.exec(List.of(command), timeout);
    }

    /**
     * Forgets path MTUs the vantage kernel learnt from earlier frag-needed messages, so that a kernel-based tool
     * (ping -M do) sees the router's frag-needed again instead of a local "message too long".
     */
    public void flushVantageRouteCache() {
        vantage.ip("route", "flush", "cache");
    }

    // ---------------------------------------------------------------- ground truth, scenario by scenario

    /** a: every router answers; the destination answers UDP with port unreachable, ICMP with echo reply, TCP with RST. */
    public LabPath chain() {
        return new LabPath("198.18.19.2", List.of(GATEWAY_ADDRESS, "198.18.16.2", "198.18.17.2", "198.18.18.2",
                "198.18.19.2"));
    }

    /** a: {@link #chain()}'s responders by TTL, the destination last. */
    public List<String> chainHops() {
        return chain().responders();
    }

    /** b: the sixteen destination addresses behind the diamond (all on host hb, at TTL 6). */
    public List<String> ecmpDestinations() {
        List<String> destinations = new ArrayList<>();
        for (int i = 0; i < ECMP_DESTINATION_COUNT; i++) {
            destinations.add("198.18.39." + (2 + i));
        }
        return destinations;
    }

    /** b: responders at TTL 1 and 2, before the split: r1, e0. */
    public List<String> ecmpCommonHops() {
        return List.of(GATEWAY_ADDRESS, "198.18.32.2");
    }

    /** b: TTL of the first router after the split (a1 or b1). */
    public int ecmpFirstBranchTtl() {
        return 3;
    }

    /**
     * b: the two branches as the responders at TTLs 3, 4 and 5 (a1, a2, e1 seen from a2 / b1, b2, e1 seen from b2).
     * A flow takes exactly one of them; the destination then answers at TTL 6.
     */
    public List<List<String>> ecmpBranches() {
        return List.of(
                List.of("198.18.33.2", "198.18.34.2", "198.18.35.2"),
                List.of("198.18.36.2", "198.18.37.2", "198.18.38.2"));
    }

    /** b: the full path to {@code destination} through branch {@code branch} (0 or 1). */
    public LabPath ecmpPath(String destination, int branch) {
        List<String> hops = new ArrayList<>(ecmpCommonHops());
        hops.addAll(ecmpBranches().get(branch));
        hops.add(destination);
        return new LabPath(destination, hops);
    }

    /** c: path to the destination behind the firewall, as icmp-paris and tcp see it. */
    public LabPath firewall() {
        return new LabPath("198.18.50.2", List.of(GATEWAY_ADDRESS, "198.18.48.2", "198.18.49.2", "198.18.50.2"));
    }

    /** c: the firewall (TTL 2). It still answers UDP probes that expire on it; nothing UDP gets past it. */
    public String firewallRouter() {
        return "198.18.48.2";
    }

    /** c: what UDP probes see: r1, the firewall, then silence. */
    public LabPath firewallForUdp() {
        return new LabPath("198.18.50.2", List.of(GATEWAY_ADDRESS, firewallRouter()));
    }

    /** d: path to the destination behind the 600-byte link, with small probes. */
    public LabPath mtu() {
        return new LabPath("198.18.66.2", List.of(GATEWAY_ADDRESS, "198.18.64.2", "198.18.65.2", "198.18.66.2"));
    }

    /**
     * d: the router in front of the 600-byte link (m1, TTL 2). It sends frag-needed with next-hop MTU 600 for a
     * DF packet longer than 600 bytes that it has to forward, i.e. for probes sent with TTL 3 or more.
     */
    public String mtuRouter() {
        return "198.18.64.2";
    }

    public int mtuRouterTtl() {
        return 2;
    }

    private static long lastRouteErrorUse;

    /**
     * e: waits until the route-error limiter of u1 (burst 5, one more per second, per source; cannot be switched
     * off inside a namespace) has had at least {@code 1.2 s} to refill since the previous caller, so tests that each
     * send a probe or two at u1 never find it empty.
     */
    public static void paceRouteErrors() {
        synchronized (ScenarioLab.class) {
            long wait = lastRouteErrorUse + 1200 - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            lastRouteErrorUse = System.currentTimeMillis();
        }
    }

    /** e: the router holding the three route types (TTL 2). */
    public String routeTypeRouter() {
        return "198.18.80.2";
    }

    /** e: unreachable route: r1 at TTL 1, then u1 answers host unreachable (3/1, !H) at TTL 2. */
    public LabPath hostUnreachable() {
        return new LabPath("198.18.81.1", List.of(GATEWAY_ADDRESS, routeTypeRouter()));
    }

    /** e: prohibit route: r1 at TTL 1, then u1 answers admin prohibited (3/13, !X) at TTL 2. */
    public LabPath prohibited() {
        return new LabPath("198.18.81.2", List.of(GATEWAY_ADDRESS, routeTypeRouter()));
    }

    /** e: blackhole route: r1 at TTL 1, then nothing at all. */
    public LabPath blackholed() {
        return new LabPath("198.18.81.3", List.of(GATEWAY_ADDRESS));
    }

    /** f: path with the silent router s2 at TTL 3 (null), continuing to the destination at TTL 5. */
    public LabPath silent() {
        List<String> hops = new ArrayList<>();
        hops.add(GATEWAY_ADDRESS);
        hops.add("198.18.96.2");
        hops.add(null);
        hops.add("198.18.98.2");
        hops.add("198.18.99.2");
        return new LabPath("198.18.99.2", hops);
    }

    /** f: TTL at which s2 stays silent. */
    public int silentTtl() {
        return 3;
    }

    /** f: the address s2 would answer from if it answered. */
    public String silentRouterAddress() {
        return "198.18.97.2";
    }

    /** g: path through routers with Linux's default ICMP rate limits (g1, g2, g3; hg limits its port unreachables). */
    public LabPath rateLimited() {
        return new LabPath("198.18.115.2", List.of(GATEWAY_ADDRESS, "198.18.112.2", "198.18.113.2",
                "198.18.114.2", "198.18.115.2"));
    }

    /**
     * g: empties the rate limiters of g1, g2, g3 and hg toward the vantage point (each allows a burst of 6 errors,
     * then one per second), so that the next trace finds them depleted and only retries can fill its hops. Sends
     * 12 time-expiring pings to each router and 12 UDP datagrams to a closed port of the destination.
     */
    public void drainRateLimiters() {
        LabPath path = rateLimited();
        for (int ttl = 2; ttl < path.lastTtl(); ttl++) {
            vantage.exec(List.of("ping", "-n", "-q", "-c", "12", "-i", "0.002", "-W", "0.2", "-t",
                    Integer.toString(ttl), path.destination()), Duration.ofSeconds(10));
        }
        vantage.exec(List.of("bash", "-c", "for i in $(seq 12); do echo x > /dev/udp/" + path.destination()
                + "/33434; done"), Duration.ofSeconds(10));
    }

    /** Deletes every namespace of the lab. */
    @Override
    public void close() {
        lab.close();
    }

    /** True when {@code tool} is on the PATH, for checks that rely on iputils or traceroute. */
    public static boolean hasTool(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
