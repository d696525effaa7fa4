package net.tracemesh.agent.route;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import net.tracemesh.wire.Ipv4Address;

/** The interfaces of this process's network namespace that are up. */
public final class LocalInterfaces {
    private final List<LocalInterface> interfaces;

    public LocalInterfaces(List<LocalInterface> interfaces) {
        this.interfaces = List.copyOf(interfaces);
    }

    public static LocalInterfaces load() {
        List<LocalInterface> result = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) {
                    continue;
                }
                List<LocalInterface.InterfaceAddress> addresses = new ArrayList<>();
                for (java.net.InterfaceAddress ia : ni.getInterfaceAddresses()) {
                    if (ia.getAddress() instanceof Inet4Address v4) {
                        addresses.add(new LocalInterface.InterfaceAddress(
                                Ipv4Address.read(v4.getAddress(), 0), ia.getNetworkPrefixLength()));
                    }
                }
                byte[] mac = ni.getHardwareAddress();
                if (mac == null || mac.length != 6) {
                    mac = new byte[6];
                }
                result.add(new LocalInterface(ni.getName(), mac, ni.getMTU(), ni.isLoopback(), addresses));
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces: " + e.getMessage(), e);
        }
        return new LocalInterfaces(result);
    }

    public Optional<LocalInterface> byName(String name) {
        // plain loops: called for every destination a run starts
        for (LocalInterface i : interfaces) {
            if (i.name().equals(name)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The interface that owns an address, if the address is one of ours. */
    public Optional<LocalInterface> owning(int address) {
        for (LocalInterface i : interfaces) {
            for (LocalInterface.InterfaceAddress a : i.addresses()) {
                if (a.address() == address) {
                    return Optional.of(i);
                }
            }
        }
        return Optional.empty();
    }

    public Optional<LocalInterface> loopback() {
        return interfaces.stream().filter(LocalInterface::loopback).findFirst();
    }

    public List<LocalInterface> all() {
        return interfaces;
    }
}
