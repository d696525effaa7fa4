package net.tracemesh.agent.engine;

import java.util.Arrays;

/**
 * A growable FIFO ring of (task, token, time) entries without an object per entry: the send queue, and the
 * timeout queues (one per wait duration, so deadlines are in order and the head is always the next to expire).
 */
final class ProbeQueue {
    private ProbeTask[] tasks;
    private int[] tokens;
    private long[] times;
    private int head;
    private int size;

    ProbeQueue(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1);
        tasks = new ProbeTask[capacity];
        tokens = new int[capacity];
        times = new long[capacity];
    }

    void add(ProbeTask task, int token, long time) {
        if (size == tasks.length) {
            grow();
        }
        int i = (head + size) & (tasks.length - 1);
        tasks[i] = task;
        tokens[i] = token;
        times[i] = time;
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    ProbeTask headTask() {
        return tasks[head];
    }

    int headToken() {
        return tokens[head];
    }

    long headTime() {
        return times[head];
    }

    void removeHead() {
        tasks[head] = null;
        head = (head + 1) & (tasks.length - 1);
        size--;
    }

    private void grow() {
        int capacity = tasks.length << 1;
        ProbeTask[] t = new ProbeTask[capacity];
        int[] k = new int[capacity];
        long[] d = new long[capacity];
        for (int n = 0; n < size; n++) {
            int i = (head + n) & (tasks.length - 1);
            t[n] = tasks[i];
            k[n] = tokens[i];
            d[n] = times[i];
        }
        tasks = t;
        tokens = k;
        times = d;
        head = 0;
    }

    void clear() {
        Arrays.fill(tasks, null);
        head = 0;
        size = 0;
    }
}
