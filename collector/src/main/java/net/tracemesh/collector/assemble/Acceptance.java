package net.tracemesh.collector.assemble;

import java.util.List;

/**
 * The result of giving one message to a {@link TraceAssembler}.
 *
 * @param disposition what happened to the message
 * @param reason      why it was rejected, for the dead-letter topic; empty unless {@link Disposition#REJECTED}
 * @param closed      traces closed while handling the message: the message's own trace if it completed it, and a
 *                    trace evicted to make room for a new one; usually empty
 */
public record Acceptance(Disposition disposition, String reason, List<AssembledTrace> closed) {
    public Acceptance {
        if (disposition == null) {
            throw new IllegalArgumentException("disposition is missing");
        }
        reason = reason == null ? "" : reason;
        if ((disposition == Disposition.REJECTED) == reason.isEmpty()) {
            throw new IllegalArgumentException("a reason is given exactly for rejected messages");
        }
        closed = List.copyOf(closed);
    }

    static Acceptance of(Disposition disposition) {
        return new Acceptance(disposition, "", List.of());
    }

    static Acceptance rejected(String reason) {
        return new Acceptance(Disposition.REJECTED, reason, List.of());
    }
}
