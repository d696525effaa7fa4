package net.tracemesh.agent.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.tracemesh.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

class RouteTest {
    private static int ip(String dotted) {
        return Ipv4Address.parse(dotted);
    }

    @Test
    void aPrefixMatchesItsAddressesOnly() {
        Route r = new Route("eth0", ip("198.18.4.0"), 22, 0, 0, false);
        assertThat(r.matches(ip("198.18.4.0"))).isTrue();
        assertThat(r.matches(ip("198.18.7.255"))).isTrue();
        assertThat(r.matches(ip("198.18.3.255"))).isFalse();
        assertThat(r.matches(ip("198.18.8.0"))).isFalse();
    }

    @Test
    void theDefaultRouteMatchesEverything() {
        Route r = new Route("eth0", 0, 0, ip("198.18.0.1"), 0, false);
        assertThat(r.matches(0)).isTrue();
        assertThat(r.matches(-1)).isTrue();
        assertThat(r.matches(ip("128.0.0.1"))).isTrue();
    }

    @Test
    void hostRoutesAndHighAddresses() {
        Route host = new Route("eth0", ip("255.255.255.254"), 32, 0, 0, false);
        assertThat(host.matches(ip("255.255.255.254"))).isTrue();
        assertThat(host.matches(ip("255.255.255.255"))).isFalse();
        Route high = new Route("eth0", ip("224.0.0.0"), 4, 0, 0, false);
        assertThat(high.matches(ip("239.255.255.255"))).isTrue();
        assertThat(high.matches(ip("240.0.0.0"))).isFalse();
        Route one = new Route("eth0", ip("128.0.0.0"), 1, 0, 0, false);
        assertThat(one.matches(ip("255.0.0.1"))).isTrue();
        assertThat(one.matches(ip("127.255.255.255"))).isFalse();
    }

    @Test
    void hostBitsOfTheDestinationDoNotMatter() {
        Route r = new Route("eth0", ip("198.18.4.77"), 24, 0, 0, false);
        assertThat(r.matches(ip("198.18.4.1"))).isTrue();
    }

    @Test
    void onLinkMeansNoGateway() {
        assertThat(new Route("eth0", 0, 0, 0, 0, false).onLink()).isTrue();
        assertThat(new Route("eth0", 0, 0, ip("198.18.0.1"), 0, false).onLink()).isFalse();
    }

    @Test
    void refusesBadPrefixLengthsAndMissingInterfaces() {
        assertThatThrownBy(() -> new Route("eth0", 0, 33, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route("eth0", 0, -1, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route("", 0, 0, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route(null, 0, 0, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
