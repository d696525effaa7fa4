package net.tracemesh.collector.ingest;

/**
 * Counters of a {@link CollectorIngest} since it started.
 *
 * @param recordsRead          records polled from the hops and traces topics
 * @param deadLettered         records sent to the dead-letter topic (undecodable, or rejected by the assembler)
 * @param duplicateMessages    records that changed nothing: a hop or completion already held, or a message of a trace
 *                             closed recently
 * @param overflowMessages     hops dropped because their trace already held the maximum number of hops
 * @param tracesApplied        closed traces applied to the store
 * @param tracesAlreadyApplied closed traces the store had applied before (re-read after a restart): ignored by it
 * @param tracesTimedOut       traces closed by the assembler's timeout (also counted as applied or already applied)
 * @param tracesEvicted        traces closed early because the assembler held its maximum of open traces (also
 *                             counted as applied or already applied)
 * @param partitionPauses      times a partition was paused for being read ahead of the others
 */
public record IngestStats(long recordsRead, long deadLettered, long duplicateMessages, long overflowMessages,
                          long tracesApplied, long tracesAlreadyApplied, long tracesTimedOut, long tracesEvicted,
                          long partitionPauses) {
}
