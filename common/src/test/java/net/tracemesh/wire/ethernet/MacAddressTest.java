package net.tracemesh.wire.ethernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {

    @Test
    void parsesAndFormats() {
        byte[] mac = MacAddress.parse("4A:63:b8:40:53:ff");
        assertThat(mac).containsExactly(0x4A, 0x63, 0xB8, 0x40, 0x53, 0xFF);
        assertThat(MacAddress.format(mac)).isEqualTo("4a:63:b8:40:53:ff");
        assertThat(MacAddress.parse("02-00-5e-10-00-01")).containsExactly(2, 0, 0x5E, 0x10, 0, 1);
        assertThat(MacAddress.format(new byte[] {9, 9, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6}, 6)).isEqualTo("01:02:03:04:05:06");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "4a:63:b8:40:53", "4a:63:b8:40:53:ff:00", "4a:63:b8:40:53:fg", "4a-63:b8:40:53:ff",
            "4a:63:b8:40:53:f", "4a.63.b8.40.53.ff", "4a:63:b8:40:53:ff "})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a MAC address");
    }

    @Test
    void formatRejectsWrongLengths() {
        assertThatThrownBy(() -> MacAddress.format(new byte[5])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MacAddress.format((byte[]) null)).isInstanceOf(IllegalArgumentException.class);
    }
}
