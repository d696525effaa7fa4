package net.tracemesh.web.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A session or API token the store found valid.
 *
 * @param validUntil when it stops being valid if nothing changes (the session's idle or absolute end, the token's
 *                   expiry), or null for a token without one; bounds how long it may be cached
 */
public record Credential(WebPrincipal principal, Instant validUntil) {
    public Credential {
        Objects.requireNonNull(principal, "principal");
    }
}
