package net.tracemesh.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.tracemesh.wire.ipv4.IpProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProbeMethodTest {

    @ParameterizedTest
    @EnumSource(ProbeMethod.class)
    void cliNamesRoundTrip(ProbeMethod method) {
        assertThat(ProbeMethod.fromCliName(method.cliName())).isSameAs(method);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "UDP", "icmp", "paris", "udp ", "tcp-syn"})
    void unknownNamesAreRefusedWithTheChoices(String name) {
        assertThatThrownBy(() -> ProbeMethod.fromCliName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown method '" + name + "' (expected one of udp, udp-paris, icmp-paris, tcp)");
    }

    @Test
    void nullNameIsRefused() {
        assertThatThrownBy(() -> ProbeMethod.fromCliName(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void protocolsPortsAndSizes() {
        assertThat(ProbeMethod.UDP.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(ProbeMethod.UDP_PARIS.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(ProbeMethod.ICMP_PARIS.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(ProbeMethod.TCP.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(ProbeMethod.UDP.defaultPort()).isEqualTo(33_434);
        assertThat(ProbeMethod.TCP.defaultPort()).isEqualTo(80);
        assertThat(ProbeMethod.UDP.minimumSize()).isEqualTo(32);
        assertThat(ProbeMethod.ICMP_PARIS.minimumSize()).isEqualTo(32);
        assertThat(ProbeMethod.TCP.minimumSize()).isEqualTo(40);
        for (ProbeMethod m : ProbeMethod.values()) {
            assertThat(m.defaultSize()).isGreaterThanOrEqualTo(m.minimumSize());
        }
        assertThat(ProbeMethod.UDP.paris()).isFalse();
        assertThat(ProbeMethod.UDP_PARIS.paris()).isTrue();
        assertThat(ProbeMethod.ICMP_PARIS.paris()).isTrue();
    }
}
