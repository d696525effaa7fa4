package net.tracemesh.web.auth;

import java.util.Objects;

/**
 * A token just created, with its secret: the only time the secret is known to the server.
 *
 * @param secret {@code tm_} and 256 random bits in base64url
 */
public record CreatedToken(ApiToken token, String secret) {
    public CreatedToken {
        Objects.requireNonNull(token, "token");
        if (!Secrets.looksLikeToken(secret)) {
            throw new IllegalArgumentException("not an API token secret");
        }
    }

    @Override
    public String toString() {
        return "CreatedToken[" + token + ", secret=(hidden)]";
    }
}
