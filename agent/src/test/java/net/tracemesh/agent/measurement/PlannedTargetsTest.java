package net.tracemesh.agent.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlannedTargetsTest {
    @Test
    void isImmutable() {
        int[] addresses = {1, 2, 0xC8000001};
        PlannedTargets planned = new PlannedTargets(addresses, 9);
        addresses[0] = 7;
        planned.addresses()[1] = 7;
        assertThat(planned.addresses()).containsExactly(1, 2, 0xC8000001);
        assertThat(planned.count()).isEqualTo(3);
        assertThat(planned.address(2)).isEqualTo(0xC8000001);
        assertThat(planned).isEqualTo(new PlannedTargets(new int[] {1, 2, 0xC8000001}, 9))
                .hasSameHashCodeAs(new PlannedTargets(new int[] {1, 2, 0xC8000001}, 9))
                .isNotEqualTo(new PlannedTargets(new int[] {1, 2, 0xC8000001}, 10));
        assertThat(planned).hasToString("PlannedTargets[3 addresses 0.0.0.1..200.0.0.1, worstCaseProbes=9]");
    }

    @Test
    void refusesUnsortedDuplicateOrEmpty() {
        assertThatThrownBy(() -> new PlannedTargets(new int[] {0xC8000001, 1}, 1))
                .hasMessage("addresses must be sorted and distinct: 200.0.0.1 comes before 0.0.0.1");
        assertThatThrownBy(() -> new PlannedTargets(new int[] {1, 1}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlannedTargets(new int[0], 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlannedTargets(new int[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
