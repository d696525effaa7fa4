package net.tracemesh.agent.engine;

/**
 * A growable FIFO ring of (destination, task serial, token, time) entries without an object per entry: the send
 * queue, and the timeout queues (one per wait duration, so deadlines are in order and the head is always the next to
 * expire). An entry names its task by destination and serial instead of holding it, so a finished task is garbage as
 * soon as the engine forgets it, not only once its last probe's wait is over.
 */
final class ProbeQueue {
    private int[] destinations;
    private int[] serials;
    private int[] tokens;
    private long[] times;
    private int head;
    private int size;

    ProbeQueue(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1);
        destinations = new int[capacity];
        serials = new int[capacity];
        tokens = new int[capacity];
        times = new long[capacity];
    }

    void add(ProbeTask task, int token, long time) {
        if (size == tokens.length) {
            grow();
        }
        int i = (head + size) & (tokens.length - 1);
        destinations[i] = task.destination();
        serials[i] = task.serial();
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

    /** Whether the head entry is one of {@code task}'s. */
    boolean headIsOf(ProbeTask task) {
        return task != null && destinations[head] == task.destination() && serials[head] == task.serial();
    }

    int headDestination() {
        return destinations[head];
    }

    int headToken() {
        return tokens[head];
    }

    long headTime() {
        return times[head];
    }

    void removeHead() {
        head = (head + 1) & (tokens.length - 1);
        size--;
    }

    private void grow() {
        int capacity = tokens.length << 1;
        int[] d = new int[capacity];
        int[] s = new int[capacity];
        int[] k = new int[capacity];
        long[] t = new long[capacity];
        for (int n = 0; n < size; n++) {
            int i = (head + n) & (tokens.length - 1);
            d[n] = destinations[i];
            s[n] = serials[i];
            k[n] = tokens[i];
            t[n] = times[i];
        }
        destinations = d;
        serials = s;
        tokens = k;
        times = t;
        head = 0;
    }

    void clear() {
        head = 0;
        size = 0;
    }
}
