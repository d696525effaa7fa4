package net.tracemesh.web.measurements;

/** Why the {@link MeasurementCatalog} refused or could not finish a change. */
public final class CatalogException extends RuntimeException {
    /** What went wrong. */
    public enum Kind {
        /** A create for an id that is defined already (or being created). */
        EXISTS,
        /** A change of an id that is not defined. */
        MISSING,
        /** The catalog has not read the topic up to its end yet. */
        NOT_READY,
        /** Kafka did not take the write, or it was not read back in time. */
        WRITE_FAILED
    }

    private final Kind kind;

    public CatalogException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public CatalogException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
