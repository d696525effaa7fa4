package net.tracemesh.agent.route;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.tracemesh.agent.capture.PacketChannel;
import net.tracemesh.agent.capture.PacketChannels;
import net.tracemesh.wire.MalformedPacketException;
import net.tracemesh.wire.ethernet.ArpCodec;
import net.tracemesh.wire.ethernet.ArpOperation;
import net.tracemesh.wire.ethernet.ArpPacket;
import net.tracemesh.wire.ethernet.EtherType;
import net.tracemesh.wire.ethernet.EthernetCodec;
import net.tracemesh.wire.ethernet.EthernetHeader;
import net.tracemesh.wire.ethernet.MacAddress;

/** Resolves a neighbour's MAC address with ARP requests of our own when the kernel's cache has none. */
final class ArpResolver {
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    private static final int ATTEMPTS = 3;

    private ArpResolver() {
    }

    static Optional<byte[]> resolve(LocalInterface iface, int source, int target, Duration timeoutPerAttempt) {
        BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>(1024);
        byte[] ourMac = iface.mac();
        try (PacketChannel channel = PacketChannels.open(iface.name())) {
            channel.startCapture("arp and ether dst " + MacAddress.format(ourMac), (frame, ts) -> frames.offer(frame));
            byte[] request = new byte[14 + 28];
            EthernetCodec.encode(BROADCAST, ourMac, EtherType.ARP, request, 0);
            byte[] arp = ArpCodec.encode(new ArpPacket(ArpOperation.REQUEST, ourMac, source, new byte[6], target));
            System.arraycopy(arp, 0, request, 14, arp.length);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                channel.send(request, request.length);
                long deadline = System.nanoTime() + timeoutPerAttempt.toNanos();
                long left;
                while ((left = deadline - System.nanoTime()) > 0) {
                    byte[] frame = frames.poll(left, TimeUnit.NANOSECONDS);
                    if (frame == null) {
                        break;
                    }
                    Optional<byte[]> mac = answer(frame, target);
                    if (mac.isPresent()) {
                        return mac;
                    }
                }
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<byte[]> answer(byte[] frame, int target) {
        try {
            EthernetHeader eth = EthernetCodec.decode(frame, 0, frame.length);
            if (eth.etherType() != EtherType.ARP) {
                return Optional.empty();
            }
            ArpPacket arp = ArpCodec.decode(frame, eth.headerLength(), frame.length - eth.headerLength());
            if (arp.operation() == ArpOperation.REPLY && arp.senderIp() == target
                    && !Arrays.equals(arp.senderMac(), new byte[6])) {
                return Optional.of(arp.senderMac());
            }
        } catch (MalformedPacketException e) {
            // someone else's garbage on the wire: keep waiting
        }
        return Optional.empty();
    }
}
