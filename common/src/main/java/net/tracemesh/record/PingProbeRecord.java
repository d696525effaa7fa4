package net.tracemesh.record;

/** One probe of a ping run. {@code rttMs}, {@code from}, ICMP fields and {@code mtu} are absent on a timeout. */
public record PingProbeRecord(int seq, PingOutcome outcome, Double rttMs, String from, Integer icmpType,
                              Integer icmpCode, Integer mtu) {
    public PingProbeRecord {
        Fields.requireRange("seq", seq, 0, 65535);
        Fields.requireNonNull("outcome", outcome);
        Fields.requireNonNegative("rtt_ms", rttMs);
        if (from != null) {
            Fields.requireAddress("from", from);
        }
        Fields.requireRange("icmp_type", icmpType, 0, 255);
        Fields.requireRange("icmp_code", icmpCode, 0, 255);
        Fields.requireRange("mtu", mtu, 68, 65535);
    }
}
