package net.tracemesh.agent.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.util.List;
import net.tracemesh.wire.Ipv4Address;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    /**
     * /proc/net/route as Linux prints it on a little-endian host (addresses are the raw network-order words in
     * hex): two defaults (metric 200 listed first), two on-link /24s, a /15 via a gateway, a host route, and an
     * {@code ip route add unreachable 198.18.5.0/24}.
     */
    static final List<String> PROC_NET_ROUTE = List.of(
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
            "eth1\t00000000\t010112C6\t0003\t0\t0\t200\t00000000\t0\t0\t0",
            "eth0\t00000000\t010212C6\t0003\t0\t0\t100\t00000000\t0\t0\t0",
            "eth0\t000212C6\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0",
            "eth1\t000112C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
            "eth1\t000012C6\t010112C6\t0003\t0\t0\t0\t0000FEFF\t0\t0\t0",
            "eth0\t050912C6\tFE0212C6\t0007\t0\t0\t0\tFFFFFFFF\t0\t0\t0",
            "*\t000512C6\t00000000\t0201\t0\t0\t0\t00FFFFFF\t0\t0\t0",
            "");

    @BeforeAll
    static void littleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the sample is a little-endian host's");
    }

    private static int ip(String dotted) {
        return Ipv4Address.parse(dotted);
    }

    @Test
    void parsesEveryRouteOfTheKernelTable() {
        RouteTable table = RouteTable.parse(PROC_NET_ROUTE);

        assertThat(table.routes()).containsExactly(
                new Route("eth1", 0, 0, ip("198.18.1.1"), 200, false),
                new Route("eth0", 0, 0, ip("198.18.2.1"), 100, false),
                new Route("eth0", ip("198.18.2.0"), 24, 0, 100, false),
                new Route("eth1", ip("198.18.1.0"), 24, 0, 0, false),
                new Route("eth1", ip("198.18.0.0"), 15, ip("198.18.1.1"), 0, false),
                new Route("eth0", ip("198.18.9.5"), 32, ip("198.18.2.254"), 0, false),
                new Route("*", ip("198.18.5.0"), 24, 0, 0, true));
    }

    @Test
    void theLongestPrefixWins() {
        RouteTable table = RouteTable.parse(PROC_NET_ROUTE);

        assertThat(table.lookup(ip("198.18.9.5"))).get()
                .isEqualTo(new Route("eth0", ip("198.18.9.5"), 32, ip("198.18.2.254"), 0, false));
        assertThat(table.lookup(ip("198.18.9.6")).orElseThrow().prefixLength()).isEqualTo(15);
        assertThat(table.lookup(ip("198.19.255.255")).orElseThrow().gateway()).isEqualTo(ip("198.18.1.1"));
        Route onLink = table.lookup(ip("198.18.2.77")).orElseThrow();
        assertThat(onLink.prefixLength()).isEqualTo(24);
        assertThat(onLink.interfaceName()).isEqualTo("eth0");
        assertThat(onLink.onLink()).isTrue();
        assertThat(table.lookup(ip("198.18.1.200")).orElseThrow().interfaceName()).isEqualTo("eth1");
    }

    @Test
    void amongEqualPrefixesTheLowestMetricWins() {
        RouteTable table = RouteTable.parse(PROC_NET_ROUTE);

        Route route = table.lookup(ip("203.0.113.8")).orElseThrow();
        assertThat(route.prefixLength()).isZero();
        assertThat(route.metric()).isEqualTo(100);
        assertThat(route.interfaceName()).isEqualTo("eth0");
        assertThat(route.gateway()).isEqualTo(ip("198.18.2.1"));
        assertThat(route.onLink()).isFalse();
    }

    @Test
    void rejectRoutesAreFoundAndMarked() {
        Route route = RouteTable.parse(PROC_NET_ROUTE).lookup(ip("198.18.5.9")).orElseThrow();
        assertThat(route.reject()).isTrue();
        assertThat(route.interfaceName()).isEqualTo("*");
    }

    @Test
    void theRejectFlagOrTheStarInterfaceEachMakeARejectRoute() {
        RouteTable table = RouteTable.parse(List.of(
                "lo\t000612C6\t00000000\t0201\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "*\t000712C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "eth0\t000812C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"));

        assertThat(table.lookup(ip("198.18.6.1")).orElseThrow().reject()).isTrue();
        assertThat(table.lookup(ip("198.18.7.1")).orElseThrow().reject()).isTrue();
        assertThat(table.lookup(ip("198.18.8.1")).orElseThrow().reject()).isFalse();
    }

    @Test
    void withoutADefaultSomeAddressesHaveNoRoute() {
        RouteTable table = RouteTable.parse(List.of(PROC_NET_ROUTE.get(0), PROC_NET_ROUTE.get(3)));
        assertThat(table.lookup(ip("203.0.113.8"))).isEmpty();
        assertThat(table.lookup(ip("198.18.2.1"))).isPresent();
        assertThat(RouteTable.parse(List.of()).lookup(ip("198.18.2.1"))).isEmpty();
    }

    @Test
    void shortAndHeaderLinesAreSkipped() {
        RouteTable table = RouteTable.parse(List.of("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask",
                "eth0\t00000000", "   ", ""));
        assertThat(table.routes()).isEmpty();
    }

    @Test
    void theHostsOwnTableParses() {
        // Whatever this machine has: every line must parse and every prefix be sane.
        RouteTable table = RouteTable.load();
        assertThat(table.routes()).allSatisfy(r -> assertThat(r.prefixLength()).isBetween(0, 32));
    }
}
