package net.tracemesh.wire.icmp;

/** Codes of ICMP parameter problem (RFC 792, RFC 1108, RFC 1812). */
public final class ParameterProblemCode {
    /** The pointer gives the offset of the octet in error. */
    public static final int POINTER_INDICATES_ERROR = 0;
    /** A required option is missing. */
    public static final int MISSING_REQUIRED_OPTION = 1;
    /** Bad length. */
    public static final int BAD_LENGTH = 2;

    private ParameterProblemCode() {
    }

    /** A readable name, or "code N" for codes not listed here. */
    public static String name(int code) {
        return switch (code) {
            case POINTER_INDICATES_ERROR -> "pointer indicates the error";
            case MISSING_REQUIRED_OPTION -> "missing a required option";
            case BAD_LENGTH -> "bad length";
            default -> "code " + code;
        };
    }
}
