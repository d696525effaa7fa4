package net.tracemesh.record;

import java.time.Instant;
import java.util.List;

/**
 * The result of one trace toward one destination, written as one JSON object per line.
 * Hops hold one entry per reply, ordered by TTL then probe; TTLs without a reply have no entry.
 * {@code sport} and {@code dport} are absent for ICMP methods.
 */
public record TraceRecord(String type, int schema, String src, String dst, String method, Instant start,
                          Instant end, int firstTtl, int maxTtl, int probesPerHop, int probeSize, Integer sport,
                          Integer dport, StopReason stopReason, Integer stopIcmpCode, Integer stopTtl, int probesSent,
                          Integer pathMtu, List<HopRecord> hops) {
    public static final String TYPE = "trace";

    public TraceRecord {
        if (!TYPE.equals(type)) {
            throw new IllegalArgumentException("type must be \"" + TYPE + "\", got " + type);
        }
        Fields.requireRange("schema", schema, RecordJson.SCHEMA_VERSION, RecordJson.SCHEMA_VERSION);
        Fields.requireAddress("src", src);
        Fields.requireAddress("dst", dst);
        Fields.requireNonNull("method", method);
        Fields.requireNonNull("start", start);
        Fields.requireNonNull("end", end);
        Fields.requireRange("first_ttl", firstTtl, 1, 255);
        Fields.requireRange("max_ttl", maxTtl, firstTtl, 255);
        Fields.requireRange("probes_per_hop", probesPerHop, 1, 255);
        Fields.requireRange("probe_size", probeSize, 20, 65535);
        Fields.requireRange("sport", sport, 0, 65535);
        Fields.requireRange("dport", dport, 0, 65535);
        Fields.requireNonNull("stop_reason", stopReason);
        Fields.requireRange("stop_icmp_code", stopIcmpCode, 0, 255);
        Fields.requireRange("stop_ttl", stopTtl, 1, 255);
        Fields.requireRange("probes_sent", probesSent, 0, Integer.MAX_VALUE);
        Fields.requireRange("path_mtu", pathMtu, 68, 65535);
        if ((stopReason == StopReason.UNREACHABLE) != (stopIcmpCode != null)) {
            throw new IllegalArgumentException("stop_icmp_code is present exactly when stop_reason is unreachable");
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end is before start");
        }
        hops = List.copyOf(Fields.requireNonNull("hops", hops));
    }
}
