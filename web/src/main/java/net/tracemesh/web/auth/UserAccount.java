package net.tracemesh.web.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user of the web (never with the password hash).
 *
 * @param user    the login name: 1..64 of letters, digits and {@code . _ @ -}, starting with a letter or digit
 * @param created when the account was created
 */
public record UserAccount(String user, Role role, Instant created) {
    /** What a user name may look like (also in openapi/accounts.yaml). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    public UserAccount {
        requireName(user);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(created, "created");
    }

    /** Throws an {@link IllegalArgumentException} saying what is wrong with a user name. */
    public static String requireName(String user) {
        if (user == null || !NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("user: '" + user + "' is not 1..64 letters, digits and . _ @ -"
                    + " starting with a letter or digit");
        }
        return user;
    }
}
