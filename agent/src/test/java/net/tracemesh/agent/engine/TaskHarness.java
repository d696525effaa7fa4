package net.tracemesh.agent.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.tracemesh.agent.capture.LinkType;
import net.tracemesh.agent.probe.DropReason;
import net.tracemesh.agent.probe.ProbeFrames;
import net.tracemesh.agent.probe.Reply;
import net.tracemesh.agent.route.Egress;

/**
 * Drives one {@link ProbeTask} the way {@link ProbeEngine} does, without threads, clocks or packets: the task's
 * send requests are queued and recorded, its timers are kept until the test runs them, and "transmitting" writes
 * each queued probe into a reusable Ethernet frame buffer and reports it sent at a time the test chooses.
 * Like the engine, it calls {@code finish()} once as soon as the task says it is finished.
 */
public final class TaskHarness implements ProbeContext {
    /** A probe written by the task, as it would have gone on the wire. */
    public record Transmitted(int token, byte[] frame, long sentMicros) {
    }

    private final ProbeTask task;
    private final byte[] buffer = new byte[14 + 65_535];
    private final int linkLength;
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private final List<Integer> requests = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Long> timerDelays = new ArrayList<>();
    private final List<Transmitted> transmitted = new ArrayList<>();
    private int finishCalls;

    public TaskHarness(ProbeTask task, Egress egress, int tag, int nonce) {
        this.task = task;
        bind(task, egress, tag, nonce);
        linkLength = ProbeFrames.writeLinkHeader(buffer, LinkType.ETHERNET, egress.nextHopMac(), egress.sourceMac());
    }

    /** Binds a task as the engine does before starting it. */
    public static void bind(ProbeTask task, Egress egress, int tag, int nonce) {
        task.bind(egress, tag, nonce, nonce);
    }

    public int linkLength() {
        return linkLength;
    }

    @Override
    public void send(ProbeTask sender, int token) {
        if (sender != task) {
            throw new AssertionError("a task asked to send for another task");
        }
        queue.add(token);
        requests.add(token);
    }

    @Override
    public void schedule(long delayNanos, Runnable action) {
        timerDelays.add(delayNanos);
        timers.add(action);
    }

    public void start() {
        task.start(this);
        finishIfDone();
    }

    /** Every token the task asked to send, in order, including those not yet transmitted. */
    public List<Integer> requests() {
        return List.copyOf(requests);
    }

    /** Tokens asked for and not yet transmitted (or skipped). */
    public List<Integer> queued() {
        return List.copyOf(queue);
    }

    /** Delays of every timer the task set, in order. */
    public List<Long> timerDelays() {
        return List.copyOf(timerDelays);
    }

    public int pendingTimers() {
        return timers.size();
    }

    /** Runs the timers set so far (not those they set); returns how many ran. */
    public int runTimers() {
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
        finishIfDone();
        return due.size();
    }

    /**
     * Transmits the queue as the engine's sender does: probes the task no longer wants are skipped; every other
     * one is written and reported sent at {@code sentMicros}. Returns the transmitted probes.
     */
    public List<Transmitted> transmitAll(long sentMicros) {
        return transmit(Integer.MAX_VALUE, sentMicros);
    }

    /** Like {@link #transmitAll} but stops after {@code most} probes, as a rate limit would. */
    public List<Transmitted> transmit(int most, long sentMicros) {
        List<Transmitted> sent = new ArrayList<>();
        while (!queue.isEmpty() && sent.size() < most) {
            int token = queue.poll();
            if (task.finished() || !task.wantsToSend(token)) {
                continue;
            }
            int length = task.writeProbe(token, buffer, linkLength);
            Transmitted t = new Transmitted(token, Arrays.copyOf(buffer, length), sentMicros);
            task.onSent(token, sentMicros);
            sent.add(t);
            transmitted.add(t);
        }
        finishIfDone();
        return sent;
    }

    /** Every probe transmitted so far. */
    public List<Transmitted> transmitted() {
        return List.copyOf(transmitted);
    }

    /** The last transmitted probe with this token. */
    public Transmitted lastTransmitted(int token) {
        for (int i = transmitted.size() - 1; i >= 0; i--) {
            if (transmitted.get(i).token() == token) {
                return transmitted.get(i);
            }
        }
        throw new AssertionError("token " + Integer.toHexString(token) + " was never transmitted");
    }

    public DropReason reply(Reply reply) {
        DropReason dropped = task.onReply(reply, this);
        finishIfDone();
        return dropped;
    }

    public void timeout(int token) {
        task.onTimeout(token, this);
        finishIfDone();
    }

    public boolean wantsToSend(int token) {
        return task.wantsToSend(token);
    }

    public boolean finished() {
        return task.finished();
    }

    public long waitNanos() {
        return task.waitNanos();
    }

    /** Writes one probe into a fresh buffer (with this harness's link header) without reporting it sent. */
    public byte[] write(int token) {
        int length = task.writeProbe(token, buffer, linkLength);
        return Arrays.copyOf(buffer, length);
    }

    public void fail(String reason) {
        task.fail(reason);
    }

    /** How many times {@code finish()} was called (the engine calls it once). */
    public int finishCalls() {
        return finishCalls;
    }

    private void finishIfDone() {
        if (finishCalls == 0 && task.finished()) {
            finishCalls++;
            task.finish();
        }
    }
}
