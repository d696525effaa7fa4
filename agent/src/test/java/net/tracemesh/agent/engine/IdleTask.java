package net.tracemesh.agent.engine;

import net.tracemesh.agent.probe.DropReason;
import net.tracemesh.agent.probe.Reply;

/** A task that never sends, never finishes and ignores everything: for tests of the engine's bookkeeping. */
final class IdleTask extends ProbeTask {
    IdleTask(int destination) {
        super(destination);
    }

    @Override
    protected long waitNanos() {
        return 0;
    }

    @Override
    protected void start(ProbeContext context) {
    }

    @Override
    protected int writeProbe(int token, byte[] buffer, int linkHeaderLength) {
        return 0;
    }

    @Override
    protected void onSent(int token, long sentMicros) {
    }

    @Override
    protected DropReason onReply(Reply reply, ProbeContext context) {
        return null;
    }

    @Override
    protected void onTimeout(int token, ProbeContext context) {
    }

    @Override
    protected boolean finished() {
        return false;
    }

    @Override
    protected void finish() {
    }

    @Override
    protected void fail(String reason) {
    }
}
