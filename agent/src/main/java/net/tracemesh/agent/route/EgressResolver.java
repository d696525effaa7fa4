package net.tracemesh.agent.route;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.tracemesh.wire.Ipv4Address;

/**
 * Picks the outgoing interface, source address and next-hop MAC for destinations from the kernel's routing
 * table, interfaces and neighbour cache, sending ARP requests itself when the cache has no entry.
 * Results are cached per next hop, so bulk runs over one gateway resolve once.
 */
public final class EgressResolver {
    private static final byte[] NO_MAC = new byte[6];
    private static final Duration ARP_WAIT = Duration.ofMillis(500);
    private static final int LOOPBACK_NET = Ipv4Address.parse("127.0.0.0");

    private final RouteTable routes;
    private final LocalInterfaces interfaces;
    private final Map<String, Egress> byNextHop = new HashMap<>();

    public EgressResolver(RouteTable routes, LocalInterfaces interfaces) {
        this.routes = routes;
        this.interfaces = interfaces;
    }

    public static EgressResolver forThisHost() {
        return new EgressResolver(RouteTable.load(), LocalInterfaces.load());
    }

    /** @throws NoRouteException when nothing can be sent to the destination */
    public Egress resolve(int destination) {
        if (Ipv4Address.inPrefix(destination, LOOPBACK_NET, 8) || interfaces.owning(destination).isPresent()) {
            return loopback(destination);
        }
        Route route = routes.lookup(destination).orElseThrow(() ->
                new NoRouteException("no route to " + Ipv4Address.format(destination)));
        if (route.reject()) {
            throw new NoRouteException("the route to " + Ipv4Address.format(destination)
                    + " is an unreachable, prohibit or blackhole route");
        }
        LocalInterface iface = interfaces.byName(route.interfaceName()).orElseThrow(() ->
                new NoRouteException("interface " + route.interfaceName() + " of the route to "
                        + Ipv4Address.format(destination) + " is down"));
        int nextHop = route.onLink() ? destination : route.gateway();
        String key = iface.name() + '/' + nextHop;
        Egress cached = byNextHop.get(key);
        if (cached != null) {
            return cached;
        }
        int source = sourceFor(iface, nextHop);
        byte[] mac = NeighbourTable.lookup(iface.name(), nextHop)
                .or(() -> ArpResolver.resolve(iface, source, nextHop, ARP_WAIT))
                .orElseThrow(() -> new NoRouteException("next hop " + Ipv4Address.format(nextHop) + " on "
                        + iface.name() + " does not answer ARP"));
        Egress egress = new Egress(iface.name(), source, iface.mac(), mac, nextHop, iface.mtu());
        byNextHop.put(key, egress);
        return egress;
    }

    private Egress loopback(int destination) {
        LocalInterface lo = interfaces.loopback().orElseThrow(() ->
                new NoRouteException("no loopback interface to reach " + Ipv4Address.format(destination)));
        return new Egress(lo.name(), destination, NO_MAC, NO_MAC, destination, lo.mtu());
    }

    /** The interface address on the next hop's subnet, else its first address. */
    private static int sourceFor(LocalInterface iface, int nextHop) {
        Optional<LocalInterface.InterfaceAddress> onSubnet = iface.addresses().stream()
                .filter(a -> a.covers(nextHop)).findFirst();
        return onSubnet.or(() -> iface.addresses().stream().findFirst())
                .map(LocalInterface.InterfaceAddress::address)
                .orElseThrow(() -> new NoRouteException("interface " + iface.name() + " has no IPv4 address"));
    }
}
