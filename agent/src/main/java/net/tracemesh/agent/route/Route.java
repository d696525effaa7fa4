package net.tracemesh.agent.route;

/**
 * One IPv4 route of the kernel's main table.
 *
 * @param interfaceName outgoing interface ("*" for reject routes)
 * @param destination   network address
 * @param prefixLength  0..32
 * @param gateway       next-hop router, 0 when the destination is on-link
 * @param metric        route metric, lower wins among equal prefixes
 * @param reject        unreachable, prohibit or blackhole route: nothing can be sent
 */
public record Route(String interfaceName, int destination, int prefixLength, int gateway, int metric,
                    boolean reject) {
    public Route {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32, got " + prefixLength);
        }
        if (interfaceName == null || interfaceName.isEmpty()) {
            throw new IllegalArgumentException("route without interface");
        }
    }

    public boolean matches(int address) {
        if (prefixLength == 0) {
            return true;
        }
        int mask = -1 << (32 - prefixLength);
        return (address & mask) == (destination & mask);
    }

    public boolean onLink() {
        return gateway == 0;
    }
}
