package net.tracemesh.agent.ping;

/**
 * How to ping, validated when built.
 *
 * @param count          echo requests to send, 1..65536
 * @param intervalNanos  time between requests
 * @param dataSize       ICMP data bytes per request (as ping's -s), 4..65507
 * @param ttl            IP TTL of the requests, 1..255
 * @param waitNanos      how long to wait for each reply
 * @param dontFragment   set the DF bit
 */
public record PingOptions(int count, long intervalNanos, int dataSize, int ttl, long waitNanos,
                          boolean dontFragment) {
    public static final int MIN_DATA = 4;
    public static final int MAX_DATA = 65_507;

    public PingOptions {
        if (count < 1 || count > 65_536) {
            throw new IllegalArgumentException("count must be 1..65536, got " + count);
        }
        if (intervalNanos < 1_000_000L || intervalNanos > 3_600_000_000_000L) {
            throw new IllegalArgumentException("interval must be between 0.001 and 3600 seconds");
        }
        if (dataSize < MIN_DATA || dataSize > MAX_DATA) {
            throw new IllegalArgumentException("size must be " + MIN_DATA + ".." + MAX_DATA + " bytes, got "
                    + dataSize);
        }
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("TTL must be 1..255, got " + ttl);
        }
        if (waitNanos <= 0 || waitNanos > 60_000_000_000L) {
            throw new IllegalArgumentException("wait must be more than 0 and at most 60 seconds");
        }
    }
}
