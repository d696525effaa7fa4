package net.tracemesh.collector.daemon;

import java.time.Instant;
import net.tracemesh.collector.ingest.IngestStats;

/**
 * What a {@link CollectorService} has done since it started.
 *
 * @param healthy       whether the ingest is running (false once it failed or the service was closed)
 * @param ingest        the ingest's counters
 * @param prunes        retention runs that completed
 * @param tracesPruned  traces whose raw hop records retention dropped
 * @param pruneFailures retention runs that failed (retried at the next interval)
 * @param lastPrune     when the last retention run completed; null before the first
 */
public record CollectorStats(boolean healthy, IngestStats ingest, long prunes, long tracesPruned, long pruneFailures,
                             Instant lastPrune) {
}
