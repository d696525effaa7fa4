package net.tracemesh.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4PrefixTest {
    @Test
    void parsesAddressesAndPrefixes() {
        assertThat(Ipv4Prefix.parse("198.18.1.1")).isEqualTo(new Ipv4Prefix(0xC6120101, 32));
        Ipv4Prefix p = Ipv4Prefix.parse("198.18.0.0/15");
        assertThat(p.first()).isEqualTo(0xC6120000);
        assertThat(p.last()).isEqualTo(0xC613FFFF);
        assertThat(p.addressCount()).isEqualTo(131072);
        assertThat(p).hasToString("198.18.0.0/15");
        Ipv4Prefix everything = Ipv4Prefix.parse("0.0.0.0/0");
        assertThat(everything.addressCount()).isEqualTo(1L << 32);
        assertThat(everything.last()).isEqualTo(-1);
        assertThat(everything.contains(0xE0000001)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/24", "198.18.0.0/33", "198.18.0.0/-1", "198.18.0.0/ 8", "198.18.0.0/24/1",
            "198.18.0", "198.18.0.01", "::1", "198.18.0.0/0x10", "198.18.0.0/100"})
    void refusesMalformedText(String text) {
        assertThatThrownBy(() -> Ipv4Prefix.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not an IPv4 address or prefix (");
    }

    @Test
    void refusesHostBits() {
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.0.1/8"))
                .hasMessage("'10.0.0.1/8' has host bits set (the network is 10.0.0.0/8)");
        assertThatThrownBy(() -> new Ipv4Prefix(1, 0)).hasMessageContaining("host bits set");
        assertThatThrownBy(() -> new Ipv4Prefix(0, 33)).hasMessage("prefix length must be 0..32, got 33");
        assertThatThrownBy(() -> Ipv4Prefix.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlapsEitherWay() {
        Ipv4Prefix wide = Ipv4Prefix.parse("192.0.0.0/2");
        Ipv4Prefix multicast = Ipv4Prefix.parse("224.0.0.0/4");
        assertThat(wide.overlaps(multicast)).isTrue();
        assertThat(multicast.overlaps(wide)).isTrue();
        assertThat(Ipv4Prefix.parse("198.18.0.0/16").overlaps(Ipv4Prefix.parse("198.19.0.0/16"))).isFalse();
        assertThat(Ipv4Prefix.parse("0.0.0.0/0").overlaps(Ipv4Prefix.parse("255.255.255.255"))).isTrue();
        assertThat(Ipv4Prefix.mask(0)).isZero();
        assertThat(Ipv4Prefix.mask(24)).isEqualTo(0xFFFFFF00);
        assertThat(Ipv4Prefix.mask(32)).isEqualTo(-1);
    }
}
