package net.tracemesh.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActiveTasksTest {
    private static ProbeTask task(int destination) {
        return new IdleTask(destination);
    }

    @Test
    void behavesLikeAMapUnderRandomPutsAndRemovals() {
        ActiveTasks table = new ActiveTasks();
        Map<Integer, ProbeTask> model = new HashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int step = 0; step < 200_000; step++) {
            // few distinct keys of one /22 and a few far away: long probe runs, wrap-around, growth and shrinkage
            int key = random.nextInt(4) == 0 ? random.nextInt() : 0xC6130000 + random.nextInt(1024);
            if (random.nextInt(3) == 0) {
                table.remove(key);
                model.remove(key);
            } else {
                ProbeTask t = task(key);
                table.put(key, t);
                model.put(key, t);
            }
            if (step % 1000 == 0) {
                assertThat(table.size()).isEqualTo(model.size());
                for (Map.Entry<Integer, ProbeTask> e : model.entrySet()) {
                    assertThat(table.get(e.getKey())).isSameAs(e.getValue());
                }
            }
            assertThat(table.get(key)).isSameAs(model.get(key));
            assertThat(table.containsKey(key)).isEqualTo(model.containsKey(key));
        }
        model.keySet().forEach(table::remove);
        assertThat(table.isEmpty()).isTrue();
    }

    @Test
    void aMissingTaskIsRefused() {
        assertThatThrownBy(() -> new ActiveTasks().put(1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ActiveTasks().get(1)).isNull();
    }
}
