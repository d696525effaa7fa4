package net.tracemesh.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The namespace builder itself, on a three-namespace line a - r - b. Needs root; skipped otherwise. */
@Tag("netns")
@EnabledOnOs(OS.LINUX)
class NetnsLabTest {

    @BeforeAll
    static void needsNamespaces() {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
    }

    @Test
    void buildsRoutesAndTearsDownEverything() {
        List<String> names;
        try (NetnsLab lab = NetnsLab.create()) {
            Netns a = lab.addNamespace("a");
            Netns r = lab.addNamespace("r");
            Netns b = lab.addNamespace("b");
            VethLink left = lab.link(a, "to-r", r, "to-a");
            VethLink right = lab.link(r, "to-b", b, "to-r", 600);
            a.address("to-r", "198.18.200.2/24");
            r.address("to-a", "198.18.200.1/24").address("to-b", "198.18.201.1/24").forwarding(true);
            b.address("to-r", "198.18.201.2/24");
            a.route("198.18.0.0/15", "198.18.200.1");
            b.route("198.18.0.0/15", "198.18.201.1");
            names = lab.namespaces().stream().map(Netns::name).toList();

            assertThat(names).allMatch(n -> n.startsWith(NetnsLab.DEFAULT_PREFIX + ProcessHandle.current().pid()));
            assertThat(NetnsLab.existingNamespaces()).containsAll(names);
            assertThat(left.peerOf(a)).isEqualTo(r);
            assertThat(right.mtu()).isEqualTo(600);
            assertThat(r.exec("ip", "link", "show", "to-b").stdout()).contains("mtu 600");
            assertThat(b.exec("ip", "link", "show", "to-r").stdout()).contains("mtu 600");
            assertThat(r.readSysctl("net.ipv4.ip_forward")).isEqualTo("1");
            assertThat(r.readSysctl("net.ipv4.conf.all.rp_filter")).isEqualTo("0");
            assertThat(lab.owner("198.18.201.1")).contains(r);
            assertThat(lab.adjacent(a, r)).isTrue();
            assertThat(lab.adjacent(a, b)).isFalse();

            assertThat(a.exec("ping", "-c", "1", "-W", "1", "198.18.201.2").exitCode()).isZero();
            // DF ping over the 600-byte link: 1000 bytes do not fit.
            assertThat(a.exec("ping", "-c", "1", "-W", "1", "-M", "do", "-s", "1000", "198.18.201.2").exitCode())
                    .isNotZero();

            r.typedRoute(RouteType.PROHIBIT, "198.18.202.0/24");
            assertThat(a.exec("ping", "-c", "1", "-W", "1", "198.18.202.1").stdout()).contains("Packet filtered");

            r.iptables("-A", "FORWARD", "-p", "icmp", "-j", "DROP");
            assertThat(a.exec("ping", "-c", "1", "-W", "1", "198.18.201.2").exitCode()).isNotZero();
            assertThat(r.exec("iptables", "-S", "FORWARD").stdout()).contains("-p icmp -j DROP");

            assertThat(a.exec(List.of("sleep", "5"), Duration.ofMillis(200)).exitCode()).isEqualTo(-1);
        }
        assertThat(NetnsLab.existingNamespaces()).doesNotContainAnyElementsOf(names);
    }

    @Test
    void multipathRouteNeedsTwoGatewaysAndRolesAreUnique() {
        try (NetnsLab lab = NetnsLab.create()) {
            Netns a = lab.addNamespace("a");
            assertThatThrownBy(() -> a.multipathRoute("198.18.9.0/24", "198.18.0.1"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> lab.addNamespace("a")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> lab.addNamespace("Bad-Role")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void failingCommandReportsItsStderr() {
        try (NetnsLab lab = NetnsLab.create()) {
            Netns a = lab.addNamespace("a");
            assertThatThrownBy(() -> a.address("no-such-if", "198.18.0.1/24"))
                    .isInstanceOf(LabCommandException.class)
                    .hasMessageContaining("ip -n " + a.name() + " addr add 198.18.0.1/24 dev no-such-if")
                    .hasMessageContaining("no-such-if");
        }
    }

    @Test
    void createRemovesNamespacesOfDeadRunsOnly() {
        String stale = NetnsLab.DEFAULT_PREFIX + deadPid() + "-1-x";
        String foreign = NetnsLab.DEFAULT_PREFIX + "manual";
        Commands.runChecked(List.of("ip", "netns", "add", stale));
        Commands.runChecked(List.of("ip", "netns", "add", foreign));
        try (NetnsLab lab = NetnsLab.create()) {
            lab.addNamespace("alive");
            assertThat(NetnsLab.existingNamespaces()).doesNotContain(stale).contains(foreign);
            assertThat(NetnsLab.removeStaleNamespaces(NetnsLab.DEFAULT_PREFIX)).isEmpty();
        } finally {
            Commands.run(List.of("ip", "netns", "del", stale));
            Commands.run(List.of("ip", "netns", "del", foreign));
        }
    }

    /** A process id that is not running now. */
    private static long deadPid() {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid++;
        }
        return pid;
    }
}
