package net.tracemesh.agent.lab;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Building blocks the lab topologies share ({@link ScenarioLab}, {@link MultiVantageLab}, {@link EcmpMeshLab}):
 * namespaces with exact ICMP answers, /24 cables addressed {@code 198.18.<third>.1} / {@code .2}, per-flow
 * multipath hashing, and building a lab so that a failure halfway deletes what was made.
 */
final class LabWiring {
    /** ICMP rate limits off, so every probe gets its answer and results are exact. */
    static final Map<String, String> EXACT_ICMP = Map.of(
            "net.ipv4.icmp_ratelimit", "0",
            "net.ipv4.icmp_msgs_per_sec", "100000",
            "net.ipv4.icmp_msgs_burst", "100000");
    /** The 5-tuple fields of {@code fib_multipath_hash_fields}: addresses, protocol and both ports. */
    private static final String FIVE_TUPLE_FIELDS = "0x0037";

    private LabWiring() {
    }

    /**
     * Runs {@code build} and returns what it made; if it fails, runs {@code close} (its own failure is added to the
     * first as suppressed) and rethrows.
     */
    static <T> T buildOrClose(Supplier<T> build, Runnable close) {
        try {
            return build.get();
        } catch (RuntimeException | Error e) {
            try {
                close.run();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** A new namespace of {@code lab} with {@link #EXACT_ICMP}, forwarding when it is a {@code router}. */
    static Netns exactNode(NetnsLab lab, String role, boolean router) {
        Netns n = lab.addNamespace(role);
        n.sysctls(EXACT_ICMP);
        if (router) {
            n.forwarding(true);
        }
        return n;
    }

    /**
     * Cables {@code upper} (interface {@code to-<lower role>}, 198.18.{third}.1/24) to {@code lower} (interface
     * {@code to-<upper role>}, 198.18.{third}.2/24); {@code mtu > 0} sets it on both ends.
     */
    static void cable(NetnsLab lab, Netns upper, Netns lower, int third, int mtu) {
        String upperIf = "to-" + lower.role();
        String lowerIf = "to-" + upper.role();
        lab.link(upper, upperIf, lower, lowerIf, mtu);
        upper.address(upperIf, "198.18." + third + ".1/24");
        lower.address(lowerIf, "198.18." + third + ".2/24");
    }

    /**
     * Makes {@code router} pick a multipath nexthop from the packet's 5-tuple (source, destination, protocol, ports),
     * like a per-flow load balancer. {@code fib_multipath_hash_policy=1} alone is not enough between namespaces:
     * a veth hands the sender's {@code skb->hash} across, policy 1 reuses any L4 hash already on the packet, and a
     * socket's hash is random (per socket, and re-drawn), so identical 5-tuples sent by {@code traceroute --sport}
     * were seen on both branches. The custom policy 3 with the 5-tuple fields always hashes the headers. Kernels
     * older than 5.15 (no policy 3) fall back to policy 1. The hash {@code seed} is fixed where the kernel has one,
     * so the branch a flow takes is the same from run to run.
     */
    static void perFlowMultipathHash(Netns router, String seed) {
        if (router.exec("sysctl", "-n", "net.ipv4.fib_multipath_hash_fields").succeeded()) {
            router.sysctls(Map.of(
                    "net.ipv4.fib_multipath_hash_policy", "3",
                    "net.ipv4.fib_multipath_hash_fields", FIVE_TUPLE_FIELDS));
        } else {
            router.sysctl("net.ipv4.fib_multipath_hash_policy", "1");
        }
        if (router.exec("sysctl", "-n", "net.ipv4.fib_multipath_hash_seed").succeeded()) {
            router.sysctl("net.ipv4.fib_multipath_hash_seed", seed);
        }
    }
}
