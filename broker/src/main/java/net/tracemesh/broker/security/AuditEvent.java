package net.tracemesh.broker.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One refused attempt, as a line of the audit log: either a failed authentication (who tried to log in, from where,
 * why it failed) or an operation the authorizer denied to an authenticated principal.
 *
 * @param time      when the broker refused it
 * @param kind      {@link #AUTHENTICATION_FAILED} or {@link #AUTHORIZATION_DENIED}
 * @param principal {@code User:NAME} (for a failed login, the user name the client gave, if it could be read)
 * @param client    the client's address, or null when the broker does not tell
 * @param mechanism SASL mechanism of a failed login, or null
 * @param reason    {@code unknown_user}, {@code wrong_password} or {@code failed} for a login; null for a denial
 * @param detail    a message for people, or null
 * @param operation denied operation (READ, WRITE, ...), or null
 * @param resource  denied resource ({@code TOPIC:tracemesh.measurements}), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(@JsonProperty("time") Instant time, @JsonProperty("kind") String kind,
                         @JsonProperty("principal") String principal, @JsonProperty("client") String client,
                         @JsonProperty("mechanism") String mechanism, @JsonProperty("reason") String reason,
                         @JsonProperty("detail") String detail, @JsonProperty("operation") String operation,
                         @JsonProperty("resource") String resource) {
    public static final String AUTHENTICATION_FAILED = "authentication_failed";
    public static final String AUTHORIZATION_DENIED = "authorization_denied";
    public static final String UNKNOWN_USER = "unknown_user";
    public static final String WRONG_PASSWORD = "wrong_password";
    public static final String FAILED = "failed";

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
    }

    /** A refused login. */
    public static AuditEvent authenticationFailed(String user, String client, String mechanism, String reason,
                                                  String detail) {
        return new AuditEvent(Instant.now(), AUTHENTICATION_FAILED, user == null ? null : "User:" + user, client,
                mechanism, reason, detail, null, null);
    }

    /** A denied operation. */
    public static AuditEvent authorizationDenied(String principal, String client, String operation, String resource) {
        return new AuditEvent(Instant.now(), AUTHORIZATION_DENIED, principal, client, null, null, null, operation,
                resource);
    }

    /** One line for people (the WARN log and {@code SecurityAdmin events}). */
    public String describe() {
        String from = client == null ? "" : " from " + client;
        if (AUTHENTICATION_FAILED.equals(kind)) {
            return time + " login refused" + from + ": " + (principal == null ? "(no user name)" : principal)
                    + (mechanism == null ? "" : " " + mechanism) + " " + reason + (detail == null ? "" : " (" + detail
                    + ")");
        }
        return time + " denied" + from + ": " + principal + " " + operation + " " + resource;
    }
}
