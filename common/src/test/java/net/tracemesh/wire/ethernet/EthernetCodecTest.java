package net.tracemesh.wire.ethernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import net.tracemesh.wire.Captures;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.MalformedPacketException.Reason;
import org.junit.jupiter.api.Test;

class EthernetCodecTest {
    private static final byte[] DST = MacAddress.parse("ff:ff:ff:ff:ff:ff");
    private static final byte[] SRC = MacAddress.parse("02:00:5e:10:00:01");

    @Test
    void roundTrips() {
        byte[] out = new byte[20];
        assertThat(EthernetCodec.encode(DST, SRC, EtherType.IPV4, out, 3)).isEqualTo(14);
        EthernetHeader h = EthernetCodec.decode(out, 3, 17);
        assertThat(h).isEqualTo(new EthernetHeader(DST, SRC, EtherType.IPV4, 14));
        assertThat(h.tagged()).isFalse();
        assertThat(EthernetCodec.encode(DST, SRC, EtherType.ARP)).isEqualTo(
                HexFormat.of().parseHex("ffffffffffff02005e1000010806"));
    }

    @Test
    void skipsOne8021QTag() {
        byte[] frame = HexFormat.of().parseHex("ffffffffffff02005e100001" + "8100" + "0064" + "0800" + "45");
        EthernetHeader h = EthernetCodec.decode(frame, 0, frame.length);
        assertThat(h.etherType()).isEqualTo(EtherType.IPV4);
        assertThat(h.headerLength()).isEqualTo(18);
        assertThat(h.tagged()).isTrue();
        assertThat(h.source()).isEqualTo(SRC);
        assertThat(h.toString()).contains("802.1Q");
    }

    @Test
    void decodesCapturedFrames() {
        byte[] request = Captures.frames("echo").get(0);
        EthernetHeader h = EthernetCodec.decode(request, 0, request.length);
        assertThat(MacAddress.format(h.source())).isEqualTo(Captures.PROBER_MAC);
        assertThat(MacAddress.format(h.destination())).isEqualTo(Captures.ROUTER_MAC);
        assertThat(h.etherType()).isEqualTo(EtherType.IPV4);
        assertThat(h.headerLength()).isEqualTo(14);
        byte[] arp = Captures.frames("arp").get(0);
        EthernetHeader a = EthernetCodec.decode(arp, 0, arp.length);
        assertThat(a.etherType()).isEqualTo(EtherType.ARP);
        assertThat(MacAddress.format(a.destination())).isEqualTo("ff:ff:ff:ff:ff:ff");
    }

    @Test
    void rejectsTruncatedFrames() {
        byte[] frame = HexFormat.of().parseHex("ffffffffffff02005e100001" + "8100" + "0064" + "0800");
        for (int len = 0; len < 14; len++) {
            int n = len;
            assertThatThrownBy(() -> EthernetCodec.decode(frame, 0, n))
                    .isInstanceOfSatisfying(MalformedPacketException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
        }
        for (int len = 14; len < 18; len++) {
            int n = len;
            assertThatThrownBy(() -> EthernetCodec.decode(frame, 0, n)).isInstanceOf(MalformedPacketException.class)
                    .hasMessageContaining("802.1Q");
        }
        assertThatThrownBy(() -> EthernetCodec.decode(frame, 10, 14)).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> EthernetCodec.decode(frame, -1, 14)).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> EthernetCodec.decode(null, 0, 14)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void headerValidatesAndCopies() {
        byte[] src = SRC.clone();
        EthernetHeader h = new EthernetHeader(DST, src, 0x86DD, 14);
        src[0] = 9;
        assertThat(h.source()[0]).isEqualTo((byte) 2);
        h.source()[0] = 9;
        assertThat(h.source()[0]).isEqualTo((byte) 2);
        assertThatThrownBy(() -> new EthernetHeader(new byte[5], SRC, 0, 14))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EthernetHeader(DST, SRC, 0x10000, 14))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EthernetHeader(DST, SRC, 0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EthernetCodec.encode(DST, SRC, 0x800, new byte[13], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
