package net.tracemesh.collector.store;

/** A collector store operation failed in the database (the cause says why); the store's state is unchanged. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
