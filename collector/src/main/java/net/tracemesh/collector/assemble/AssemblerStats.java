package net.tracemesh.collector.assemble;

/**
 * Counters of a {@link TraceAssembler} since it was created.
 *
 * @param hopsAccepted        distinct hop messages held
 * @param completionsAccepted completion messages held
 * @param duplicates          messages already held (hop or completion), dropped
 * @param lateAfterClose      messages of a recently closed trace, dropped
 * @param rejected            messages contradicting their trace, dropped
 * @param overflow            hops beyond the per-trace limit, dropped
 * @param tracesCompleted     traces closed with their completion and every announced hop
 * @param tracesTimedOut      traces closed by the timeout
 * @param tracesEvicted       traces closed early to respect the open-trace limit
 * @param openTraces          traces open now
 * @param closedRemembered    closed trace keys remembered now
 */
public record AssemblerStats(long hopsAccepted, long completionsAccepted, long duplicates, long lateAfterClose,
                             long rejected, long overflow, long tracesCompleted, long tracesTimedOut,
                             long tracesEvicted, int openTraces, int closedRemembered) {
}
