package net.tracemesh.wire.icmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import net.tracemesh.wire.ipv4.IpProtocol;
import org.junit.jupiter.api.Test;

class QuotedDatagramTest {
    private static final byte[] EIGHT = {(byte) 0x9C, 0x40, (byte) 0x82, (byte) 0x9B, 0x00, 0x28, 0x5A, 0x5B};

    @Test
    void accessorsReadTheFirstEightTransportBytes() {
        QuotedDatagram q = new QuotedDatagram(IcmpTestData.probeHeader(IpProtocol.UDP, 40), EIGHT);
        assertThat(q.sourcePort()).isEqualTo(40000);
        assertThat(q.destinationPort()).isEqualTo(33435);
        assertThat(q.udpLength()).isEqualTo(40);
        assertThat(q.udpChecksum()).isEqualTo(0x5A5B);
        assertThat(q.tcpSequence()).isEqualTo(0x00285A5BL);
        assertThat(q.icmpType()).isEqualTo(0x9C);
        assertThat(q.icmpCode()).isEqualTo(0x40);
        assertThat(q.icmpChecksum()).isEqualTo(0x829B);
        assertThat(q.icmpIdentifier()).isEqualTo(0x0028);
        assertThat(q.icmpSequence()).isEqualTo(0x5A5B);
        assertThat(q.length()).isEqualTo(28);
    }

    @Test
    void accessorsReturnMinusOneWhenTheQuoteIsTooShort() {
        for (int n = 0; n <= 8; n++) {
            QuotedDatagram q = new QuotedDatagram(IcmpTestData.probeHeader(IpProtocol.UDP, 40),
                    Arrays.copyOf(EIGHT, n));
            assertThat(q.transportLength()).isEqualTo(n);
            assertThat(q.icmpType() >= 0).isEqualTo(n >= 1);
            assertThat(q.icmpCode() >= 0).isEqualTo(n >= 2);
            assertThat(q.sourcePort() >= 0).isEqualTo(n >= 2);
            assertThat(q.destinationPort() >= 0).isEqualTo(n >= 4);
            assertThat(q.icmpChecksum() >= 0).isEqualTo(n >= 4);
            assertThat(q.udpLength() >= 0).isEqualTo(n >= 6);
            assertThat(q.icmpIdentifier() >= 0).isEqualTo(n >= 6);
            assertThat(q.udpChecksum() >= 0).isEqualTo(n >= 8);
            assertThat(q.icmpSequence() >= 0).isEqualTo(n >= 8);
            assertThat(q.tcpSequence() >= 0).isEqualTo(n >= 8);
        }
    }

    @Test
    void copiesItsBytesAndRequiresAHeader() {
        byte[] transport = EIGHT.clone();
        QuotedDatagram q = new QuotedDatagram(IcmpTestData.probeHeader(IpProtocol.UDP, 40), transport);
        transport[0] = 0;
        q.transport()[1] = 0;
        assertThat(q.transport()).isEqualTo(EIGHT);
        assertThat(new QuotedDatagram(q.header(), null).transportLength()).isZero();
        assertThatThrownBy(() -> new QuotedDatagram(null, EIGHT)).isInstanceOf(NullPointerException.class);
        assertThat(q).isEqualTo(new QuotedDatagram(q.header(), EIGHT)).hasSameHashCodeAs(
                new QuotedDatagram(q.header(), EIGHT));
    }
}
