package net.tracemesh.agent.route;

/**
 * How probes toward a destination leave this host.
 *
 * @param interfaceName outgoing interface
 * @param source        source address of our probes
 * @param sourceMac     our interface's MAC
 * @param nextHopMac    the MAC of the next hop (gateway, or the destination when on-link)
 * @param nextHop       the next hop's address
 * @param mtu           the interface MTU
 */
public record Egress(String interfaceName, int source, byte[] sourceMac, byte[] nextHopMac, int nextHop, int mtu) {
    public Egress {
        if (sourceMac.length != 6 || nextHopMac.length != 6) {
            throw new IllegalArgumentException("MAC addresses have 6 bytes");
        }
        sourceMac = sourceMac.clone();
        nextHopMac = nextHopMac.clone();
    }

    @Override
    public byte[] sourceMac() {
        return sourceMac.clone();
    }

    @Override
    public byte[] nextHopMac() {
        return nextHopMac.clone();
    }
}
