package net.tracemesh.wire.ethernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import net.tracemesh.wire.Captures;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.MalformedPacketException.Reason;
import net.tracemesh.wire.MalformedPacketException;
import org.junit.jupiter.api.Test;

class ArpCodecTest {
    private static final byte[] MAC = MacAddress.parse("02:00:5e:10:00:01");

    @Test
    void roundTrips() {
        ArpPacket p = new ArpPacket(ArpOperation.REQUEST, MAC, Ipv4Address.parse("198.18.1.2"), new byte[6],
                Ipv4Address.parse("198.18.1.1"));
        byte[] bytes = ArpCodec.encode(p);
        assertThat(bytes).hasSize(28);
        assertThat(ArpCodec.decode(bytes, 0, bytes.length)).isEqualTo(p);
        byte[] out = new byte[40];
        assertThat(ArpCodec.encode(p, out, 5)).isEqualTo(28);
        assertThat(ArpCodec.decode(out, 5, 35)).isEqualTo(p);
    }

    @Test
    void decodesCapturedRequestAndReply() {
        List<byte[]> frames = Captures.frames("arp");
        byte[] request = frames.get(0);
        ArpPacket req = ArpCodec.decode(request, 14, request.length - 14);
        assertThat(req.operation()).isEqualTo(ArpOperation.REQUEST);
        assertThat(MacAddress.format(req.senderMac())).isEqualTo(Captures.PROBER_MAC);
        assertThat(req.senderIp()).isEqualTo(Captures.PROBER);
        assertThat(req.targetMac()).containsOnly(0);
        assertThat(req.targetIp()).isEqualTo(Captures.ROUTER);

        byte[] reply = frames.get(1);
        ArpPacket rep = ArpCodec.decode(reply, 14, reply.length - 14);
        assertThat(rep.operation()).isEqualTo(ArpOperation.REPLY);
        assertThat(MacAddress.format(rep.senderMac())).isEqualTo(Captures.ROUTER_MAC);
        assertThat(rep.senderIp()).isEqualTo(Captures.ROUTER);
        assertThat(MacAddress.format(rep.targetMac())).isEqualTo(Captures.PROBER_MAC);
        assertThat(rep.targetIp()).isEqualTo(Captures.PROBER);
        assertThat(ArpCodec.encode(rep)).isEqualTo(Arrays.copyOfRange(reply, 14, 42));
    }

    @Test
    void rejectsTruncatedAndForeignPackets() {
        byte[] bytes = ArpCodec.encode(new ArpPacket(ArpOperation.REPLY, MAC, 1, MAC, 2));
        for (int len = 0; len < 28; len++) {
            int n = len;
            assertThatThrownBy(() -> ArpCodec.decode(bytes, 0, n)).isInstanceOfSatisfying(
                    MalformedPacketException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
        }
        for (int field : new int[] {1, 3, 4, 5}) {
            byte[] bad = bytes.clone();
            bad[field] ^= 0x40;
            assertThatThrownBy(() -> ArpCodec.decode(bad, 0, bad.length)).isInstanceOfSatisfying(
                    MalformedPacketException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_FIELD));
        }
    }

    @Test
    void packetValidates() {
        assertThatThrownBy(() -> new ArpPacket(0x10000, MAC, 0, MAC, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArpPacket(1, new byte[7], 0, MAC, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArpPacket(1, MAC, 0, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ArpPacket(2, MAC, 1, MAC, 2).toString()).contains("reply", "0.0.0.1", "02:00:5e:10:00:01");
    }
}
