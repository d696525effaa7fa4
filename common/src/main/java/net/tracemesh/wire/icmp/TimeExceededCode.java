package net.tracemesh.wire.icmp;

/** Codes of ICMP time exceeded (RFC 792). */
public final class TimeExceededCode {
    /** The TTL reached zero in transit: what traceroute elicits. */
    public static final int TTL_EXCEEDED_IN_TRANSIT = 0;
    /** Fragments did not all arrive before the reassembly timer expired. */
    public static final int FRAGMENT_REASSEMBLY_TIME_EXCEEDED = 1;

    private TimeExceededCode() {
    }

    /** A readable name, or "code N" for codes not listed here. */
    public static String name(int code) {
        return switch (code) {
            case TTL_EXCEEDED_IN_TRANSIT -> "TTL exceeded in transit";
            case FRAGMENT_REASSEMBLY_TIME_EXCEEDED -> "fragment reassembly time exceeded";
            default -> "code " + code;
        };
    }
}
