package net.tracemesh.measurement;

/**
 * A measurement definition that cannot be used, with why ({@link #reason()}) and a one-line message naming the
 * field ({@code targets[2]: '224.0.0.1/33' is not an IPv4 address or prefix ...}). Checked: a bad definition on
 * the topic must be handled (logged, reported, skipped), never crash the consumer.
 */
public final class DefinitionException extends Exception {
    /** Why a definition was refused. */
    public enum Reason {
        /** Not JSON, or not a JSON object. */
        BAD_JSON,
        /** A {@code schema} other than 1. */
        UNSUPPORTED_SCHEMA,
        /** A {@code method} this version does not know. */
        UNKNOWN_METHOD,
        /** A required field is absent or null. */
        MISSING_FIELD,
        /** A field this schema does not have. */
        UNKNOWN_FIELD,
        /** A field of the wrong type or out of range, or fields that contradict each other. */
        BAD_VALUE
    }

    private final Reason reason;

    public DefinitionException(Reason reason, String message) {
        this(reason, message, null);
    }

    public DefinitionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        if (reason == null) {
            throw new IllegalArgumentException("reason is missing");
        }
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
