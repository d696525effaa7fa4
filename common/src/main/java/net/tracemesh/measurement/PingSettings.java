package net.tracemesh.measurement;

/**
 * How a scheduled ping probes; the ranges and defaults of the agent's ping command. Validation messages name
 * the JSON field ({@code count: ...}).
 *
 * @param count      echo requests per round and target, 1..65536 [5]
 * @param intervalMs time between requests, 1..3600000 ms [1000]
 * @param size       ICMP data bytes per request (as ping's -s), 4..65507 [56]
 * @param ttl        IP TTL of the requests, 1..255 [64]
 * @param waitMs     how long to wait for each reply, 1..60000 ms [2000]
 * @param df         set the don't-fragment bit [false]
 */
public record PingSettings(int count, int intervalMs, int size, int ttl, int waitMs, boolean df) {
    public static final int MAX_COUNT = 65_536;
    public static final int MAX_INTERVAL_MS = 3_600_000;
    public static final int MIN_SIZE = 4;
    public static final int MAX_SIZE = 65_507;
    public static final int MAX_TTL = 255;
    public static final int MAX_WAIT_MS = 60_000;

    /** The defaults of every field. */
    public static final PingSettings DEFAULTS = new PingSettings(5, 1000, 56, 64, 2000, false);

    public PingSettings {
        Ranges.require("count", count, 1, MAX_COUNT);
        Ranges.require("interval_ms", intervalMs, 1, MAX_INTERVAL_MS);
        Ranges.require("size", size, MIN_SIZE, MAX_SIZE);
        Ranges.require("ttl", ttl, 1, MAX_TTL);
        Ranges.require("wait_ms", waitMs, 1, MAX_WAIT_MS);
    }
}
