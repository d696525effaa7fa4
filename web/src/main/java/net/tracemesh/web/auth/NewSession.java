package net.tracemesh.web.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A session just opened by a login.
 *
 * @param secret    the session id for the cookie (256 random bits, base64url); the store keeps only its hash
 * @param expiresAt the end of its maximum lifetime
 */
public record NewSession(UserAccount account, String secret, Instant expiresAt) {
    public NewSession {
        Objects.requireNonNull(account, "account");
        if (!Secrets.looksLikeSessionId(secret)) {
            throw new IllegalArgumentException("not a session id");
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "NewSession[" + account + ", secret=(hidden), expiresAt=" + expiresAt + "]";
    }
}
