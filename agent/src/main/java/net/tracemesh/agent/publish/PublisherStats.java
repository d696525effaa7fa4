package net.tracemesh.agent.publish;

/**
 * A snapshot of the publisher's counters.
 *
 * @param published           messages acknowledged by Kafka
 * @param inFlight            messages handed to the producer, not yet acknowledged
 * @param spoolPending        messages waiting in the spool
 * @param spoolBytes          size of the spool on disk
 * @param spoolDroppedRecords messages the full spool dropped
 * @param spoolDroppedRounds  rounds that lost messages to a full spool
 * @param rejected            messages Kafka refused for good (too large, for example)
 * @param spooling            whether new messages currently go to the spool
 */
public record PublisherStats(long published, long inFlight, long spoolPending, long spoolBytes,
                             long spoolDroppedRecords, long spoolDroppedRounds, long rejected, boolean spooling) {
    public static final PublisherStats EMPTY = new PublisherStats(0, 0, 0, 0, 0, 0, 0, false);
}
