package net.tracemesh.agent.route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The kernel's main IPv4 routing table, read from /proc/net/route, with longest-prefix lookup. */
public final class RouteTable {
    static final Path PROC_ROUTE = Path.of("/proc/net/route");
    private static final int RTF_REJECT = 0x0200;

    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** Reads the current table of this process's network namespace. */
    public static RouteTable load() {
        try {
            return parse(Files.readAllLines(PROC_ROUTE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PROC_ROUTE, e);
        }
    }

    /** Parses the text of /proc/net/route (addresses are printed as raw network-order words in hex). */
    static RouteTable parse(List<String> lines) {
        List<Route> routes = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            int destination = address(f[1]);
            int gateway = address(f[2]);
            int flags = Integer.parseInt(f[3], 16);
            int metric = Integer.parseInt(f[6]);
            int mask = address(f[7]);
            int prefix = Integer.bitCount(mask);
            boolean reject = (flags & RTF_REJECT) != 0 || f[0].equals("*");
            routes.add(new Route(f[0], destination, prefix, gateway, metric, reject));
        }
        return new RouteTable(routes);
    }

    private static int address(String hex) {
        int raw = (int) Long.parseLong(hex, 16);
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(raw) : raw;
    }

    /** The most specific route to an address (lowest metric among equals), if any. */
    public Optional<Route> lookup(int address) {
        Route best = null;
        for (Route r : routes) {
            if (!r.matches(address)) {
                continue;
            }
            if (best == null || r.prefixLength() > best.prefixLength()
                    || (r.prefixLength() == best.prefixLength() && r.metric() < best.metric())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    public List<Route> routes() {
        return routes;
    }
}
