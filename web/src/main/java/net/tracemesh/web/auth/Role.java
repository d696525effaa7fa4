package net.tracemesh.web.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user or API token may do. A reader sees everything the API serves; only an admin creates, changes or
 * deletes measurements, agents, users and tokens of other users.
 */
public enum Role {
    READER,
    ADMIN;

    /** Whether a principal holding this role may use an operation that requires {@code required}. */
    public boolean allows(Role required) {
        return this.ordinal() >= required.ordinal();
    }

    /** The name used in JSON and the database: {@code reader} or {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
