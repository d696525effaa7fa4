package net.tracemesh.agent.engine;

import net.tracemesh.agent.probe.DropReason;
import net.tracemesh.agent.probe.Reply;
import net.tracemesh.agent.route.Egress;

/**
 * One measurement toward one destination (a trace or a ping), driven by the {@link ProbeEngine} on its
 * prober thread: the engine starts it, sends the probes it asks for under the global rate limit, hands it
 * the replies whose destination is its own and the timeouts of its probes, and forgets it once finished.
 * Every method runs on the prober thread; none may block.
 */
public abstract class ProbeTask {
    private final int destination;
    private Egress egress;
    private int tag;
    private int nonce;
    private int serial;
    /** Probes of this task offered to the engine's sender and not yet given their send time (engine only). */
    int unsent;

    protected ProbeTask(int destination) {
        this.destination = destination;
    }

    public final int destination() {
        return destination;
    }

    protected final Egress egress() {
        return egress;
    }

    /** Measurement tag of the engine running this task (source port or ICMP identifier of its probes). */
    protected final int tag() {
        return tag;
    }

    /** A number that differs between tasks of one engine, mixed into each probe's check. */
    protected final int nonce() {
        return nonce;
    }

    /** The engine's number for this run of the task (unique among its tasks until the int wraps). */
    final int serial() {
        return serial;
    }

    final void bind(Egress egress, int tag, int nonce, int serial) {
        this.egress = egress;
        this.tag = tag;
        this.nonce = nonce;
        this.serial = serial;
    }

    /** How long to wait for the reply to a probe, in nanoseconds. */
    protected abstract long waitNanos();

    /** Called once, with the egress known: ask for the first probes. */
    protected abstract void start(ProbeContext context);

    /**
     * Writes the frame of probe {@code token} after the link header already in {@code buffer}; returns the
     * frame's total length.
     */
    protected abstract int writeProbe(int token, byte[] buffer, int linkHeaderLength);

    /** Whether a queued probe is still worth sending when its turn comes (its hop may be settled by now). */
    protected boolean wantsToSend(int token) {
        return true;
    }

    /** The probe was handed to the kernel at {@code sentMicros} (same clock as capture timestamps). */
    protected abstract void onSent(int token, long sentMicros);

    /** A reply about our destination and tag; returns null if accepted, else why it was dropped. */
    protected abstract DropReason onReply(Reply reply, ProbeContext context);

    /** The wait for probe {@code token} is over (it may have been answered meanwhile). */
    protected abstract void onTimeout(int token, ProbeContext context);

    /** Whether the task is done; the engine then calls {@link #finish} once and forgets the task. */
    protected abstract boolean finished();

    /** Publishes the result (called once, on the prober thread). */
    protected abstract void finish();

    /** The task could not run (no route, channel failure): publish that as its result. */
    protected abstract void fail(String reason);
}
