package net.tracemesh.agent.route;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.tracemesh.wire.Ipv4Address;
import net.tracemesh.wire.ethernet.MacAddress;

/** The kernel's IPv4 neighbour (ARP) cache, read from /proc/net/arp. */
public final class NeighbourTable {
    static final Path PROC_ARP = Path.of("/proc/net/arp");
    private static final int ATF_COM = 0x2;

    private NeighbourTable() {
    }

    /** The completed entry for an address on an interface, if the kernel has one. */
    public static Optional<byte[]> lookup(String interfaceName, int address) {
        try {
            return lookup(Files.readAllLines(PROC_ARP), interfaceName, address);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<byte[]> lookup(List<String> lines, String interfaceName, int address) {
        String wanted = Ipv4Address.format(address);
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // IP address, HW type, Flags, HW address, Mask, Device
            if (f.length < 6 || !f[0].equals(wanted) || !f[5].equals(interfaceName)) {
                continue;
            }
            int flags = Integer.decode(f[2]);
            if ((flags & ATF_COM) == 0) {
                continue;
            }
            return Optional.of(MacAddress.parse(f[3]));
        }
        return Optional.empty();
    }
}
