package net.tracemesh.measurement;

/**
 * A definitions signing key that cannot be used: its file is missing or unreadable, is not PEM, holds another kind of
 * key (a private key where a public one is expected, RSA instead of Ed25519...), or a private key file every user
 * can read. The message names the file and says what to do.
 */
public final class SigningKeyException extends RuntimeException {
    public SigningKeyException(String message) {
        super(message);
    }

    public SigningKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
