package net.tracemesh.agent.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.tracemesh.agent.capture.PacketChannel;
import net.tracemesh.agent.capture.PacketIoException;

/**
 * Hands probe frames to the kernel on a thread of its own. A send does more kernel work than it seems: on a veth the
 * frame is forwarded through every namespace it crosses, and the replies it causes are delivered to capture, all
 * inside the sending thread's system call. On its own thread that work runs beside the prober's matching and
 * scheduling instead of in series with it.
 *
 * <p>A single-producer, single-consumer ring of {@value #SLOTS} frames, without a lock or an object per frame. The
 * prober {@linkplain #offer offers} a frame (copied into the slot) with the task and token it belongs to. The sender
 * thread reads the clock, publishes that send time, then sends; the prober {@linkplain #drainSendTimes collects}
 * the send times and gives each to its task. A send time is published before the frame goes out, so it is visible
 * before any reply the frame causes can be captured: the prober collects send times before it handles replies.
 */
final class FrameSender implements AutoCloseable {
    static final int SLOTS = 4096;
    private static final int MASK = SLOTS - 1;
    private static final int SPINS_BEFORE_PARK = 200;
    private static final long MAX_PARK_NANOS = 10_000_000L;

    private final byte[][] frames = new byte[SLOTS][];
    private final int[] lengths = new int[SLOTS];
    private final PacketChannel[] channels = new PacketChannel[SLOTS];
    private final long[] sendTimes = new long[SLOTS];
    // read and written by the prober only
    private final ProbeTask[] tasks = new ProbeTask[SLOTS];
    private final int[] tokens = new int[SLOTS];
    private long offered;
    private long collected;

    /** Frames offered (written by the prober). */
    private final AtomicLong published = new AtomicLong();
    /** Frames whose send time is published (written by the sender before each send). */
    private final AtomicLong stamped = new AtomicLong();
    /** Frames sent, or failed, and whose slots are free again (written by the sender after each send). */
    private final AtomicLong done = new AtomicLong();

    private final AtomicLong probesSent;
    private final AtomicLong sendErrors;
    private final ErrorListener onError;
    private final Runnable onDone;
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean stopping;

    /** Told about a failed send, on the sender thread. */
    interface ErrorListener {
        void failed(PacketIoException e);
    }

    /**
     * @param onDone run on the sender thread after a send when the ring has become empty (the prober may be waiting
     *               for the last frames to go before it reports itself drained)
     */
    FrameSender(String name, AtomicLong probesSent, AtomicLong sendErrors, ErrorListener onError, Runnable onDone) {
        this.probesSent = probesSent;
        this.sendErrors = sendErrors;
        this.onError = onError;
        this.onDone = onDone;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    FrameSender start() {
        thread.start();
        return this;
    }

    /** Whether a frame can be offered now (prober thread). */
    boolean hasRoom() {
        return offered - Math.min(collected, done.get()) < SLOTS;
    }

    /** Whether every offered frame has been sent (or failed). */
    boolean idle() {
        return done.get() == offered;
    }

    /**
     * Queues the first {@code length} bytes of {@code frame} for {@code channel}, on behalf of probe {@code token} of
     * {@code task}; the caller checked {@link #hasRoom} (prober thread).
     */
    void offer(PacketChannel channel, byte[] frame, int length, ProbeTask task, int token) {
        int i = (int) (offered & MASK);
        byte[] slot = frames[i];
        if (slot == null || slot.length < length) {
            slot = new byte[Math.max(128, Integer.highestOneBit(Math.max(1, length - 1)) << 1)];
            frames[i] = slot;
        }
        System.arraycopy(frame, 0, slot, 0, length);
        lengths[i] = length;
        channels[i] = channel;
        tasks[i] = task;
        tokens[i] = token;
        task.unsent++;
        offered++;
        published.set(offered);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** Gives each frame sent since the last call its send time, through its task's {@code onSent} (prober thread). */
    void drainSendTimes(SentListener listener) {
        long upTo = stamped.get();
        while (collected < upTo) {
            int i = (int) (collected & MASK);
            ProbeTask task = tasks[i];
            tasks[i] = null;
            collected++;
            task.unsent--;
            listener.sent(task, tokens[i], sendTimes[i]);
        }
    }

    /** Receives the send time of a frame (prober thread). */
    interface SentListener {
        void sent(ProbeTask task, int token, long sentMicros);
    }

    private void run() {
        MicroClock clock = new MicroClock();
        long next = 0;
        int idleSpins = 0;
        while (!stopping) {
            long available = published.get();
            if (next == available) {
                if (++idleSpins < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                    continue;
                }
                idleSpins = 0;
                parked = true;
                if (published.get() == next && !stopping) {
                    LockSupport.parkNanos(this, MAX_PARK_NANOS);
                }
                parked = false;
                continue;
            }
            idleSpins = 0;
            while (next < available) {
                int i = (int) (next & MASK);
                // the send time is published before the frame leaves: a reply can never be seen before it
                sendTimes[i] = clock.nowMicros();
                stamped.set(next + 1);
                try {
                    channels[i].send(frames[i], lengths[i]);
                    probesSent.incrementAndGet();
                } catch (PacketIoException e) {
                    sendErrors.incrementAndGet();
                    onError.failed(e);
                }
                next++;
                done.set(next);
            }
            onDone.run();
        }
    }

    /** Stops the thread; frames still queued are not sent. */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
