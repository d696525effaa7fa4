package net.tracemesh.wire.ethernet;

import java.util.Arrays;

import net.tracemesh.wire.Bytes;
import net.tracemesh.wire.Ipv4Address;

/**
 * An ARP packet for IPv4 over Ethernet.
 *
 * @param operation {@link ArpOperation}, 0..0xFFFF
 * @param senderMac sender hardware address, 6 bytes
 * @param senderIp  sender protocol address
 * @param targetMac target hardware address, 6 bytes (zero in requests)
 * @param targetIp  target protocol address
 */
public record ArpPacket(int operation, byte[] senderMac, int senderIp, byte[] targetMac, int targetIp) {

    public ArpPacket {
        Bytes.checkUnsigned("operation", operation, 0xFFFF);
        senderMac = MacAddress.checkedCopy("senderMac", senderMac);
        targetMac = MacAddress.checkedCopy("targetMac", targetMac);
    }

    @Override
    public byte[] senderMac() {
        return senderMac.clone();
    }

    @Override
    public byte[] targetMac() {
        return targetMac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArpPacket p && operation == p.operation && Arrays.equals(senderMac, p.senderMac)
                && senderIp == p.senderIp && Arrays.equals(targetMac, p.targetMac) && targetIp == p.targetIp;
    }

    @Override
    public int hashCode() {
        return (((operation * 31 + Arrays.hashCode(senderMac)) * 31 + senderIp) * 31 + Arrays.hashCode(targetMac))
                * 31 + targetIp;
    }

    @Override
    public String toString() {
        return "ArpPacket[" + ArpOperation.name(operation) + ", sender " + MacAddress.format(senderMac) + " "
                + Ipv4Address.format(senderIp) + ", target " + MacAddress.format(targetMac) + " "
                + Ipv4Address.format(targetIp) + "]";
    }
}
