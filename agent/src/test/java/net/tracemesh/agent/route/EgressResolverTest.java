package net.tracemesh.agent.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.ethernet.MacAddress;
import org.junit.jupiter.api.Test;

/**
 * EgressResolver with tables built in code. Only outcomes decided before the neighbour look-up are tested: past
 * that point the resolver reads /proc/net/arp and, on a miss, sends ARP requests through pcap.
 */
class EgressResolverTest {
    private static final byte[] ETH0_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final LocalInterface LO = new LocalInterface("lo", new byte[6], 65_536, true,
            List.of(new LocalInterface.InterfaceAddress(ip("127.0.0.1"), 8)));
    private static final LocalInterface ETH0 = new LocalInterface("eth0", ETH0_MAC, 1500, false,
            List.of(new LocalInterface.InterfaceAddress(ip("198.18.2.2"), 24),
                    new LocalInterface.InterfaceAddress(ip("198.18.3.2"), 24)));
    private static final LocalInterface BARE = new LocalInterface("eth2", MacAddress.parse("02:00:00:00:00:02"),
            1500, false, List.of());

    private static int ip(String dotted) {
        return Ipv4Address.parse(dotted);
    }

    private static RouteTable routes() {
        return new RouteTable(List.of(
                new Route("eth0", ip("198.18.2.0"), 24, 0, 0, false),
                new Route("eth1", ip("198.18.6.0"), 24, 0, 0, false),
                new Route("eth2", ip("198.18.7.0"), 24, 0, 0, false),
                new Route("*", ip("198.18.5.0"), 24, 0, 0, true),
                new Route("eth0", ip("198.18.8.0"), 24, ip("198.18.2.1"), 0, true)));
    }

    @Test
    void loopbackAddressesLeaveThroughLoopback() {
        EgressResolver resolver = new EgressResolver(routes(), new LocalInterfaces(List.of(ETH0, LO)));
        for (String dst : List.of("127.0.0.1", "127.0.0.53", "127.255.255.254")) {
            Egress egress = resolver.resolve(ip(dst));
            assertThat(egress.interfaceName()).isEqualTo("lo");
            assertThat(egress.source()).isEqualTo(ip(dst));
            assertThat(egress.nextHop()).isEqualTo(ip(dst));
            assertThat(egress.sourceMac()).containsOnly(0);
            assertThat(egress.nextHopMac()).containsOnly(0);
            assertThat(egress.mtu()).isEqualTo(65_536);
        }
    }

    @Test
    void ourOwnAddressesLeaveThroughLoopbackWithThemselvesAsSource() {
        EgressResolver resolver = new EgressResolver(routes(), new LocalInterfaces(List.of(ETH0, LO)));
        Egress egress = resolver.resolve(ip("198.18.3.2"));
        assertThat(egress.interfaceName()).isEqualTo("lo");
        assertThat(egress.source()).isEqualTo(ip("198.18.3.2"));
        assertThat(egress.nextHop()).isEqualTo(ip("198.18.3.2"));
    }

    @Test
    void withoutALoopbackInterfaceLocalAddressesCannotBeReached() {
        EgressResolver resolver = new EgressResolver(routes(), new LocalInterfaces(List.of(ETH0)));
        assertThatThrownBy(() -> resolver.resolve(ip("127.0.0.1")))
                .isInstanceOf(NoRouteException.class).hasMessage("no loopback interface to reach 127.0.0.1");
    }

    @Test
    void noRoute() {
        EgressResolver resolver = new EgressResolver(routes(), new LocalInterfaces(List.of(ETH0, LO)));
        assertThatThrownBy(() -> resolver.resolve(ip("203.0.113.8")))
                .isInstanceOf(NoRouteException.class).hasMessage("no route to 203.0.113.8");
    }

    @Test
    void rejectRoutes() {
        EgressResolver resolver = new EgressResolver(routes(), new LocalInterfaces(List.of(ETH0, LO)));
        assertThatThrownBy(() -> resolver.resolve(ip("198.18.5.1")))
                .isInstanceOf(NoRouteException.class)
                .hasMessage("the route to 198.18.5.1 is an unreachable, prohibit or blackhole route");
        assertThatThrownBy(() -> resolver.resolve(ip("198.18.8.1")))
                .isInstanceOf(NoRouteException.class).hasMessageContaining("blackhole");
    }

    @Test
    void anInterfaceThatIsDown() {
        EgressResolver resolver = new EgressResolver(routes(), new LocalInterfaces(List.of(ETH0, LO)));
        assertThatThrownBy(() -> resolver.resolve(ip("198.18.6.1")))
                .isInstanceOf(NoRouteException.class)
                .hasMessage("interface eth1 of the route to 198.18.6.1 is down");
    }

    @Test
    void anInterfaceWithoutAnIpv4Address() {
        EgressResolver resolver = new EgressResolver(routes(), new LocalInterfaces(List.of(ETH0, LO, BARE)));
        assertThatThrownBy(() -> resolver.resolve(ip("198.18.7.1")))
                .isInstanceOf(NoRouteException.class).hasMessage("interface eth2 has no IPv4 address");
    }

    @Test
    void interfaceAddressesCoverTheirSubnet() {
        LocalInterface.InterfaceAddress a = new LocalInterface.InterfaceAddress(ip("198.18.2.2"), 24);
        assertThat(a.covers(ip("198.18.2.1"))).isTrue();
        assertThat(a.covers(ip("198.18.3.1"))).isFalse();
        assertThat(new LocalInterface.InterfaceAddress(ip("198.18.2.2"), 0).covers(ip("203.0.113.8"))).isTrue();
        assertThat(new LocalInterface.InterfaceAddress(ip("198.18.2.2"), 32).covers(ip("198.18.2.3"))).isFalse();
    }

    @Test
    void localInterfacesAnswerByNameOwnerAndLoopback() {
        LocalInterfaces interfaces = new LocalInterfaces(List.of(ETH0, LO));
        assertThat(interfaces.byName("eth0")).containsSame(ETH0);
        assertThat(interfaces.byName("eth9")).isEmpty();
        assertThat(interfaces.owning(ip("198.18.3.2"))).containsSame(ETH0);
        assertThat(interfaces.owning(ip("198.18.3.3"))).isEmpty();
        assertThat(interfaces.loopback()).containsSame(LO);
        assertThat(interfaces.all()).containsExactly(ETH0, LO);
    }

    @Test
    void egressAndInterfacesRefuseMalformedMacs() {
        assertThatThrownBy(() -> new Egress("eth0", 1, new byte[5], new byte[6], 2, 1500))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalInterface("eth0", new byte[7], 1500, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void egressKeepsCopiesOfItsMacs() {
        byte[] mac = MacAddress.parse("02:00:00:00:00:09");
        Egress egress = new Egress("eth0", 1, mac, mac, 2, 1500);
        mac[0] = 0x7F;
        egress.sourceMac()[1] = 0x7F;
        assertThat(MacAddress.format(egress.sourceMac())).isEqualTo("02:00:00:00:00:09");
        assertThat(MacAddress.format(egress.nextHopMac())).isEqualTo("02:00:00:00:00:09");
    }
}
