package net.tracemesh.record;

import java.time.Instant;
import java.util.List;

/** The result of one ping run ({@code size}: ICMP data bytes, as ping -s). RTT statistics are absent when no reply came back. */
public record PingRecord(String type, int schema, String src, String dst, Instant start, int size, int ttl,
                         boolean df, int sent, int received, double lossPct, Double rttMinMs, Double rttAvgMs,
                         Double rttMaxMs, Double rttMdevMs, List<PingProbeRecord> probes) {
    public static final String TYPE = "ping";

    public PingRecord {
        if (!TYPE.equals(type)) {
            throw new IllegalArgumentException("type must be \"" + TYPE + "\", got " + type);
        }
        Fields.requireRange("schema", schema, RecordJson.SCHEMA_VERSION, RecordJson.SCHEMA_VERSION);
        Fields.requireAddress("src", src);
        Fields.requireAddress("dst", dst);
        Fields.requireNonNull("start", start);
        Fields.requireRange("size", size, 0, 65507);
        Fields.requireRange("ttl", ttl, 1, 255);
        Fields.requireRange("sent", sent, 0, Integer.MAX_VALUE);
        Fields.requireRange("received", received, 0, sent);
        probes = List.copyOf(Fields.requireNonNull("probes", probes));
    }
}
