package net.tracemesh.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpoolEntryTest {

    @Test
    void refusesNegativeSequencesAndRounds() {
        assertThatThrownBy(() -> new SpoolEntry(-1, 0, "t", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence");
        assertThatThrownBy(() -> new SpoolEntry(0, -1, "t", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("round");
    }

    @Test
    void refusesMissingEmptyAndOverlongTopics() {
        assertThatThrownBy(() -> new SpoolEntry(0, 0, null, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SpoolEntry(0, 0, "", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThat(new SpoolEntry(0, 0, "a".repeat(255), null, null).topic()).hasSize(255);
        assertThatThrownBy(() -> new SpoolEntry(0, 0, "a".repeat(256), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bytes");
        // 'é' takes two bytes of UTF-8: 128 of them are 256 bytes although only 128 chars
        assertThatThrownBy(() -> new SpoolEntry(0, 0, "\u00e9".repeat(128), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bytes");
        assertThat(new SpoolEntry(0, 0, "\u00e9".repeat(127), null, null).topic()).hasSize(127);
    }

    @Test
    void refusesTopicsThatUtf8CannotCarry() {
        assertThatThrownBy(() -> new SpoolEntry(0, 0, "bad\ud800", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> new SpoolEntry(0, 0, "\udc00bad", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
        assertThat(SpoolEntry.utf8Length("a\u00e9\u20ac\ud83d\ude00")).isEqualTo(1 + 2 + 3 + 4);
    }

    @Test
    void refusesKeysAndValuesOver16MiB() {
        byte[] tooBig = new byte[SpoolEntry.MAX_DATA_BYTES + 1];
        assertThatThrownBy(() -> new SpoolEntry(0, 0, "t", tooBig, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> new SpoolEntry(0, 0, "t", null, tooBig))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value");
    }

    @Test
    void acceptsNullKeyAndValue() {
        SpoolEntry tombstone = new SpoolEntry(3, 4, "t", null, null);
        assertThat(tombstone.key()).isNull();
        assertThat(tombstone.value()).isNull();
    }

    @Test
    void copiesItsArraysInAndOut() {
        byte[] key = {1, 2};
        byte[] value = {3, 4};
        SpoolEntry entry = new SpoolEntry(1, 1, "t", key, value);
        key[0] = 9;
        value[0] = 9;
        assertThat(entry.key()).containsExactly(1, 2);
        entry.value()[0] = 7;
        assertThat(entry.value()).containsExactly(3, 4);
    }

    @Test
    void comparesArraysByContent() {
        SpoolEntry a = new SpoolEntry(1, 2, "t", new byte[] {1}, new byte[] {2});
        SpoolEntry b = new SpoolEntry(1, 2, "t", new byte[] {1}, new byte[] {2});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new SpoolEntry(1, 2, "t", new byte[] {1}, null));
        assertThat(a.toString()).contains("sequence=1", "1 bytes");
    }
}
