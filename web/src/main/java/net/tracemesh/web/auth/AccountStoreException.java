package net.tracemesh.web.auth;

/** The account database could not be read or written (the cause says why); nothing was changed. */
public final class AccountStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AccountStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
