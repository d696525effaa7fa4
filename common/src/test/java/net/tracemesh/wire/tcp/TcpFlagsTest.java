package net.tracemesh.wire.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpFlagsTest {

    @Test
    void formatsLettersInBitOrder() {
        assertThat(TcpFlags.format(TcpFlags.SYN | TcpFlags.ACK)).isEqualTo("SA");
        assertThat(TcpFlags.format(TcpFlags.RST | TcpFlags.ACK)).isEqualTo("RA");
        assertThat(TcpFlags.format(TcpFlags.RST)).isEqualTo("R");
        assertThat(TcpFlags.format(TcpFlags.FIN | TcpFlags.PSH | TcpFlags.ACK)).isEqualTo("FPA");
        assertThat(TcpFlags.format(0xFF)).isEqualTo("FSRPAUEC");
        assertThat(TcpFlags.format(0)).isEmpty();
        assertThat(TcpFlags.has(TcpFlags.SYN | TcpFlags.ACK, TcpFlags.SYN)).isTrue();
        assertThat(TcpFlags.has(TcpFlags.SYN, TcpFlags.SYN | TcpFlags.ACK)).isFalse();
    }
}
