package net.tracemesh.agent.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.ethernet.MacAddress;
import org.junit.jupiter.api.Test;

class NeighbourTableTest {
    /** /proc/net/arp with a complete, an incomplete (flags 0x0), a permanent (0x6) and a look-alike entry. */
    static final List<String> PROC_NET_ARP = List.of(
            "IP address       HW type     Flags       HW address            Mask     Device",
            "198.18.2.10      0x1         0x2         02:42:c6:12:02:0a     *        eth0",
            "198.18.2.1       0x1         0x2         02:42:c6:12:02:01     *        eth0",
            "198.18.2.9       0x1         0x0         00:00:00:00:00:00     *        eth0",
            "198.18.1.1       0x1         0x2         02:42:c6:12:01:01     *        eth1",
            "198.18.1.1       0x1         0x6         02:42:c6:12:01:99     *        eth0",
            "");

    private static int ip(String dotted) {
        return Ipv4Address.parse(dotted);
    }

    @Test
    void findsTheCompleteEntryOfAnAddressOnAnInterface() {
        assertThat(NeighbourTable.lookup(PROC_NET_ARP, "eth0", ip("198.18.2.1")))
                .hasValueSatisfying(mac -> assertThat(MacAddress.format(mac)).isEqualTo("02:42:c6:12:02:01"));
        assertThat(NeighbourTable.lookup(PROC_NET_ARP, "eth0", ip("198.18.2.10")))
                .hasValueSatisfying(mac -> assertThat(MacAddress.format(mac)).isEqualTo("02:42:c6:12:02:0a"));
    }

    @Test
    void theSameAddressOnTwoInterfaces() {
        assertThat(NeighbourTable.lookup(PROC_NET_ARP, "eth1", ip("198.18.1.1")))
                .hasValueSatisfying(mac -> assertThat(MacAddress.format(mac)).isEqualTo("02:42:c6:12:01:01"));
        assertThat(NeighbourTable.lookup(PROC_NET_ARP, "eth0", ip("198.18.1.1")))
                .hasValueSatisfying(mac -> assertThat(MacAddress.format(mac)).isEqualTo("02:42:c6:12:01:99"));
    }

    @Test
    void incompleteEntriesAreNotAnswers() {
        assertThat(NeighbourTable.lookup(PROC_NET_ARP, "eth0", ip("198.18.2.9"))).isEmpty();
    }

    @Test
    void unknownAddressesAndInterfacesHaveNoEntry() {
        assertThat(NeighbourTable.lookup(PROC_NET_ARP, "eth0", ip("198.18.2.2"))).isEmpty();
        assertThat(NeighbourTable.lookup(PROC_NET_ARP, "eth2", ip("198.18.2.1"))).isEmpty();
        assertThat(NeighbourTable.lookup(List.of(), "eth0", ip("198.18.2.1"))).isEmpty();
    }
}
