package net.tracemesh.agent.lab;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills routing tables from a lab's cabling: every namespace with two or more links gets one route per lab subnet
 * it is not attached to, via the neighbour that starts a shortest path to that subnet (ties go to the earlier
 * cabled link, so the result is deterministic). Namespaces with a single link get one aggregate route through
 * their only neighbour. Callers then override what a scenario needs (multipath, route types) with
 * {@code ip route replace}.
 */
public final class StaticRoutes {
    private StaticRoutes() {
    }

    /** Installs the routes and returns, per namespace, the {@code ip route} lines it added. */
    public static Map<Netns, List<String>> install(NetnsLab lab, String leafAggregate) {
        List<Netns> namespaces = lab.namespaces();
        List<VethLink> links = lab.links();
        Set<String> subnets = new LinkedHashSet<>();
        for (Netns n : namespaces) {
            for (String cidr : n.addresses().keySet()) {
                subnets.add(Cidr.network(cidr));
            }
        }
        Map<Netns, List<String>> installed = new HashMap<>();
        for (Netns n : namespaces) {
            List<VethLink> own = links.stream().filter(l -> l.peerOf(n) != null).toList();
            List<String> lines = new ArrayList<>();
            if (own.size() == 1) {
                lines.add("route add " + leafAggregate + " via " + addressOn(own.get(0), own.get(0).peerOf(n)));
            } else if (own.size() > 1) {
                Set<String> attached = new LinkedHashSet<>();
                n.addresses().keySet().forEach(cidr -> attached.add(Cidr.network(cidr)));
                for (String subnet : subnets) {
                    if (!attached.contains(subnet)) {
                        VethLink first = firstLinkToward(n, subnet, links);
                        if (first != null) {
                            lines.add("route add " + subnet + " via " + addressOn(first, first.peerOf(n)));
                        }
                    }
                }
            }
            n.ipBatch(lines);
            installed.put(n, lines);
        }
        return installed;
    }

    /** Breadth-first search from {@code from}; returns the link leaving {@code from} on a shortest path. */
    private static VethLink firstLinkToward(Netns from, String subnet, List<VethLink> links) {
        Map<Netns, VethLink> firstHop = new HashMap<>();
        Deque<Netns> queue = new ArrayDeque<>();
        Set<Netns> seen = new LinkedHashSet<>();
        seen.add(from);
        queue.add(from);
        while (!queue.isEmpty()) {
            Netns current = queue.poll();
            if (current != from && attachedTo(current, subnet)) {
                return firstHop.get(current);
            }
            for (VethLink link : links) {
                Netns next = link.peerOf(current);
                if (next != null && seen.add(next)) {
                    firstHop.put(next, current == from ? link : firstHop.get(current));
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private static boolean attachedTo(Netns n, String subnet) {
        return n.addresses().keySet().stream().anyMatch(cidr -> Cidr.network(cidr).equals(subnet));
    }

    /** The address {@code side} has on {@code link}'s interface. */
    static String addressOn(VethLink link, Netns side) {
        String ifname = link.interfaceIn(side);
        return side.addresses().entrySet().stream()
                .filter(e -> e.getValue().equals(ifname))
                .map(e -> Cidr.address(e.getKey()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(side + " has no address on " + ifname));
    }

    /** Minimal IPv4 CIDR arithmetic for route computation. */
    static final class Cidr {
        private Cidr() {
        }

        static String address(String cidr) {
            return cidr.substring(0, cidr.indexOf('/'));
        }

        static String network(String cidr) {
            int length = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
            int mask = length == 0 ? 0 : -1 << (32 - length);
            return format(parse(address(cidr)) & mask) + "/" + length;
        }

        static int parse(String dotted) {
            String[] parts = dotted.split("\\.");
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            int value = 0;
            for (String part : parts) {
                value = (value << 8) | Integer.parseInt(part);
            }
            return value;
        }

        static String format(int address) {
            return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "."
                    + ((address >>> 8) & 0xff) + "." + (address & 0xff);
        }
    }
}
