package net.tracemesh.agent.lab;

import java.util.List;
import java.util.Map;

/**
 * A lab with two vantage points whose paths to one destination converge, plus a management network so agents in
 * the vantage namespaces reach a Kafka broker running in this (root) namespace:
 *
 * <pre>
 *  vpa 198.18.200.2 ── .200.1 ra .202.1 ── .202.2 ┐
 *                                                  rc .204.1 ── .204.2 dst   (dst also answers for 198.18.205.0/24)
 *  vpb 198.18.201.2 ── .201.1 rb .203.1 ── .203.2 ┘
 *
 *  management: bridge in the root namespace, 198.19.255.1/24 ── vpa 198.19.255.11, vpb 198.19.255.12 (interface mgmt)
 * </pre>
 *
 * Every router answers from the interface facing the vantage point; ICMP rate limits are off so results are exact.
 * The management bridge carries only Kafka traffic: the vantage points route 198.18.0.0/15 and nothing else through
 * their first router, and probes never touch the bridge. Closing deletes the namespaces and the bridge.
 */
public final class MultiVantageLab implements AutoCloseable {
    public static final String BROKER_HOST = "198.19.255.1";
    public static final String DESTINATION = "198.18.204.2";
    /** Addresses the destination answers for: targets for bulk rounds. */
    public static final String BULK_PREFIX = "198.18.205.0/24";
    public static final String VANTAGE_A = "198.18.200.2";
    public static final String VANTAGE_B = "198.18.201.2";

    private static final Map<String, String> EXACT_ICMP = Map.of(
            "net.ipv4.icmp_ratelimit", "0",
            "net.ipv4.icmp_msgs_per_sec", "100000",
            "net.ipv4.icmp_msgs_burst", "100000");

    private static final String BRIDGE_PREFIX = "tmbr";

    private final NetnsLab lab;
    private final String bridge;
    private final Thread cleanup = new Thread(this::deleteBridge, "pipeline-lab-bridge-cleanup");
    private Netns vpa;
    private Netns vpb;

    private MultiVantageLab(NetnsLab lab) {
        this.lab = lab;
        this.bridge = BRIDGE_PREFIX + ProcessHandle.current().pid();
    }

    /** Builds the lab; the caller closes it. */
    public static MultiVantageLab start() {
        removeStaleBridges();
        MultiVantageLab m = new MultiVantageLab(NetnsLab.create("tmpipe-"));
        Runtime.getRuntime().addShutdownHook(m.cleanup);
        try {
            m.build();
            return m;
        } catch (RuntimeException | Error e) {
            try {
                m.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void build() {
        vpa = node("vpa", false);
        vpb = node("vpb", false);
        Netns ra = node("ra", true);
        Netns rb = node("rb", true);
        Netns rc = node("rc", true);
        Netns dst = node("dst", false);
        cable(ra, vpa, 200);
        cable(rb, vpb, 201);
        cable(ra, rc, 202);
        cable(rb, rc, 203);
        cable(rc, dst, 204);
        StaticRoutes.install(lab, "198.18.0.0/15");
        dst.ip("route", "add", "local", BULK_PREFIX, "dev", "lo");
        ra.ip("route", "add", BULK_PREFIX, "via", "198.18.202.2");
        rb.ip("route", "add", BULK_PREFIX, "via", "198.18.203.2");
        rc.ip("route", "add", BULK_PREFIX, "via", "198.18.204.2");
        // Management network: a bridge here, one veth per vantage point.
        Commands.runChecked(List.of("ip", "link", "add", bridge, "type", "bridge"));
        Commands.runChecked(List.of("ip", "addr", "add", BROKER_HOST + "/24", "dev", bridge));
        Commands.runChecked(List.of("ip", "link", "set", bridge, "up"));
        manage(vpa, "a", "198.19.255.11/24");
        manage(vpb, "b", "198.19.255.12/24");
    }

    private void manage(Netns vantage, String suffix, String cidr) {
        String rootEnd = bridge + suffix;
        Commands.runChecked(List.of("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", "mgmt", "netns",
                vantage.name()));
        Commands.runChecked(List.of("ip", "link", "set", rootEnd, "master", bridge));
        Commands.runChecked(List.of("ip", "link", "set", rootEnd, "up"));
        vantage.address("mgmt", cidr);
        vantage.up("mgmt");
    }

    private Netns node(String role, boolean router) {
        Netns n = lab.addNamespace(role);
        n.sysctls(EXACT_ICMP);
        if (router) {
            n.forwarding(true);
        }
        return n;
    }

    /** {@code upper} gets 198.18.{third}.1/24, {@code lower} .2. */
    private void cable(Netns upper, Netns lower, int third) {
        String upperIf = "to-" + lower.role();
        String lowerIf = "to-" + upper.role();
        lab.link(upper, upperIf, lower, lowerIf, 0);
        upper.address(upperIf, "198.18." + third + ".1/24");
        lower.address(lowerIf, "198.18." + third + ".2/24");
    }

    public Netns vantageA() {
        return vpa;
    }

    public Netns vantageB() {
        return vpb;
    }

    public Netns role(String role) {
        return lab.namespaces().stream().filter(n -> n.role().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no namespace with role " + role));
    }

    /** The addresses of the path from vantage A to {@link #DESTINATION}, by TTL from 1. */
    public List<String> pathA() {
        return List.of("198.18.200.1", "198.18.202.2", DESTINATION);
    }

    /** The addresses of the path from vantage B to {@link #DESTINATION}, by TTL from 1. */
    public List<String> pathB() {
        return List.of("198.18.201.1", "198.18.203.2", DESTINATION);
    }

    @Override
    public void close() {
        try {
            lab.close();
        } finally {
            deleteBridge();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is what runs
            }
        }
    }

    private void deleteBridge() {
        Commands.run(List.of("ip", "link", "del", bridge));
    }

    /** Deletes bridges left by test processes that died before closing their lab (they hold our address). */
    private static void removeStaleBridges() {
        CommandResult links = Commands.run(List.of("ip", "-o", "link", "show", "type", "bridge"));
        for (String line : links.stdout().split("\n")) {
            String[] fields = line.split(":\\s+|:\\s*|@");
            if (fields.length < 2 || !fields[1].trim().startsWith(BRIDGE_PREFIX)) {
                continue;
            }
            String name = fields[1].trim();
            try {
                long pid = Long.parseLong(name.substring(BRIDGE_PREFIX.length()));
                if (ProcessHandle.of(pid).isEmpty()) {
                    Commands.run(List.of("ip", "link", "del", name));
                }
            } catch (NumberFormatException e) {
                // not one of ours
            }
        }
    }
}
