package net.tracemesh.message;

/** A message that cannot be used, with why; thrown by {@link MessageJson#decode}. */
public final class InvalidMessageException extends RuntimeException {
    /** What is wrong with a message. */
    public enum Reason { BAD_JSON, UNSUPPORTED_SCHEMA, MISSING_FIELD, INVALID_FIELD }

    private final Reason reason;

    public InvalidMessageException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
