package net.tracemesh.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4AddressTest {

    @Test
    void parsesAndFormats() {
        assertThat(Ipv4Address.parse("198.18.0.1")).isEqualTo(0xC6120001);
        assertThat(Ipv4Address.parse("0.0.0.0")).isZero();
        assertThat(Ipv4Address.parse("255.255.255.255")).isEqualTo(-1);
        assertThat(Ipv4Address.format(0xC6120001)).isEqualTo("198.18.0.1");
        assertThat(Ipv4Address.format(-1)).isEqualTo("255.255.255.255");
        assertThat(Ipv4Address.format(0)).isEqualTo("0.0.0.0");
        for (int i = 0; i < 1000; i++) {
            int addr = i * 0x9E3779B9;
            assertThat(Ipv4Address.parse(Ipv4Address.format(addr))).isEqualTo(addr);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-4", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4",
            "1..3.4", "a.b.c.d", "1.2.3.4.", "1234.1.1.1", "1.2.3.0x4", "::1"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Ipv4Address.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IPv4 address").hasMessageContaining(text);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Ipv4Address.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsAndWritesBigEndian() {
        byte[] b = new byte[6];
        Ipv4Address.write(b, 1, 0xC6120203);
        assertThat(b).containsExactly(0, 0xC6, 0x12, 0x02, 0x03, 0);
        assertThat(Ipv4Address.read(b, 1)).isEqualTo(0xC6120203);
    }

    @Test
    void prefixMembership() {
        int net = Ipv4Address.parse("198.18.0.0");
        assertThat(Ipv4Address.inPrefix(Ipv4Address.parse("198.19.255.255"), net, 15)).isTrue();
        assertThat(Ipv4Address.inPrefix(Ipv4Address.parse("198.20.0.0"), net, 15)).isFalse();
        assertThat(Ipv4Address.inPrefix(Ipv4Address.parse("10.0.0.1"), net, 0)).isTrue();
        assertThat(Ipv4Address.inPrefix(net, net, 32)).isTrue();
        assertThat(Ipv4Address.inPrefix(net + 1, net, 32)).isFalse();
        assertThat(Ipv4Address.inPrefix(Ipv4Address.parse("200.0.0.1"), Ipv4Address.parse("128.0.0.0"), 1)).isTrue();
        assertThatThrownBy(() -> Ipv4Address.inPrefix(0, 0, 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Address.inPrefix(0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
