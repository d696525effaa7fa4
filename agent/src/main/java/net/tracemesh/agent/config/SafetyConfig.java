package net.tracemesh.agent.config;

import java.util.List;
import net.tracemesh.agent.measurement.TargetPolicy;
import net.tracemesh.measurement.Ipv4Prefix;

/**
 * What the agent refuses to probe ({@code safety:} in agent.yaml); see {@link TargetPolicy}.
 *
 * @param allowLoopback     probe 127.0.0.0/8 [false]
 * @param deny              addresses and prefixes never probed [[]]
 * @param maxProbesPerRound the most probes one round of one measurement may send, worst case [1000000]
 * @param maxTargets        the most target addresses of one measurement, 1..16777216 [65536]
 */
public record SafetyConfig(boolean allowLoopback, List<String> deny, long maxProbesPerRound, int maxTargets) {
    public static final long DEFAULT_MAX_PROBES_PER_ROUND = 1_000_000;
    public static final int DEFAULT_MAX_TARGETS = 65_536;

    public SafetyConfig {
        deny = List.copyOf(deny == null ? List.of() : deny);
        for (int i = 0; i < deny.size(); i++) {
            try {
                Ipv4Prefix.parse(deny.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("safety.deny[" + i + "]: " + e.getMessage());
            }
        }
        if (maxProbesPerRound < 1) {
            throw new IllegalArgumentException("safety.max-probes-per-round: must be at least 1, got "
                    + maxProbesPerRound);
        }
        if (maxTargets < 1 || maxTargets > TargetPolicy.MAX_TARGETS_LIMIT) {
            throw new IllegalArgumentException("safety.max-targets: must be 1.." + TargetPolicy.MAX_TARGETS_LIMIT
                    + ", got " + maxTargets);
        }
    }

    /** The policy that checks measurements against these settings. */
    public TargetPolicy toPolicy() {
        return new TargetPolicy(allowLoopback, deny, maxProbesPerRound, maxTargets);
    }
}
