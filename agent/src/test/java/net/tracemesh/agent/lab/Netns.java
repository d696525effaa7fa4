package net.tracemesh.agent.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One network namespace made by a {@link NetnsLab}. Every configuration method runs its command at once and
 * throws {@link LabCommandException} (with the command's stderr) when it fails; they return {@code this} so
 * a router's setup reads as one chain.
 */
public final class Netns {
    private final String name;
    private final String role;
    /** interface address in CIDR form (e.g. 198.18.0.1/24) to interface name, in the order they were added. */
    private final Map<String, String> addresses = new LinkedHashMap<>();

    Netns(String name, String role) {
        this.name = name;
        this.role = role;
    }

    /** The namespace name as {@code ip netns} knows it (prefix, run id and role). */
    public String name() {
        return name;
    }

    /** The short role the lab gave it, e.g. {@code r1} or {@code vp}. */
    public String role() {
        return role;
    }

    /** Runs {@code ip -n <name> <args...>}. */
    public Netns ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(Arrays.asList(args));
        Commands.runChecked(command);
        return this;
    }

    /** Runs several {@code ip} commands (one per line, without the leading {@code ip}) in one process. */
    public Netns ipBatch(List<String> lines) {
        if (lines.isEmpty()) {
            return this;
        }
        Commands.run(List.of("ip", "-n", name, "-batch", "-"), String.join("\n", lines) + "\n",
                Commands.DEFAULT_TIMEOUT).requireSuccess();
        return this;
    }

    public Netns up(String ifname) {
        return ip("link", "set", "dev", ifname, "up");
    }

    public Netns mtu(String ifname, int mtu) {
        return ip("link", "set", "dev", ifname, "mtu", Integer.toString(mtu));
    }

    /** Adds {@code cidr} (e.g. {@code 198.18.0.1/24}) to {@code ifname}. */
    public Netns address(String ifname, String cidr) {
        ip("addr", "add", cidr, "dev", ifname);
        synchronized (addresses) {
            addresses.put(cidr, ifname);
        }
        return this;
    }

    /** {@code ip route add <destination> via <gateway>}; {@code destination} may be {@code default}. */
    public Netns route(String destination, String gateway) {
        return ip("route", "add", destination, "via", gateway);
    }

    /** {@code ip route replace <destination> nexthop via <g1> nexthop via <g2> ...}: a Linux multipath route. */
    public Netns multipathRoute(String destination, String... gateways) {
        if (gateways.length < 2) {
            throw new IllegalArgumentException("a multipath route needs at least two gateways");
        }
        List<String> args = new ArrayList<>(List.of("route", "replace", destination));
        for (String gateway : gateways) {
            args.addAll(List.of("nexthop", "via", gateway));
        }
        return ip(args.toArray(String[]::new));
    }

    /** {@code ip route add <type> <destination>}: a route that answers with an ICMP error or drops. */
    public Netns typedRoute(RouteType type, String destination) {
        return ip("route", "add", type.keyword(), destination);
    }

    /** Sets one sysctl inside this namespace, e.g. {@code net.ipv4.ip_forward=1}. */
    public Netns sysctl(String key, String value) {
        return sysctls(Map.of(key, value));
    }

    /** Sets several sysctls inside this namespace with one {@code sysctl -w}. */
    public Netns sysctls(Map<String, String> values) {
        List<String> command = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        values.forEach((key, value) -> command.add(key + "=" + value));
        execChecked(command);
        return this;
    }

    /** Reads one sysctl inside this namespace. */
    public String readSysctl(String key) {
        return execChecked(List.of("sysctl", "-n", key)).stdout().strip();
    }

    public Netns forwarding(boolean on) {
        return sysctl("net.ipv4.ip_forward", on ? "1" : "0");
    }

    /** Runs {@code iptables -w <args...>} inside this namespace, e.g. {@code iptables("-A", "FORWARD", ...)}. */
    public Netns iptables(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w"));
        command.addAll(Arrays.asList(args));
        execChecked(command);
        return this;
    }

    /** Runs a command inside this namespace and returns whatever happened, success or not. */
    public CommandResult exec(String... command) {
        return exec(Arrays.asList(command), Commands.DEFAULT_TIMEOUT);
    }

    public CommandResult exec(List<String> command, Duration timeout) {
        return Commands.run(wrap(command), null, timeout);
    }

    /** Runs a command inside this namespace; {@code beforeKill} sees it first if it outlives {@code timeout}. */
    public CommandResult exec(List<String> command, Duration timeout, Consumer<Process> beforeKill) {
        return Commands.run(wrap(command), null, timeout, beforeKill);
    }

    public CommandResult execChecked(List<String> command) {
        return Commands.run(wrap(command), null, Commands.DEFAULT_TIMEOUT).requireSuccess();
    }

    /** {@code command} prefixed with {@code ip netns exec <name>}, for callers that run it themselves. */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", name));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Addresses added through {@link #address}, CIDR form to interface name. */
    public Map<String, String> addresses() {
        synchronized (addresses) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
        }
    }

    /** True when one of this namespace's interface addresses is {@code address} (plain dotted form). */
    public boolean owns(String address) {
        return addresses().keySet().stream().anyMatch(cidr -> cidr.substring(0, cidr.indexOf('/')).equals(address));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Netns n && n.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
