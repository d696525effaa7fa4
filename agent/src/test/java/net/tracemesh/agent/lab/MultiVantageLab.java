package net.tracemesh.agent.lab;

import java.util.List;

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
public final class MultiVantageLab extends BridgedLab {
    public static final String BROKER_HOST = "198.19.255.1";
    public static final String DESTINATION = "198.18.204.2";
    /** Addresses the destination answers for: targets for bulk rounds. */
    public static final String BULK_PREFIX = "198.18.205.0/24";
    public static final String VANTAGE_A = "198.18.200.2";
    public static final String VANTAGE_B = "198.18.201.2";

    private static final String BRIDGE_PREFIX = "tmbr";

    private Netns vpa;
    private Netns vpb;

    private MultiVantageLab() {
        super("tmpipe-", BRIDGE_PREFIX, BROKER_HOST);
    }

    /** Builds the lab; the caller closes it. */
    public static MultiVantageLab start() {
        return new MultiVantageLab().buildAll(MultiVantageLab.class);
    }

    @Override
    void build() {
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
    }

    /** Management network: a bridge here, one veth per vantage point. */
    @Override
    void attachVantages(ManagementBridge bridge) {
        bridge.attach(vpa, "a", "198.19.255.11/24");
        bridge.attach(vpb, "b", "198.19.255.12/24");
    }

    private Netns node(String role, boolean router) {
        return LabWiring.exactNode(lab, role, router);
    }

    /** {@code upper} gets 198.18.{third}.1/24, {@code lower} .2. */
    private void cable(Netns upper, Netns lower, int third) {
        LabWiring.cable(lab, upper, lower, third, 0);
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
}
