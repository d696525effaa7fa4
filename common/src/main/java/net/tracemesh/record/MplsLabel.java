package net.tracemesh.record;

/** One MPLS label stack entry reported in an ICMP extension (RFC 4950), as carried in hop records. */
public record MplsLabel(int label, int tc, boolean s, int ttl) {
    public MplsLabel {
        Fields.requireRange("mpls label", label, 0, 0xFFFFF);
        Fields.requireRange("mpls tc", tc, 0, 7);
        Fields.requireRange("mpls ttl", ttl, 0, 255);
    }
}
