package net.tracemesh.collector.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.tracemesh.record.MplsLabel;

/**
 * The forwarding path one flow takes through the {@link SyntheticTopology}: the routers in order, then the
 * destination. Position {@code i} is what a probe with TTL {@code i + 1} reaches.
 *
 * @param addresses    router addresses (IPv4 as int), the destination last
 * @param oneWayMicros one-way delay from the agent to each position, in microseconds, non-decreasing
 * @param mpls         the MPLS label stack each position quotes in its time-exceeded replies (RFC 4950), null
 *                     entries for routers outside an MPLS tunnel
 */
record NetworkPath(int[] addresses, int[] oneWayMicros, List<List<MplsLabel>> mpls) {
    NetworkPath {
        if (addresses.length == 0 || addresses.length != oneWayMicros.length || addresses.length != mpls.size()) {
            throw new IllegalArgumentException("a path has as many delays and label stacks as positions, got "
                    + addresses.length + "/" + oneWayMicros.length + "/" + mpls.size());
        }
        for (int i = 1; i < oneWayMicros.length; i++) {
            if (oneWayMicros[i] < oneWayMicros[i - 1]) {
                throw new IllegalArgumentException("one-way delays must not decrease along a path");
            }
        }
        addresses = addresses.clone();
        oneWayMicros = oneWayMicros.clone();
        mpls = Collections.unmodifiableList(new ArrayList<>(mpls));
    }

    /** Number of positions, the destination included: the TTL at which a probe reaches the destination. */
    int length() {
        return addresses.length;
    }

    /** The address at TTL {@code ttl} (1-based); the caller checks {@code ttl <= length()}. */
    int addressAt(int ttl) {
        return addresses[ttl - 1];
    }

    int oneWayMicrosAt(int ttl) {
        return oneWayMicros[ttl - 1];
    }

    /** The label stack quoted at TTL {@code ttl}, or null. */
    List<MplsLabel> mplsAt(int ttl) {
        return mpls.get(ttl - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkPath p && Arrays.equals(addresses, p.addresses)
                && Arrays.equals(oneWayMicros, p.oneWayMicros) && mpls.equals(p.mpls);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(addresses) * 31 + Arrays.hashCode(oneWayMicros);
    }

    @Override
    public String toString() {
        return "NetworkPath" + Arrays.toString(addresses);
    }
}
