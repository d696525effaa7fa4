package net.tracemesh.record;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a trace stopped. Serialized in lower snake case ("gap_limit"). */
public enum StopReason {
    /** The destination answered (port unreachable, echo reply, TCP SYN-ACK or RST). */
    COMPLETED,
    /** An ICMP destination unreachable other than port unreachable from the destination. */
    UNREACHABLE,
    /** Too many consecutive TTLs without any reply. */
    GAP_LIMIT,
    /** The same address answered at two TTLs that are not adjacent. */
    LOOP,
    /** The maximum TTL was probed without reaching the destination. */
    MAX_TTL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static StopReason fromWireName(String name) {
        for (StopReason r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown stop reason: " + name);
    }
}
