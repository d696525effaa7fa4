package net.tracemesh.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How results wait while Kafka is unreachable ({@code spool:} in agent.yaml).
 *
 * @param dir           directory of the on-disk spool [&lt;data-dir&gt;/spool]
 * @param maxBytes      size of the spool on disk, at most; at least 1 MiB [256 MiB]
 * @param memoryRecords records buffered in memory before the spool takes over, 1..10000000 [20000]
 * @param spoolAfter    a send unacknowledged this long means the broker is unreachable, 1..3600 s [10 s]
 */
public record SpoolConfig(Path dir, long maxBytes, int memoryRecords, Duration spoolAfter) {
    public static final String DEFAULT_DIR_NAME = "spool";
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    public static final long MIN_MAX_BYTES = 1L << 20;
    public static final int DEFAULT_MEMORY_RECORDS = 20_000;
    public static final int MAX_MEMORY_RECORDS = 10_000_000;
    public static final Duration DEFAULT_SPOOL_AFTER = Duration.ofSeconds(10);
    public static final Duration MAX_SPOOL_AFTER = Duration.ofHours(1);

    public SpoolConfig {
        if (dir == null) {
            throw new IllegalArgumentException("spool.dir: is missing");
        }
        if (maxBytes < MIN_MAX_BYTES) {
            throw new IllegalArgumentException("spool.max-bytes: must be at least 1MiB (" + MIN_MAX_BYTES
                    + "), got " + maxBytes);
        }
        if (memoryRecords < 1 || memoryRecords > MAX_MEMORY_RECORDS) {
            throw new IllegalArgumentException("spool.memory-records: must be 1.." + MAX_MEMORY_RECORDS + ", got "
                    + memoryRecords);
        }
        if (spoolAfter == null || spoolAfter.compareTo(Duration.ofSeconds(1)) < 0
                || spoolAfter.compareTo(MAX_SPOOL_AFTER) > 0) {
            throw new IllegalArgumentException("spool.spool-after-s: must be 1.." + MAX_SPOOL_AFTER.toSeconds()
                    + ", got " + (spoolAfter == null ? null : spoolAfter.toSeconds()));
        }
    }
}
