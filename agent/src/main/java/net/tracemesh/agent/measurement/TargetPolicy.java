package net.tracemesh.agent.measurement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.tracemesh.agent.measurement.PolicyViolation.Reason;
import net.tracemesh.measurement.Ipv4Prefix;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.measurement.TraceSettings;
import net.tracemesh.wire.Ipv4Address;

/**
 * What this agent agrees to probe for a scheduled measurement. {@link #check} expands a definition's targets and
 * refuses the whole definition if any target address is one no agent may probe (multicast 224.0.0.0/4, reserved
 * 240.0.0.0/4 with the broadcast address 255.255.255.255, "this network" 0.0.0.0/8), loopback 127.0.0.0/8 unless
 * allowed, an address of the deny list, or if the definition is too large. Link-local 169.254.0.0/16 is allowed.
 *
 * <p>A prefix means its host addresses, as on the command line: for /0 to /30 without the network and broadcast
 * addresses, for /31 and /32 every address. All checks are arithmetic on address ranges, made before anything is
 * allocated, so a /0 target costs no more than a /32.
 *
 * @param allowLoopback      whether 127.0.0.0/8 may be probed
 * @param denyPrefixes       addresses and prefixes never probed ({@code 198.51.100.0/24}), host bits zero
 * @param maxProbesPerRound  the most probes one round of one measurement may send (worst case), at least 1
 * @param maxTargets         the most target addresses of one measurement, 1..{@value #MAX_TARGETS_LIMIT}
 */
public record TargetPolicy(boolean allowLoopback, List<String> denyPrefixes, long maxProbesPerRound,
                           int maxTargets) {
    /** The highest {@code maxTargets} accepted: a /8 (64 MiB of addresses in memory). */
    public static final int MAX_TARGETS_LIMIT = 1 << 24;
    /** Prefixes this long or longer mean every address; shorter ones leave out network and broadcast. */
    public static final int ALL_ADDRESSES_FROM_LENGTH = 31;

    private static final String NEVER = "no agent probes these addresses";
    private static final List<Forbidden> ALWAYS_FORBIDDEN = List.of(
            new Forbidden(Ipv4Prefix.parse("0.0.0.0/8"), "\"this network\"", NEVER),
            new Forbidden(Ipv4Prefix.parse("224.0.0.0/4"), "multicast", NEVER),
            new Forbidden(Ipv4Prefix.parse("240.0.0.0/4"), "reserved, with the broadcast address 255.255.255.255",
                    NEVER));
    private static final Forbidden LOOPBACK = new Forbidden(Ipv4Prefix.parse("127.0.0.0/8"), "loopback",
            "probed only when the agent allows loopback (allow-loopback)");

    public TargetPolicy {
        denyPrefixes = List.copyOf(denyPrefixes == null ? List.of() : denyPrefixes);
        for (int i = 0; i < denyPrefixes.size(); i++) {
            try {
                Ipv4Prefix.parse(denyPrefixes.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("deny[" + i + "]: " + e.getMessage());
            }
        }
        if (maxProbesPerRound < 1) {
            throw new IllegalArgumentException("max probes per round must be at least 1, got " + maxProbesPerRound);
        }
        if (maxTargets < 1 || maxTargets > MAX_TARGETS_LIMIT) {
            throw new IllegalArgumentException("max targets must be 1.." + MAX_TARGETS_LIMIT + ", got " + maxTargets);
        }
    }

    /** One rule: a forbidden block of addresses, what it is, and why it is refused. */
    private record Forbidden(Ipv4Prefix prefix, String what, String rule) {
    }

    /** An inclusive range of addresses as unsigned values in longs. */
    private record Range(long low, long high) {
        long size() {
            return high - low + 1;
        }

        boolean intersects(Range o) {
            return low <= o.high && o.low <= high;
        }

        boolean within(Range o) {
            return o.low <= low && high <= o.high;
        }
    }

    /**
     * Expands and checks a definition.
     *
     * @return the distinct target addresses in address order and the worst case probes of one round
     * @throws PolicyViolation if any target address is forbidden, if there are more than {@code maxTargets}
     *                         addresses, or if one round could send more than {@code maxProbesPerRound} probes
     */
    public PlannedTargets check(MeasurementDefinition d) throws PolicyViolation {
        List<Forbidden> forbidden = forbidden();
        List<Ipv4Prefix> prefixes = d.targetPrefixes();
        List<Range> ranges = new ArrayList<>(prefixes.size());
        for (int i = 0; i < prefixes.size(); i++) {
            Range probed = probedRange(prefixes.get(i));
            for (Forbidden f : forbidden) {
                Range block = rangeOf(f.prefix());
                if (probed.intersects(block)) {
                    throw new PolicyViolation(Reason.FORBIDDEN_TARGET, "measurement " + d.id() + ": targets[" + i
                            + "] '" + d.targets().get(i) + "' " + where(probed, block) + " " + f.prefix() + " ("
                            + f.what() + "): " + f.rule());
                }
            }
            ranges.add(probed);
        }

        List<Range> merged = merge(ranges);
        long count = merged.stream().mapToLong(Range::size).sum();
        if (count > maxTargets) {
            throw new PolicyViolation(Reason.TOO_MANY_TARGETS, "measurement " + d.id() + " has " + count
                    + " target addresses after expanding prefixes, more than the agent's limit of " + maxTargets
                    + " (max-targets)");
        }

        long perTarget = d.worstCaseProbesPerTarget();
        long worstCase = count * perTarget;
        if (worstCase > maxProbesPerRound) {
            throw new PolicyViolation(Reason.OVER_BUDGET, "measurement " + d.id() + " may send up to " + worstCase
                    + " probes per round (" + budgetFormula(d, count) + "), more than the agent's limit of "
                    + maxProbesPerRound + " (max-probes-per-round)");
        }

        int[] addresses = new int[(int) count];
        int n = 0;
        for (Range r : merged) {
            for (long a = r.low(); a <= r.high(); a++) {
                addresses[n++] = (int) a;
            }
        }
        return new PlannedTargets(addresses, worstCase);
    }

    private List<Forbidden> forbidden() {
        List<Forbidden> rules = new ArrayList<>(ALWAYS_FORBIDDEN);
        if (!allowLoopback) {
            rules.add(LOOPBACK);
        }
        for (String deny : denyPrefixes) {
            rules.add(new Forbidden(Ipv4Prefix.parse(deny), "deny list", "this agent never probes them"));
        }
        return rules;
    }

    /** The addresses a target prefix stands for (without network and broadcast below /31). */
    static Range probedRange(Ipv4Prefix p) {
        Range all = rangeOf(p);
        return p.length() >= ALL_ADDRESSES_FROM_LENGTH ? all : new Range(all.low() + 1, all.high() - 1);
    }

    private static Range rangeOf(Ipv4Prefix p) {
        return new Range(Integer.toUnsignedLong(p.first()), Integer.toUnsignedLong(p.last()));
    }

    private static String where(Range probed, Range block) {
        if (probed.within(block)) {
            return "is in";
        }
        return "includes " + Ipv4Address.format((int) Math.max(probed.low(), block.low())) + ", in";
    }

    private static List<Range> merge(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::low));
        List<Range> merged = new ArrayList<>();
        for (Range r : sorted) {
            Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r.low() <= last.high() + 1) {
                merged.set(merged.size() - 1, new Range(last.low(), Math.max(last.high(), r.high())));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    private static String budgetFormula(MeasurementDefinition d, long count) {
        if (!d.method().isTrace()) {
            return count + " targets x " + d.ping().count() + " pings";
        }
        TraceSettings t = d.trace();
        return count + " targets x " + t.probesPerHop() + " probes per hop x " + t.ttlCount() + " TTLs x "
                + (1 + t.retries()) + " attempts";
    }
}
