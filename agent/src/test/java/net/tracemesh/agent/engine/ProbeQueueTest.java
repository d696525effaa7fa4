package net.tracemesh.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeQueueTest {
    @Test
    void firstInFirstOutAcrossWrapsAndGrowth() {
        ProbeQueue q = new ProbeQueue(4);
        ProbeTask a = new IdleTask(1);
        ProbeTask b = new IdleTask(2);
        int next = 0;
        int expected = 0;
        // Interleave adds and removals so the ring wraps, then grows while wrapped.
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 3 + round % 7; i++) {
                q.add(next % 2 == 0 ? a : b, next, 1000L + next);
                next++;
            }
            for (int i = 0; i < 2 && !q.isEmpty(); i++) {
                assertThat(q.headToken()).isEqualTo(expected);
                assertThat(q.headTime()).isEqualTo(1000L + expected);
                assertThat(q.headIsOf(expected % 2 == 0 ? a : b)).isTrue();
                assertThat(q.headIsOf(expected % 2 == 0 ? b : a)).isFalse();
                assertThat(q.headDestination()).isEqualTo(expected % 2 == 0 ? 1 : 2);
                q.removeHead();
                expected++;
            }
        }
        assertThat(q.size()).isEqualTo(next - expected);
        while (!q.isEmpty()) {
            assertThat(q.headToken()).isEqualTo(expected++);
            q.removeHead();
        }
        assertThat(expected).isEqualTo(next);
    }

    @Test
    void anEntryNamesItsTaskByDestinationAndSerialAndHoldsNoReferenceToIt() {
        ProbeQueue q = new ProbeQueue(16);
        IdleTask first = new IdleTask(7);
        first.bind(null, 1, 1, 41);
        q.add(first, 3, 100);
        // a later run toward the same destination is another task: the entry is not one of its
        IdleTask second = new IdleTask(7);
        second.bind(null, 1, 2, 42);
        assertThat(q.headIsOf(first)).isTrue();
        assertThat(q.headIsOf(second)).isFalse();
        assertThat(q.headIsOf(null)).isFalse();
        java.lang.ref.WeakReference<IdleTask> ref = new java.lang.ref.WeakReference<>(first);
        first = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
        }
        assertThat(ref.get()).as("a queued entry keeps its task alive").isNull();
        assertThat(q.headToken()).isEqualTo(3);
    }

    @Test
    void clearEmptiesTheQueue() {
        ProbeQueue q = new ProbeQueue(16);
        q.add(new IdleTask(1), 7, 1);
        q.clear();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.size()).isZero();
    }
}
