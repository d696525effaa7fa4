package net.tracemesh.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgParserTest {
    private final ArgParser parser = new ArgParser(Set.of("-q", "--rate"), Set.of("--json", "--mtu"));

    @Test
    void separatesValuesFlagsAndPositionals() {
        ArgParser.Parsed p = parser.parse(List.of("198.18.0.1", "-q", "4", "--json", "--rate=250", "-", "198.18.0.2"));

        assertThat(p.values()).containsOnlyKeys("-q", "--rate").containsEntry("-q", "4").containsEntry("--rate", "250");
        assertThat(p.flag("--json")).isTrue();
        assertThat(p.flag("--mtu")).isFalse();
        assertThat(p.positionals()).containsExactly("198.18.0.1", "-", "198.18.0.2");
    }

    @Test
    void aValueMayStartWithADash() {
        assertThat(parser.parse(List.of("--rate", "-5")).values()).containsEntry("--rate", "-5");
    }

    @Test
    void doubleDashEndsOptions() {
        ArgParser.Parsed p = parser.parse(List.of("--json", "--", "--mtu", "-q"));
        assertThat(p.positionals()).containsExactly("--mtu", "-q");
        assertThat(p.flag("--mtu")).isFalse();
    }

    @Test
    void theLastValueWins() {
        assertThat(parser.parse(List.of("-q", "1", "-q", "2")).integer("-q", 3, 1, 15, "probes")).isEqualTo(2);
    }

    @Test
    void numbersWithRangesAndDefaults() {
        ArgParser.Parsed p = parser.parse(List.of("-q", " 7 ", "--rate", "0.5"));
        assertThat(p.integer("-q", 3, 1, 15, "probes")).isEqualTo(7);
        assertThat(p.decimal("--rate", 100, 0, 1000, "rate")).isEqualTo(0.5);
        ArgParser.Parsed none = parser.parse(List.of());
        assertThat(none.integer("-q", 3, 1, 15, "probes")).isEqualTo(3);
        assertThat(none.decimal("--rate", 100, 0, 1000, "rate")).isEqualTo(100);
        assertThat(none.string("-q", "x")).isEqualTo("x");
    }

    @Test
    void mistakes() {
        assertThatThrownBy(() -> parser.parse(List.of("--nope"))).isInstanceOf(UsageException.class)
                .hasMessage("unknown option --nope");
        assertThatThrownBy(() -> parser.parse(List.of("-q"))).hasMessage("option -q needs a value");
        assertThatThrownBy(() -> parser.parse(List.of("--mtu=1"))).hasMessage("option --mtu takes no value");
        assertThatThrownBy(() -> parser.parse(List.of("-q", "x")).integer("-q", 3, 1, 15, "probes"))
                .hasMessage("probes (-q) must be a whole number, got 'x'");
        assertThatThrownBy(() -> parser.parse(List.of("-q", "99999999999")).integer("-q", 3, 1, 15, "probes"))
                .hasMessage("probes (-q) must be a whole number, got '99999999999'");
        assertThatThrownBy(() -> parser.parse(List.of("--rate", "0.0")).decimal("--rate", 1, 0, 10, "rate"))
                .hasMessage("rate (--rate) must be more than 0 and at most 10, got 0.0");
        assertThatThrownBy(() -> parser.parse(List.of("--rate", "Infinity")).decimal("--rate", 1, 0, 10, "rate"))
                .hasMessage("rate (--rate) must be more than 0 and at most 10, got Infinity");
        assertThatThrownBy(() -> parser.parse(List.of("--rate", "20")).decimal("--rate", 1, 0.25, 10.5, "rate"))
                .hasMessage("rate (--rate) must be more than 0.25 and at most 10.5, got 20");
    }
}
