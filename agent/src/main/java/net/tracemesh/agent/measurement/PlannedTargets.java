package net.tracemesh.agent.measurement;

import java.util.Arrays;
import net.tracemesh.wire.Ipv4Address;

/**
 * The addresses one round of a measurement probes, after the {@link TargetPolicy} accepted it: sorted in address
 * order (unsigned: {@code 10.0.0.1} before {@code 200.0.0.1}), without duplicates, at least one.
 *
 * @param addresses       the target addresses; copied in, and {@link #addresses()} returns a copy (use
 *                        {@link #count()} and {@link #address(int)} to walk them without copying)
 * @param worstCaseProbes the most probes one round can send to all of them
 */
public record PlannedTargets(int[] addresses, long worstCaseProbes) {
    public PlannedTargets {
        if (addresses == null || addresses.length == 0) {
            throw new IllegalArgumentException("addresses: at least one is needed");
        }
        addresses = addresses.clone();
        for (int i = 1; i < addresses.length; i++) {
            if (Integer.compareUnsigned(addresses[i - 1], addresses[i]) >= 0) {
                throw new IllegalArgumentException("addresses must be sorted and distinct: "
                        + Ipv4Address.format(addresses[i - 1]) + " comes before " + Ipv4Address.format(addresses[i]));
            }
        }
        if (worstCaseProbes < 1) {
            throw new IllegalArgumentException("worstCaseProbes must be at least 1, got " + worstCaseProbes);
        }
    }

    /** A copy of the addresses. */
    @Override
    public int[] addresses() {
        return addresses.clone();
    }

    /** How many addresses. */
    public int count() {
        return addresses.length;
    }

    /** The {@code i}th address in address order. */
    public int address(int i) {
        return addresses[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedTargets p && worstCaseProbes == p.worstCaseProbes
                && Arrays.equals(addresses, p.addresses);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(addresses) + Long.hashCode(worstCaseProbes);
    }

    @Override
    public String toString() {
        String first = Ipv4Address.format(addresses[0]);
        String last = Ipv4Address.format(addresses[addresses.length - 1]);
        return "PlannedTargets[" + addresses.length + " addresses " + first
                + (addresses.length > 1 ? ".." + last : "") + ", worstCaseProbes=" + worstCaseProbes + "]";
    }
}
