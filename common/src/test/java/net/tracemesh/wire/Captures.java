package net.tracemesh.wire;

import java.util.Arrays;
import java.util.List;

import net.tracemesh.wire.ethernet.EtherType;
import net.tracemesh.wire.ethernet.EthernetCodec;
import net.tracemesh.wire.ethernet.EthernetHeader;
import net.tracemesh.wire.ipv4.Ipv4Codec;
import net.tracemesh.wire.ipv4.Ipv4Packet;

/**
 * The captures in {@code src/test/resources/captures}, made by {@code capture-lab.sh} in network namespaces:
 * a prober 198.18.1.2 behind a Linux router 198.18.1.1 / 198.18.2.1, and a target 198.18.2.2 (link MTU 600,
 * TCP listener on port 80). Every capture was taken on the prober's interface.
 */
public final class Captures {
    public static final int PROBER = Ipv4Address.parse("198.18.1.2");
    public static final int ROUTER = Ipv4Address.parse("198.18.1.1");
    public static final int TARGET = Ipv4Address.parse("198.18.2.2");
    public static final String PROBER_MAC = "86:94:ea:14:64:3c";
    public static final String ROUTER_MAC = "4a:63:b8:40:53:ff";

    /** Every capture file, by name. */
    public static final List<String> NAMES = List.of("admin-prohibited", "arp", "echo", "frag-needed",
            "host-unreachable", "net-unreachable", "parameter-problem", "port-unreachable", "tcp-rst", "tcp-syn-ack",
            "time-exceeded-icmp", "time-exceeded-ip-options", "time-exceeded-tcp", "time-exceeded-udp", "timestamp");

    private Captures() {
    }

    /** The frames of capture {@code name}. */
    public static List<byte[]> frames(String name) {
        return PcapFile.readCapture(name).stream().map(PcapFile.Record::data).toList();
    }

    /** The IPv4 datagram in {@code frame}, checking the Ethernet header on the way. */
    public static Ipv4Packet ipv4(byte[] frame) {
        EthernetHeader eth = EthernetCodec.decode(frame, 0, frame.length);
        if (eth.etherType() != EtherType.IPV4) {
            throw new AssertionError("not an IPv4 frame: " + eth);
        }
        return Ipv4Codec.decode(frame, eth.headerLength(), frame.length - eth.headerLength());
    }

    /** The IPv4 datagram of frame {@code index} of capture {@code name}. */
    public static Ipv4Packet ipv4(String name, int index) {
        return ipv4(frames(name).get(index));
    }

    /** The IPv4 datagram bytes (no Ethernet header) of frame {@code index} of capture {@code name}. */
    public static byte[] ipv4Bytes(String name, int index) {
        byte[] frame = frames(name).get(index);
        return Arrays.copyOfRange(frame, EthernetHeader.LENGTH, frame.length);
    }
}
