package net.tracemesh.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.tracemesh.platform.demo.DemoTopology.Cable;
import net.tracemesh.platform.demo.DemoTopology.Kind;
import net.tracemesh.platform.demo.DemoTopology.Node;
import net.tracemesh.platform.demo.DemoTopology.Route;
import org.junit.jupiter.api.Test;

/**
 * The demo lab's description: what it is made of, and where its routing tables send a packet (followed hop by hop
 * with longest-prefix matching, as the kernel would, without building anything).
 */
class DemoTopologyTest {
    private final DemoTopology lab = DemoTopology.standard();

    @Test
    void fourVantagePointsAtTwoSitesEightRoutersAndEveryNameAndAddressInTheDemosSpace() {
        assertThat(lab.vantages()).extracting(Node::role).containsExactly("a1", "a2", "b1", "b2");
        assertThat(lab.vantages()).extracting(Node::site).containsOnly("site A", "site B");
        assertThat(lab.routers()).extracting(Node::role)
                .containsExactlyInAnyOrder("ra", "rb", "c1", "p1", "p2", "c2", "fw", "bk");
        for (Node n : lab.nodes()) {
            assertThat(n.namespace()).startsWith(DemoTopology.PREFIX);
            for (String address : lab.addresses(n)) {
                assertThat(address).startsWith("198.19.");
            }
        }
        for (Node v : lab.vantages()) {
            assertThat(v.hostInterface()).startsWith(DemoTopology.PREFIX).hasSizeLessThanOrEqualTo(15);
            assertThat(v.managementAddress()).startsWith("198.19.100.");
        }
        for (Cable c : lab.cables()) {
            assertThat(c.interfaceIn(c.first())).hasSizeLessThanOrEqualTo(15);
        }
        assertThat(lab.cables()).filteredOn(c -> c.mtu() == DemoTopology.LOW_MTU).singleElement()
                .satisfies(c -> assertThat(List.of(c.first().role(), c.second().role())).containsExactly("ra", "c1"));
        assertThat(DemoTopology.DESTINATIONS).allMatch(d -> d.startsWith("198.19.60."))
                .contains(DemoTopology.FIREWALLED_DESTINATION);
    }

    @Test
    void theEcmpRouterSpreadsTheDestinationsOverBothBranches() {
        Route ecmp = routeOf(lab.node("c1"), DemoTopology.DESTINATION_PREFIX, lab.routes());
        assertThat(ecmp.gateways()).containsExactly("198.19.21.2", "198.19.22.2");
        assertThat(ecmp.ipArguments()).containsSubsequence("nexthop", "via", "198.19.21.2", "nexthop", "via",
                "198.19.22.2");
    }

    @Test
    void everyVantagePointReachesEveryDestinationThroughTheFirewallAndSiteAThroughTheLowMtuLink() {
        for (Node v : lab.vantages()) {
            for (String destination : DemoTopology.DESTINATIONS) {
                for (int branch = 0; branch < 2; branch++) {
                    List<String> path = forward(v, destination, lab.routes(), branch);
                    assertThat(path).as("%s to %s", v, destination).endsWith("fw", "dst");
                    assertThat(path).contains(branch == 0 ? "p1" : "p2");
                    assertThat(path.get(0)).isEqualTo(v.site().equals("site A") ? "ra" : "rb");
                    assertThat(path.get(1)).isEqualTo("c1");
                }
            }
        }
        // and every router can answer back: each reaches every vantage point's subnet
        for (Node r : lab.routers()) {
            for (Node v : lab.vantages()) {
                String vantageAddress = lab.addresses(v).get(0);
                assertThat(forward(r, vantageAddress, lab.routes(), 0)).endsWith(v.role());
            }
        }
    }

    @Test
    void theRouteChangeSendsSiteBThroughTheBackupRouterAndLeavesSiteAAlone() {
        List<Route> after = new ArrayList<>(lab.routes());
        after.remove(lab.routeChange().before());
        after.add(lab.routeChange().after());
        assertThat(lab.routes()).contains(lab.routeChange().before());
        for (String destination : DemoTopology.DESTINATIONS) {
            assertThat(forward(lab.node("b1"), destination, after, 0)).containsExactly("rb", "bk", "c2", "fw", "dst");
            assertThat(forward(lab.node("a1"), destination, after, 0)).containsExactly("ra", "c1", "p1", "c2", "fw",
                    "dst");
        }
        assertThat(lab.routeChange().description()).contains("bk").contains("demo-b1");
    }

    /**
     * The namespaces a packet from {@code start} to {@code destination} passes, after {@code start} itself; a
     * multipath route's {@code branch}-th next hop is taken.
     */
    private List<String> forward(Node start, String destination, List<Route> routes, int branch) {
        List<String> path = new ArrayList<>();
        Set<Node> seen = new HashSet<>();
        Node at = start;
        while (!owns(at, destination)) {
            assertThat(seen.add(at)).as("routing loop at %s toward %s", at, destination).isTrue();
            Node next = nextHop(at, destination, routes, branch);
            path.add(next.role());
            at = next;
        }
        return path;
    }

    private boolean owns(Node n, String address) {
        return lab.addresses(n).contains(address)
                || n.kind() == Kind.HOST && DemoTopology.DESTINATIONS.contains(address);
    }

    private Node nextHop(Node at, String destination, List<Route> routes, int branch) {
        for (Cable c : lab.cablesOf(at)) {
            if (inPrefix(destination, c.network())) {
                return c.peerOf(at);
            }
        }
        Route best = null;
        for (Route r : routes) {
            if (r.node().equals(at) && inPrefix(destination, r.destination())
                    && (best == null || length(r.destination()) > length(best.destination()))) {
                best = r;
            }
        }
        assertThat(best).as("%s has a route to %s", at, destination).isNotNull();
        String gateway = best.gateways().get(Math.min(branch, best.gateways().size() - 1));
        return lab.cablesOf(at).stream().filter(c -> c.addressOf(c.peerOf(at)).equals(gateway))
                .map(c -> c.peerOf(at)).findFirst()
                .orElseThrow(() -> new AssertionError(at + ": gateway " + gateway + " is not a neighbour"));
    }

    private static Route routeOf(Node n, String destination, List<Route> routes) {
        return routes.stream().filter(r -> r.node().equals(n) && r.destination().equals(destination)).findFirst()
                .orElseThrow();
    }

    private static int length(String cidr) {
        return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }

    private static boolean inPrefix(String address, String cidr) {
        int len = length(cidr);
        int mask = len == 0 ? 0 : -1 << (32 - len);
        return (toInt(address) & mask) == (toInt(cidr.substring(0, cidr.indexOf('/'))) & mask);
    }

    private static int toInt(String dotted) {
        int value = 0;
        for (String part : dotted.split("\\.")) {
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }
}
