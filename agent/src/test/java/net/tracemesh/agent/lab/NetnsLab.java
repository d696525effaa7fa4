package net.tracemesh.agent.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small builder over {@code ip}, {@code sysctl} and {@code iptables} for test networks made of Linux network
 * namespaces cabled with veth pairs. Everything it makes lives in namespaces it created; it never touches the
 * root namespace's addresses, routes or firewall.
 *
 * <p>Namespace names are {@code <prefix><pid>-<lab>-<role>} (e.g. {@code tmlab-4242-1-r1}), so two labs never
 * collide and {@link #create(String)} can recognise, and delete, namespaces left behind by a test JVM that died
 * before closing its lab. {@link #close()} deletes every namespace this lab made, which also destroys their
 * veths, addresses, routes and iptables rules.
 *
 * <pre>{@code
 * try (NetnsLab lab = NetnsLab.create()) {
 *     Netns a = lab.addNamespace("a");
 *     Netns b = lab.addNamespace("b");
 *     lab.link(a, "to-b", b, "to-a");
 *     a.address("to-b", "198.18.0.1/24");
 *     b.address("to-a", "198.18.0.2/24");
 *     a.exec("ping", "-c", "1", "198.18.0.2").requireSuccess();
 * }
 * }</pre>
 */
public final class NetnsLab implements AutoCloseable {
    public static final String DEFAULT_PREFIX = "tmlab-";

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,24}");
    private static final Pattern ROLE = Pattern.compile("[a-z0-9]{1,12}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final AtomicInteger LAB_SEQUENCE = new AtomicInteger();
    private static volatile String unavailableReason;
    private static volatile boolean availabilityChecked;

    private final String prefix;
    private final String runTag;
    private final List<Netns> namespaces = new ArrayList<>();
    private final List<VethLink> links = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NetnsLab(String prefix) {
        this.prefix = prefix;
        this.runTag = prefix + ProcessHandle.current().pid() + "-" + LAB_SEQUENCE.incrementAndGet() + "-";
        this.shutdownHook = new Thread(this::closeQuietly, "netns-lab-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A lab whose namespaces are named {@value #DEFAULT_PREFIX}...; see {@link #create(String)}. */
    public static NetnsLab create() {
        return create(DEFAULT_PREFIX);
    }

    /**
     * A new, empty lab. First deletes stale namespaces carrying {@code prefix} whose creating process no longer
     * exists (a crashed earlier run); labs of live processes are left alone.
     */
    public static NetnsLab create(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("namespace prefix must match " + PREFIX + ", got \"" + prefix + "\"");
        }
        removeStaleNamespaces(prefix);
        return new NetnsLab(prefix);
    }

    /**
     * Null when this process can build labs (Linux, root, working {@code ip netns} and {@code iptables} inside a
     * namespace); otherwise a sentence saying what is missing. Meant for
     * {@code Assumptions.assumeTrue(reason == null, reason)}. The check runs once per JVM.
     */
    public static String unavailableReason() {
        if (!availabilityChecked) {
            synchronized (NetnsLab.class) {
                if (!availabilityChecked) {
                    unavailableReason = checkAvailability();
                    availabilityChecked = true;
                }
            }
        }
        return unavailableReason;
    }

    private static String checkAvailability() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "network namespace lab needs Linux, this is " + System.getProperty("os.name");
        }
        try {
            String uid = effectiveUid();
            if (!"0".equals(uid)) {
                return "network namespace lab needs root (effective uid is " + uid + ")";
            }
            for (List<String> tool : List.of(List.of("ip", "-V"), List.of("iptables", "-V"), List.of("sysctl", "-V"))) {
                CommandResult result = Commands.run(tool);
                if (!result.succeeded()) {
                    return "network namespace lab needs a working '" + tool.get(0) + "': " + result.stderr().strip();
                }
            }
            String probe = prefix(DEFAULT_PREFIX, 0) + "probe";
            CommandResult add = Commands.run(List.of("ip", "netns", "add", probe));
            if (!add.succeeded()) {
                return "cannot create a network namespace: " + add.stderr().strip();
            }
            try {
                CommandResult veth = Commands.run(List.of("ip", "-n", probe, "link", "add", "p0", "type", "veth",
                        "peer", "name", "p1"));
                if (!veth.succeeded()) {
                    return "cannot create a veth pair inside a namespace: " + veth.stderr().strip();
                }
                CommandResult iptables = Commands.run(List.of("ip", "netns", "exec", probe, "iptables", "-w",
                        "-A", "OUTPUT", "-p", "icmp", "-j", "ACCEPT"));
                if (!iptables.succeeded()) {
                    return "iptables does not work inside a namespace: " + iptables.stderr().strip();
                }
            } finally {
                Commands.run(List.of("ip", "netns", "del", probe));
            }
            return null;
        } catch (LabCommandException e) {
            return "network namespace lab tools are missing: " + e.getMessage();
        }
    }

    private static String effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1];
                }
            }
        } catch (java.io.IOException e) {
            // fall through to id(1)
        }
        return Commands.runChecked(List.of("id", "-u")).stdout().strip();
    }

    private static String prefix(String prefix, int lab) {
        return prefix + ProcessHandle.current().pid() + "-" + lab + "-";
    }

    /** Names of all namespaces currently known to {@code ip netns}. */
    public static List<String> existingNamespaces() {
        List<String> names = new ArrayList<>();
        for (String line : Commands.runChecked(List.of("ip", "netns", "list")).stdout().split("\n")) {
            String name = line.strip();
            if (!name.isEmpty()) {
                names.add(name.split("\\s+")[0]);
            }
        }
        return names;
    }

    /**
     * Deletes namespaces named {@code <prefix><pid>-...} whose process {@code pid} is gone, and returns their names.
     * Namespaces of running processes, and names not in this lab's format, are never touched.
     */
    public static List<String> removeStaleNamespaces(String prefix) {
        Pattern ours = Pattern.compile(Pattern.quote(prefix) + "(\\d+)-\\d+-[a-z0-9]+");
        List<String> removed = new ArrayList<>();
        for (String name : existingNamespaces()) {
            Matcher matcher = ours.matcher(name);
            if (!matcher.matches()) {
                continue;
            }
            long pid = Long.parseLong(matcher.group(1));
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                Commands.run(List.of("ip", "netns", "del", name));
                removed.add(name);
            }
        }
        return removed;
    }

    /**
     * Creates namespace {@code <prefix><pid>-<lab>-<role>} with loopback up, IPv6 off (no router solicitations or
     * DAD chatter on the captures) and reverse-path filtering off (labs route asymmetrically on purpose).
     */
    public synchronized Netns addNamespace(String role) {
        requireOpen();
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("role must match " + ROLE + ", got \"" + role + "\"");
        }
        if (namespaces.stream().anyMatch(n -> n.role().equals(role))) {
            throw new IllegalArgumentException("this lab already has a namespace with role " + role);
        }
        Netns netns = new Netns(runTag + role, role);
        Commands.runChecked(List.of("ip", "netns", "add", netns.name()));
        namespaces.add(netns);
        netns.up("lo");
        netns.sysctls(Map.of(
                "net.ipv4.conf.all.rp_filter", "0",
                "net.ipv4.conf.default.rp_filter", "0"));
        if (Files.isDirectory(Path.of("/proc/sys/net/ipv6"))) {
            netns.sysctls(Map.of(
                    "net.ipv6.conf.all.disable_ipv6", "1",
                    "net.ipv6.conf.default.disable_ipv6", "1"));
        }
        return netns;
    }

    /** Cables {@code a} and {@code b} with a veth pair with the kernel's default MTU (1500) and brings both ends up. */
    public VethLink link(Netns a, String aInterface, Netns b, String bInterface) {
        return link(a, aInterface, b, bInterface, 0);
    }

    /** Cables {@code a} and {@code b} with a veth pair; {@code mtu > 0} sets it on both ends. */
    public synchronized VethLink link(Netns a, String aInterface, Netns b, String bInterface, int mtu) {
        requireOpen();
        requireMine(a);
        requireMine(b);
        if (a.equals(b)) {
            throw new IllegalArgumentException("cannot link " + a + " to itself");
        }
        for (String ifname : List.of(aInterface, bInterface)) {
            if (!INTERFACE.matcher(ifname).matches()) {
                throw new IllegalArgumentException("interface name must match " + INTERFACE + ", got \"" + ifname + "\"");
            }
        }
        List<String> command = new ArrayList<>(List.of("ip", "-n", a.name(), "link", "add", aInterface));
        if (mtu > 0) {
            command.addAll(List.of("mtu", Integer.toString(mtu)));
        }
        command.addAll(List.of("type", "veth", "peer", "name", bInterface, "netns", b.name()));
        if (mtu > 0) {
            command.addAll(List.of("mtu", Integer.toString(mtu)));
        }
        Commands.runChecked(command);
        a.up(aInterface);
        b.up(bInterface);
        VethLink link = new VethLink(a, aInterface, b, bInterface, mtu > 0 ? mtu : 1500);
        links.add(link);
        return link;
    }

    /** The name prefix of this lab's namespaces, e.g. {@value #DEFAULT_PREFIX}. */
    public String prefix() {
        return prefix;
    }

    public synchronized List<Netns> namespaces() {
        return Collections.unmodifiableList(new ArrayList<>(namespaces));
    }

    public synchronized List<VethLink> links() {
        return Collections.unmodifiableList(new ArrayList<>(links));
    }

    /** The namespace of this lab holding interface address {@code address}, if any. */
    public Optional<Netns> owner(String address) {
        return namespaces().stream().filter(n -> n.owns(address)).findFirst();
    }

    /** True when a veth pair cables {@code x} and {@code y} directly. */
    public boolean adjacent(Netns x, Netns y) {
        return links().stream().anyMatch(link -> link.connects(x, y));
    }

    /** Deletes every namespace this lab made (and with them their links and rules). Safe to call twice. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = namespaces.size() - 1; i >= 0; i--) {
                CommandResult result = Commands.run(List.of("ip", "netns", "del", namespaces.get(i).name()));
                if (!result.succeeded()) {
                    failures.add(namespaces.get(i).name() + ": " + result.stderr().strip());
                }
            }
            namespaces.clear();
            links.clear();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is what called us
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not delete lab namespaces: " + String.join("; ", failures));
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("netns lab cleanup: " + e.getMessage());
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("lab is closed");
        }
    }

    private void requireMine(Netns netns) {
        if (!namespaces.contains(netns)) {
            throw new IllegalArgumentException(netns + " does not belong to this lab");
        }
    }
}
