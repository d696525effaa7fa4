package net.tracemesh.platform.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.tracemesh.platform.demo.DemoTopology.Cable;
import net.tracemesh.platform.demo.DemoTopology.Kind;
import net.tracemesh.platform.demo.DemoTopology.Node;
import net.tracemesh.platform.demo.DemoTopology.Route;

/**
 * Builds a {@link DemoTopology} out of network namespaces and veth pairs, and removes it again. Everything it makes
 * is named {@value DemoTopology#PREFIX}...: the namespaces, the management bridge and the host ends of the
 * management veths in the root namespace, and the comment of the one iptables rule it adds there (accepting what
 * comes in over the bridge, so a host firewall does not keep the agents from the broker). {@link #removeAll} deletes
 * all of it, whoever made it, so it also cleans up after a demo that was killed.
 */
final class DemoLab {
    /** ICMP rate limits off, so every probe gets its answer. */
    private static final Map<String, String> EXACT_ICMP = Map.of(
            "net.ipv4.icmp_ratelimit", "0",
            "net.ipv4.icmp_msgs_per_sec", "100000",
            "net.ipv4.icmp_msgs_burst", "100000");
    /** Address, protocol and both ports: the fields of {@code fib_multipath_hash_fields} for a per-flow hash. */
    private static final String FIVE_TUPLE = "0x0037";
    private static final List<String> INPUT_RULE = List.of("INPUT", "-i", DemoTopology.BRIDGE, "-m", "comment",
            "--comment", DemoTopology.PREFIX + "management", "-j", "ACCEPT");
    private static final Duration PROCESS_STOP = Duration.ofSeconds(20);

    private final DemoTopology topology;

    private DemoLab(DemoTopology topology) {
        this.topology = topology;
    }

    /** Builds the lab; if that fails halfway, removes what was made and rethrows. */
    static DemoLab build(DemoTopology topology) {
        DemoLab lab = new DemoLab(topology);
        try {
            lab.buildNamespaces();
            lab.buildManagement();
            return lab;
        } catch (RuntimeException e) {
            try {
                removeAll();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    DemoTopology topology() {
        return topology;
    }

    private void buildNamespaces() {
        boolean ipv6 = Files.isDirectory(Path.of("/proc/sys/net/ipv6"));
        for (Node n : topology.nodes()) {
            Shell.checked(List.of("ip", "netns", "add", n.namespace()));
            Map<String, String> sysctls = new LinkedHashMap<>(EXACT_ICMP);
            // The lab routes asymmetrically on purpose (replies come back another way): no reverse-path filter.
            sysctls.put("net.ipv4.conf.all.rp_filter", "0");
            sysctls.put("net.ipv4.conf.default.rp_filter", "0");
            if (ipv6) {
                // no router solicitations or duplicate address detection on the captures
                sysctls.put("net.ipv6.conf.all.disable_ipv6", "1");
                sysctls.put("net.ipv6.conf.default.disable_ipv6", "1");
            }
            if (n.kind() == Kind.ROUTER) {
                sysctls.put("net.ipv4.ip_forward", "1");
                sysctls.put("net.ipv4.icmp_errors_use_inbound_ifaddr", "1");
            }
            sysctl(n, sysctls);
        }
        Map<Node, List<String>> batches = new LinkedHashMap<>();
        topology.nodes().forEach(n -> batches.put(n, new ArrayList<>(List.of("link set lo up"))));
        for (Cable c : topology.cables()) {
            List<String> add = new ArrayList<>(List.of("ip", "-n", c.first().namespace(), "link", "add",
                    c.interfaceIn(c.first())));
            add.addAll(mtu(c));
            add.addAll(List.of("type", "veth", "peer", "name", c.interfaceIn(c.second()), "netns",
                    c.second().namespace()));
            add.addAll(mtu(c));
            Shell.checked(add);
            for (Node side : List.of(c.first(), c.second())) {
                batches.get(side).add("addr add " + c.addressOf(side) + "/24 dev " + c.interfaceIn(side));
                batches.get(side).add("link set " + c.interfaceIn(side) + " up");
            }
        }
        for (String destination : DemoTopology.DESTINATIONS) {
            batches.get(topology.destinationHost()).add("addr add " + destination + "/32 dev lo");
        }
        for (Route r : topology.routes()) {
            batches.get(r.node()).add(String.join(" ", r.ipArguments()));
        }
        batches.forEach((n, lines) -> Shell.run(List.of("ip", "-n", n.namespace(), "-batch", "-"),
                String.join("\n", lines) + "\n").requireSuccess());
        perFlowMultipathHash(topology.ecmpRouter());
        Shell.checked(Shell.in(topology.firewall().namespace(), List.of("iptables", "-w", "-A", "FORWARD",
                "-p", "udp", "-d", DemoTopology.FIREWALLED_DESTINATION, "-j", "DROP")));
    }

    private static List<String> mtu(Cable c) {
        return c.mtu() > 0 ? List.of("mtu", Integer.toString(c.mtu())) : List.of();
    }

    /**
     * The ECMP router picks a next hop by the packet's 5-tuple. Policy 1 alone can spread one flow over both branches
     * between namespaces (it reuses a hash the sender's socket put on the packet, and that hash is random), so the
     * custom policy 3 hashing the header fields is used where the kernel has it (5.15 and later). The seed is fixed
     * where the kernel has one, so a flow takes the same branch from run to run.
     */
    private static void perFlowMultipathHash(Node router) {
        Map<String, String> sysctls = new LinkedHashMap<>();
        if (readable(router, "net.ipv4.fib_multipath_hash_fields")) {
            sysctls.put("net.ipv4.fib_multipath_hash_policy", "3");
            sysctls.put("net.ipv4.fib_multipath_hash_fields", FIVE_TUPLE);
        } else {
            sysctls.put("net.ipv4.fib_multipath_hash_policy", "1");
        }
        if (readable(router, "net.ipv4.fib_multipath_hash_seed")) {
            sysctls.put("net.ipv4.fib_multipath_hash_seed", DemoTopology.MULTIPATH_HASH_SEED);
        }
        sysctl(router, sysctls);
    }

    private static boolean readable(Node n, String key) {
        return Shell.run(Shell.in(n.namespace(), List.of("sysctl", "-n", key))).succeeded();
    }

    private static void sysctl(Node n, Map<String, String> values) {
        List<String> command = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        values.forEach((k, v) -> command.add(k + "=" + v));
        Shell.checked(Shell.in(n.namespace(), command));
    }

    /** The bridge holding the broker's address, and one veth from it to each vantage point (interface mgmt). */
    private void buildManagement() {
        Shell.checked(List.of("ip", "link", "add", DemoTopology.BRIDGE, "type", "bridge"));
        Shell.checked(List.of("ip", "addr", "add", DemoTopology.HOST_ADDRESS + "/"
                + DemoTopology.MANAGEMENT_PREFIX_LENGTH, "dev", DemoTopology.BRIDGE));
        Shell.checked(List.of("ip", "link", "set", DemoTopology.BRIDGE, "up"));
        for (Node v : topology.vantages()) {
            Shell.checked(List.of("ip", "link", "add", v.hostInterface(), "type", "veth", "peer", "name", "mgmt",
                    "netns", v.namespace()));
            Shell.checked(List.of("ip", "link", "set", v.hostInterface(), "master", DemoTopology.BRIDGE, "up"));
            Shell.run(List.of("ip", "-n", v.namespace(), "-batch", "-"), "addr add " + v.managementAddress() + "/"
                    + DemoTopology.MANAGEMENT_PREFIX_LENGTH + " dev mgmt\nlink set mgmt up\n").requireSuccess();
        }
        if (Shell.onPath("iptables") && !Shell.run(iptables("-C")).succeeded()) {
            Shell.checked(iptables("-I"));
        }
    }

    private static List<String> iptables(String action) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", action));
        command.addAll(INPUT_RULE);
        return command;
    }

    /** Applies the route change ({@link DemoTopology#routeChange()}) and returns its description. */
    String changeRoute() {
        Route after = topology.routeChange().after();
        List<String> command = new ArrayList<>(List.of("ip", "-n", after.node().namespace()));
        command.addAll(after.ipArguments());
        Shell.checked(command);
        return topology.routeChange().description();
    }

    /** The names of the demo's namespaces that exist now. */
    static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : Shell.checked(List.of("ip", "netns", "list")).stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(DemoTopology.PREFIX)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Removes every trace of a demo lab: stops the processes running in its namespaces (SIGTERM, then SIGKILL after
     * {@link #PROCESS_STOP}), deletes the namespaces, the root namespace's {@value DemoTopology#PREFIX} interfaces and
     * the iptables rule. Returns what it removed, one line each; nothing when there was nothing.
     */
    static List<String> removeAll() {
        List<String> removed = new ArrayList<>();
        List<String> namespaces = namespaces();
        List<ProcessHandle> processes = new ArrayList<>();
        for (String ns : namespaces) {
            for (String pid : Shell.run(List.of("ip", "netns", "pids", ns)).stdout().split("\\s+")) {
                parsePid(pid).flatMap(ProcessHandle::of).ifPresent(processes::add);
            }
        }
        stop(processes, removed);
        for (String ns : namespaces) {
            Shell.Result result = Shell.run(List.of("ip", "netns", "del", ns));
            removed.add(result.succeeded() ? "namespace " + ns
                    : "namespace " + ns + " NOT deleted: " + result.stderr().strip());
        }
        for (String line : Shell.checked(List.of("ip", "-o", "link", "show")).stdout().split("\n")) {
            String[] fields = line.split(":\\s*", 3);
            if (fields.length >= 2) {
                String name = fields[1].split("@")[0].strip();
                if (name.startsWith(DemoTopology.PREFIX)
                        && Shell.run(List.of("ip", "link", "del", name)).succeeded()) {
                    removed.add("interface " + name);
                }
            }
        }
        if (Shell.onPath("iptables")) {
            while (Shell.run(iptables("-C")).succeeded() && Shell.run(iptables("-D")).succeeded()) {
                removed.add("iptables rule " + String.join(" ", INPUT_RULE));
            }
        }
        return removed;
    }

    /** Asks {@code processes} to stop, then kills those still running after {@link #PROCESS_STOP}. */
    static void stop(List<ProcessHandle> processes, List<String> report) {
        for (ProcessHandle p : processes) {
            if (p.isAlive() && p.destroy()) {
                report.add("process " + p.pid() + " (" + p.info().command().orElse("?") + ")");
            }
        }
        long deadline = System.nanoTime() + PROCESS_STOP.toNanos();
        for (ProcessHandle p : processes) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                p.destroyForcibly();
                report.add("process " + p.pid() + " killed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            } catch (ExecutionException e) {
                // ended anyway
            }
        }
    }

    private static Optional<Long> parsePid(String text) {
        try {
            return text.isBlank() ? Optional.empty() : Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
