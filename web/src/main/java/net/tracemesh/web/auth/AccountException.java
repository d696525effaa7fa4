package net.tracemesh.web.auth;

/**
 * An account operation the store refused as asked: the user exists already, the last admin would go, a name is
 * unknown. {@link Kind} says which, so the API can answer with the right status.
 */
public final class AccountException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind { NOT_FOUND, CONFLICT }

    private final Kind kind;

    public AccountException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
