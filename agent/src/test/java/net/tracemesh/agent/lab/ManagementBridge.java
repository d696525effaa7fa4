package net.tracemesh.agent.lab;

import java.util.List;

/**
 * A management network in the root namespace: a bridge named {@code <prefix><pid>} holding the broker's address,
 * and one veth per vantage namespace (interface {@code mgmt} inside it) so agents there reach a Kafka broker
 * running in this namespace. Probes never touch it: vantage points route only the lab's addresses through their
 * first router. {@link #close()} deletes the bridge (and with it the root ends of the veths); a shutdown hook does
 * the same if the JVM ends first.
 */
final class ManagementBridge implements AutoCloseable {
    private final String name;
    private final Thread cleanup;

    private ManagementBridge(String name) {
        this.name = name;
        this.cleanup = new Thread(this::delete, name + "-cleanup");
    }

    /**
     * Deletes bridges named {@code <prefix><pid>} left by test processes that died before closing their lab (they
     * hold the same address), then makes this process's bridge with {@code hostCidr} and brings it up.
     */
    static ManagementBridge create(String prefix, String hostCidr) {
        removeStale(prefix);
        ManagementBridge bridge = new ManagementBridge(prefix + ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(bridge.cleanup);
        return LabWiring.buildOrClose(() -> {
            Commands.runChecked(List.of("ip", "link", "add", bridge.name, "type", "bridge"));
            Commands.runChecked(List.of("ip", "addr", "add", hostCidr, "dev", bridge.name));
            Commands.runChecked(List.of("ip", "link", "set", bridge.name, "up"));
            return bridge;
        }, bridge::close);
    }

    /**
     * Cables {@code vantage} to the bridge: a veth whose root end is {@code <bridge><suffix>}, enslaved to the bridge,
     * and whose other end is {@code mgmt} in {@code vantage} with address {@code cidr}.
     */
    void attach(Netns vantage, String suffix, String cidr) {
        String rootEnd = name + suffix;
        Commands.runChecked(List.of("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", "mgmt", "netns",
                vantage.name()));
        Commands.runChecked(List.of("ip", "link", "set", rootEnd, "master", name));
        Commands.runChecked(List.of("ip", "link", "set", rootEnd, "up"));
        vantage.address("mgmt", cidr);
        vantage.up("mgmt");
    }

    @Override
    public void close() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is what runs
        }
    }

    private void delete() {
        Commands.run(List.of("ip", "link", "del", name));
    }

    private static void removeStale(String prefix) {
        CommandResult links = Commands.run(List.of("ip", "-o", "link", "show", "type", "bridge"));
        for (String line : links.stdout().split("\n")) {
            String[] fields = line.split(":\\s*|@");
            if (fields.length < 2) {
                continue;
            }
            String bridge = fields[1].trim();
            if (!bridge.startsWith(prefix)) {
                continue;
            }
            try {
                long pid = Long.parseLong(bridge.substring(prefix.length()));
                if (ProcessHandle.of(pid).isEmpty()) {
                    Commands.run(List.of("ip", "link", "del", bridge));
                }
            } catch (NumberFormatException e) {
                // not one of ours
            }
        }
    }
}
