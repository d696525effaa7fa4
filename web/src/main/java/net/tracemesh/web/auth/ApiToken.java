package net.tracemesh.web.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An API token as listed: everything but the secret, which is shown once when created ({@link CreatedToken}).
 *
 * @param id        public id (16 hex digits), used to revoke it
 * @param user      the user the token acts for
 * @param name      what its creator called it
 * @param role      the role it acts with (at most its user's)
 * @param expiresAt when it stops working, or null for never
 * @param lastUsed  when it last authenticated a request (to the minute), or null
 */
public record ApiToken(String id, String user, String name, Role role, Instant created, Instant expiresAt,
                       Instant lastUsed) {
    /** The longest token name. */
    public static final int MAX_NAME_LENGTH = 100;

    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        requireName(name);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(created, "created");
    }

    static String requireName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name: a token name is 1.." + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }
}
