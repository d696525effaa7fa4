package net.tracemesh.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSelectorTest {
    @Test
    void allMatchesEveryAgent() {
        AgentSelector all = AgentSelector.everyAgent();
        assertThat(all.matches("fra1-a", "Frankfurt")).isTrue();
        assertThat(all.matches("x", null)).isTrue();
        assertThat(all.matches("x", "")).isTrue();
    }

    @Test
    void idsAndLabelsMatchExactly() {
        AgentSelector s = AgentSelector.of(List.of("fra1-a", "ams1"), List.of("Frankfurt DC1"));
        assertThat(s.matches("fra1-a", "")).isTrue();
        assertThat(s.matches("ams1", null)).isTrue();
        assertThat(s.matches("lon1", "Frankfurt DC1")).isTrue();
        assertThat(s.matches("FRA1-A", "")).isFalse();
        assertThat(s.matches("fra1", "")).isFalse();
        assertThat(s.matches("lon1", "frankfurt dc1")).isFalse();
        assertThat(s.matches("lon1", "Frankfurt")).isFalse();
        assertThat(s.matches("lon1", null)).isFalse();
        assertThat(AgentSelector.of(null, List.of("Frankfurt")).matches("x", "Frankfurt")).isTrue();
        assertThat(AgentSelector.of(List.of("a"), null).labels()).isEmpty();
    }

    @Test
    void refusesEmptyAndContradictorySelections() {
        assertThatThrownBy(() -> AgentSelector.of(List.of(), List.of()))
                .hasMessageStartingWith("selects no agent");
        assertThatThrownBy(() -> new AgentSelector(true, List.of("a"), List.of()))
                .hasMessage("all: cannot be combined with ids or labels");
        assertThatThrownBy(() -> AgentSelector.of(List.of("bad id"), List.of()))
                .hasMessageStartingWith("ids[0]: 'bad id' is not an agent id");
        assertThatThrownBy(() -> AgentSelector.of(List.of(), List.of("x".repeat(101))))
                .hasMessage("labels[0]: a label must be 1..100 characters, got 101");
    }
}
