package net.tracemesh.agent.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.tracemesh.agent.measurement.PolicyViolation.Reason;
import net.tracemesh.measurement.AgentSelector;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.measurement.PingSettings;
import net.tracemesh.measurement.TraceSettings;
import net.tracemesh.wire.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetPolicyTest {
    private static final TargetPolicy DEFAULT = new TargetPolicy(false, List.of(), 1_000_000, 65_536);

    private static MeasurementDefinition trace(TraceSettings settings, String... targets) {
        return new MeasurementDefinition("m1", null, MeasurementMethod.UDP_PARIS, List.of(targets),
                Duration.ofSeconds(60), null, null, null, false, AgentSelector.everyAgent(), settings, null);
    }

    private static MeasurementDefinition trace(String... targets) {
        return trace(null, targets);
    }

    private static MeasurementDefinition ping(int count, String... targets) {
        return new MeasurementDefinition("p1", null, MeasurementMethod.PING, List.of(targets),
                Duration.ofSeconds(60), null, null, null, false, AgentSelector.everyAgent(), null,
                new PingSettings(count, 1000, 56, 64, 2000, false));
    }

    private static PolicyViolation violation(TargetPolicy policy, MeasurementDefinition d) {
        try {
            PlannedTargets planned = policy.check(d);
            throw new AssertionError("accepted " + planned);
        } catch (PolicyViolation v) {
            return v;
        }
    }

    private static String[] dotted(PlannedTargets planned) {
        return Arrays.stream(planned.addresses()).mapToObj(Ipv4Address::format).toArray(String[]::new);
    }

    @Test
    void refusesMulticastAddresses() {
        PolicyViolation v = violation(DEFAULT, trace("198.18.0.1", "224.0.0.1"));
        assertThat(v.reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        assertThat(v).hasMessage("measurement m1: targets[1] '224.0.0.1' is in 224.0.0.0/4 (multicast): no agent"
                + " probes these addresses");
        assertThat(violation(DEFAULT, trace("239.255.255.255")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        assertThat(violation(DEFAULT, trace("224.0.0.0/24")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
    }

    @Test
    void refusesPrefixesOverlappingMulticast() {
        PolicyViolation v = violation(DEFAULT, trace("192.0.0.0/2"));
        assertThat(v.reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        assertThat(v).hasMessage("measurement m1: targets[0] '192.0.0.0/2' includes 224.0.0.0, in 224.0.0.0/4"
                + " (multicast): no agent probes these addresses");
    }

    @Test
    void refusesReservedAndBroadcast() {
        PolicyViolation broadcast = violation(DEFAULT, trace("255.255.255.255"));
        assertThat(broadcast.reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        assertThat(broadcast).hasMessageContaining("'255.255.255.255' is in 240.0.0.0/4 (reserved, with the"
                + " broadcast address 255.255.255.255)");
        assertThat(violation(DEFAULT, trace("240.0.0.1")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        assertThat(violation(DEFAULT, trace("255.255.255.254/31")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
    }

    @Test
    void refusesThisNetwork() {
        PolicyViolation zero = violation(DEFAULT, trace("0.0.0.0"));
        assertThat(zero).hasMessageContaining("'0.0.0.0' is in 0.0.0.0/8 (\"this network\")");
        assertThat(violation(DEFAULT, trace("0.1.2.3")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        PolicyViolation everything = violation(DEFAULT, trace("0.0.0.0/0"));
        assertThat(everything.reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        assertThat(everything).hasMessageContaining("'0.0.0.0/0' includes 0.0.0.1, in 0.0.0.0/8");
    }

    @Test
    void allowsTheNeighboursOfForbiddenBlocks() throws PolicyViolation {
        assertThat(dotted(DEFAULT.check(trace("1.0.0.0/31", "223.255.255.255", "126.255.255.255",
                "128.0.0.0")))).containsExactly("1.0.0.0", "1.0.0.1", "126.255.255.255", "128.0.0.0",
                "223.255.255.255");
        // the network address of 0.0.0.0/7 is not probed, but 0.0.0.1 is and is in 0.0.0.0/8
        assertThat(violation(DEFAULT, trace("0.0.0.0/7")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
    }

    @Test
    void allowsLinkLocal() throws PolicyViolation {
        assertThat(dotted(DEFAULT.check(trace("169.254.1.1")))).containsExactly("169.254.1.1");
    }

    @Test
    void refusesLoopbackUnlessAllowed() throws PolicyViolation {
        PolicyViolation v = violation(DEFAULT, trace("127.0.0.1"));
        assertThat(v.reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        assertThat(v).hasMessage("measurement m1: targets[0] '127.0.0.1' is in 127.0.0.0/8 (loopback): probed only"
                + " when the agent allows loopback (allow-loopback)");
        assertThat(violation(DEFAULT, trace("126.0.0.0/7")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);

        TargetPolicy loopback = new TargetPolicy(true, List.of(), 1_000_000, 65_536);
        PlannedTargets planned = loopback.check(trace("127.0.0.1", "127.0.0.2"));
        assertThat(dotted(planned)).containsExactly("127.0.0.1", "127.0.0.2");
        assertThat(violation(loopback, trace("224.0.0.1")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
    }

    @Test
    void refusesTargetsInsideADeniedPrefix() {
        TargetPolicy policy = new TargetPolicy(false, List.of("10.9.0.0/16", "198.51.100.0/24"), 1_000_000, 65_536);
        PolicyViolation v = violation(policy, trace("198.18.0.1", "198.51.100.128/25"));
        assertThat(v.reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        assertThat(v).hasMessage("measurement m1: targets[1] '198.51.100.128/25' is in 198.51.100.0/24 (deny list):"
                + " this agent never probes them");
        assertThat(violation(policy, trace("198.51.100.7")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
    }

    @Test
    void refusesPrefixesContainingADeniedPrefix() throws PolicyViolation {
        TargetPolicy policy = new TargetPolicy(false, List.of("198.51.100.0/24"), 1_000_000, 65_536);
        PolicyViolation v = violation(policy, trace("198.51.0.0/16"));
        assertThat(v.reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
        assertThat(v).hasMessage("measurement m1: targets[0] '198.51.0.0/16' includes 198.51.100.0, in"
                + " 198.51.100.0/24 (deny list): this agent never probes them");
        assertThat(policy.check(trace("198.51.101.0/24")).count()).isEqualTo(254);
    }

    @Test
    void deniedNetworkAndBroadcastAddressesDoNotRefuseAPrefixThatSkipsThem() throws PolicyViolation {
        TargetPolicy policy = new TargetPolicy(false, List.of("198.18.0.0", "198.18.0.255"), 1_000_000, 65_536);
        PlannedTargets planned = policy.check(trace("198.18.0.0/24"));
        assertThat(planned.count()).isEqualTo(254);
        assertThat(Ipv4Address.format(planned.address(0))).isEqualTo("198.18.0.1");
        assertThat(violation(policy, trace("198.18.0.0/31")).reason()).isEqualTo(Reason.FORBIDDEN_TARGET);
    }

    @Test
    void expandsPrefixesLikeTheCommandLine() throws PolicyViolation {
        assertThat(dotted(DEFAULT.check(trace("198.18.0.0/30")))).containsExactly("198.18.0.1", "198.18.0.2");
        assertThat(dotted(DEFAULT.check(trace("198.18.0.0/31")))).containsExactly("198.18.0.0", "198.18.0.1");
        assertThat(dotted(DEFAULT.check(trace("198.18.0.9/32")))).containsExactly("198.18.0.9");
        assertThat(DEFAULT.check(trace("198.18.0.0/24")).count()).isEqualTo(254);
        assertThat(DEFAULT.check(ping(1, "198.18.0.0/16")).count()).isEqualTo(65_534);
    }

    @Test
    void sortsAndDeduplicatesOverlappingTargets() throws PolicyViolation {
        PlannedTargets planned = DEFAULT.check(trace("200.0.0.1", "198.18.0.0/30", "198.18.0.1", "198.18.0.2/31",
                "10.0.0.1", "198.18.0.0/29"));
        assertThat(dotted(planned)).containsExactly("10.0.0.1", "198.18.0.1", "198.18.0.2", "198.18.0.3",
                "198.18.0.4", "198.18.0.5", "198.18.0.6", "200.0.0.1");
        assertThat(planned.worstCaseProbes()).isEqualTo(8L * 3 * 30 * 2);
    }

    @Test
    void countsTargetsBeforeExpanding() {
        TargetPolicy small = new TargetPolicy(false, List.of(), 1_000_000, 253);
        PolicyViolation v = violation(small, trace("198.18.0.0/24"));
        assertThat(v.reason()).isEqualTo(Reason.TOO_MANY_TARGETS);
        assertThat(v).hasMessage("measurement m1 has 254 target addresses after expanding prefixes, more than the"
                + " agent's limit of 253 (max-targets)");

        TargetPolicy huge = new TargetPolicy(false, List.of(), Long.MAX_VALUE, TargetPolicy.MAX_TARGETS_LIMIT);
        PolicyViolation wide = violation(huge, ping(1, "10.0.0.0/7", "10.0.0.0/8", "11.0.0.0/9"));
        assertThat(wide.reason()).isEqualTo(Reason.TOO_MANY_TARGETS);
        assertThat(wide).hasMessageContaining("has 33554430 target addresses");
    }

    @Test
    void acceptsExactlyMaxTargets() throws PolicyViolation {
        TargetPolicy policy = new TargetPolicy(false, List.of(), 1_000_000, 256);
        assertThat(policy.check(ping(1, "198.18.0.0/24", "198.18.1.0/31")).count()).isEqualTo(256);
    }

    @Test
    void refusesRoundsOverBudget() throws PolicyViolation {
        String[] ten = {"198.18.0.0/29", "198.18.1.0/31", "198.18.2.0/31"};
        assertThat(DEFAULT.check(trace(ten)).count()).isEqualTo(10);

        TargetPolicy tight = new TargetPolicy(false, List.of(), 1799, 65_536);
        PolicyViolation v = violation(tight, trace(ten));
        assertThat(v.reason()).isEqualTo(Reason.OVER_BUDGET);
        assertThat(v).hasMessage("measurement m1 may send up to 1800 probes per round (10 targets x 3 probes per hop"
                + " x 30 TTLs x 2 attempts), more than the agent's limit of 1799 (max-probes-per-round)");
        assertThat(new TargetPolicy(false, List.of(), 1800, 65_536).check(trace(ten)).worstCaseProbes())
                .isEqualTo(1800);

        TraceSettings custom = new TraceSettings(2, 5, 9, 2000, null, 8, 5, 0, false, 0);
        assertThat(DEFAULT.check(trace(custom, ten)).worstCaseProbes()).isEqualTo(10 * 2 * 5);

        PolicyViolation pings = violation(new TargetPolicy(false, List.of(), 49, 65_536), ping(5, ten));
        assertThat(pings.reason()).isEqualTo(Reason.OVER_BUDGET);
        assertThat(pings).hasMessageContaining("up to 50 probes per round (10 targets x 5 pings)");
        assertThat(new TargetPolicy(false, List.of(), 50, 65_536).check(ping(5, ten)).worstCaseProbes())
                .isEqualTo(50);
    }

    @Test
    void worstCaseOfTheLargestDefinitionDoesNotOverflow() throws PolicyViolation {
        TraceSettings max = new TraceSettings(15, 1, 255, 2000, null, 8, 5, 10, false, 0);
        TargetPolicy policy = new TargetPolicy(false, List.of(), Long.MAX_VALUE, 65_536);
        assertThat(policy.check(trace(max, "198.18.0.0/16")).worstCaseProbes()).isEqualTo(65_534L * 15 * 255 * 11);
    }

    @Test
    void forbiddenTargetsAreReportedBeforeSize() {
        TargetPolicy small = new TargetPolicy(false, List.of(), 1, 1);
        assertThat(violation(small, trace("198.18.0.0/16", "224.0.0.1")).reason())
                .isEqualTo(Reason.FORBIDDEN_TARGET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.1/24", "example.com", "10.0.0.0/33", ""})
    void refusesBadDenyPrefixes(String deny) {
        assertThatThrownBy(() -> new TargetPolicy(false, List.of("10.0.0.0/8", deny), 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("deny[1]: '" + deny + "'");
    }

    @Test
    void refusesBadLimits() {
        assertThatThrownBy(() -> new TargetPolicy(false, List.of(), 0, 1))
                .hasMessage("max probes per round must be at least 1, got 0");
        assertThatThrownBy(() -> new TargetPolicy(false, List.of(), 1, 0))
                .hasMessage("max targets must be 1..16777216, got 0");
        assertThatThrownBy(() -> new TargetPolicy(false, List.of(), 1, TargetPolicy.MAX_TARGETS_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TargetPolicy(false, null, 1, 1).denyPrefixes()).isEmpty();
    }
}
