package net.tracemesh.agent.engine;

import java.util.Arrays;

/**
 * The running tasks by destination address: an open-addressing table with {@code int} keys, so that looking a task up
 * for every reply, timeout and send allocates nothing (a {@code HashMap<Integer, ...>} boxes each key above 127).
 * Linear probing; removal shifts the following entries back, so there are no tombstones. Not thread-safe (prober).
 */
final class ActiveTasks {
    private static final int MIN_CAPACITY = 16;

    private int[] keys;
    private ProbeTask[] tasks;
    private int size;

    ActiveTasks() {
        keys = new int[MIN_CAPACITY];
        tasks = new ProbeTask[MIN_CAPACITY];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The task running toward {@code destination}, or null. */
    ProbeTask get(int destination) {
        int mask = keys.length - 1;
        for (int i = slot(destination, mask); tasks[i] != null; i = (i + 1) & mask) {
            if (keys[i] == destination) {
                return tasks[i];
            }
        }
        return null;
    }

    boolean containsKey(int destination) {
        return get(destination) != null;
    }

    /** Makes {@code task} the one running toward {@code destination}. */
    void put(int destination, ProbeTask task) {
        if (task == null) {
            throw new IllegalArgumentException("task is null");
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(destination, mask);
        while (tasks[i] != null) {
            if (keys[i] == destination) {
                tasks[i] = task;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = destination;
        tasks[i] = task;
        size++;
    }

    /** Forgets the task running toward {@code destination}, if any. */
    void remove(int destination) {
        int mask = keys.length - 1;
        int i = slot(destination, mask);
        while (tasks[i] != null && keys[i] != destination) {
            i = (i + 1) & mask;
        }
        if (tasks[i] == null) {
            return;
        }
        tasks[i] = null;
        size--;
        // shift back the entries of the run after i that may no longer be reachable from their home slot
        int hole = i;
        for (int j = (i + 1) & mask; tasks[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                tasks[hole] = tasks[j];
                tasks[j] = null;
                hole = j;
            }
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        ProbeTask[] oldTasks = tasks;
        keys = new int[oldKeys.length * 2];
        tasks = new ProbeTask[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldTasks[i] != null) {
                put(oldKeys[i], oldTasks[i]);
            }
        }
        Arrays.fill(oldTasks, null);
    }

    /** Home slot: addresses of one prefix differ in their low bits, so mix all bits in (Fibonacci hashing). */
    private static int slot(int key, int mask) {
        return (key * 0x9E3779B9 >>> 16 ^ key * 0x9E3779B9) & mask;
    }
}
