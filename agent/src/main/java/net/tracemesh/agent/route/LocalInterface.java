package net.tracemesh.agent.route;

import java.util.List;

/**
 * A network interface of this host with its IPv4 addresses.
 *
 * @param name      kernel name ("eth0", "lo")
 * @param mac       hardware address, six zero bytes when it has none (loopback)
 * @param mtu       the interface MTU
 * @param loopback  whether it is the loopback interface
 * @param addresses IPv4 addresses with their prefix lengths
 */
public record LocalInterface(String name, byte[] mac, int mtu, boolean loopback, List<InterfaceAddress> addresses) {
    public LocalInterface {
        if (mac == null || mac.length != 6) {
            throw new IllegalArgumentException("interface " + name + ": MAC must have 6 bytes");
        }
        mac = mac.clone();
        addresses = List.copyOf(addresses);
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /** An IPv4 address of an interface. */
    public record InterfaceAddress(int address, int prefixLength) {
        public boolean covers(int other) {
            if (prefixLength == 0) {
                return true;
            }
            int mask = -1 << (32 - prefixLength);
            return (address & mask) == (other & mask);
        }
    }
}
