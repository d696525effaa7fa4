package net.tracemesh.wire.icmp;

/** ICMP message types (RFC 792, RFC 950). */
public final class IcmpType {
    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;
    public static final int TIMESTAMP = 13;
    public static final int TIMESTAMP_REPLY = 14;
    public static final int ADDRESS_MASK_REQUEST = 17;
    public static final int ADDRESS_MASK_REPLY = 18;

    private IcmpType() {
    }

    /** A readable name such as "time exceeded", or "type N" for types not listed here. */
    public static String name(int type) {
        return switch (type) {
            case ECHO_REPLY -> "echo reply";
            case DESTINATION_UNREACHABLE -> "destination unreachable";
            case SOURCE_QUENCH -> "source quench";
            case REDIRECT -> "redirect";
            case ECHO_REQUEST -> "echo request";
            case TIME_EXCEEDED -> "time exceeded";
            case PARAMETER_PROBLEM -> "parameter problem";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_REPLY -> "timestamp reply";
            case ADDRESS_MASK_REQUEST -> "address mask request";
            case ADDRESS_MASK_REPLY -> "address mask reply";
            default -> "type " + type;
        };
    }

    /** Whether {@code type} is an error that quotes the datagram that caused it (3, 4, 5, 11, 12). */
    public static boolean isError(int type) {
        return type == DESTINATION_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }

    /** Whether {@code type} carries an RFC 4884 length attribute and may carry extensions (3, 11, 12). */
    public static boolean isExtensible(int type) {
        return type == DESTINATION_UNREACHABLE || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }

    /** Whether {@code type} is one of the types listed here, each decoded into its own record. */
    public static boolean isKnown(int type) {
        return switch (type) {
            case ECHO_REPLY, DESTINATION_UNREACHABLE, SOURCE_QUENCH, REDIRECT, ECHO_REQUEST, TIME_EXCEEDED,
                    PARAMETER_PROBLEM, TIMESTAMP, TIMESTAMP_REPLY, ADDRESS_MASK_REQUEST, ADDRESS_MASK_REPLY -> true;
            default -> false;
        };
    }
}
