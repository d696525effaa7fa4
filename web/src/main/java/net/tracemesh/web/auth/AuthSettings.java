package net.tracemesh.web.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * How long browser sessions live and how hard failed logins are throttled.
 *
 * @param sessionIdleTimeout  a session unused for this long ends (checked to the minute: use refreshes it at most once
 *                            a minute)
 * @param sessionMaxLifetime  a session ends this long after login, used or not
 * @param loginFailuresPerUser     failed logins for one user name within {@code loginFailureWindow} before that name
 *                                 is refused for a while
 * @param loginFailuresPerAddress  the same for one client address (spraying many names from one place)
 * @param loginFailureWindow  failures older than this (since the last one) are forgotten
 * @param loginFirstLockout   the first refusal's length; each further failure doubles it, up to
 *                            {@code loginMaxLockout}
 * @param loginMaxLockout     the longest refusal
 * @param lookupCacheTtl      how long a checked session or token is trusted without reading the store again (a
 *                            logout or revocation in this process applies at once; in another web process sharing
 *                            the database, within this time); zero disables the cache
 */
public record AuthSettings(Duration sessionIdleTimeout, Duration sessionMaxLifetime, int loginFailuresPerUser,
                           int loginFailuresPerAddress, Duration loginFailureWindow, Duration loginFirstLockout,
                           Duration loginMaxLockout, Duration lookupCacheTtl) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(12);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofDays(7);
    public static final int DEFAULT_FAILURES_PER_USER = 5;
    public static final int DEFAULT_FAILURES_PER_ADDRESS = 20;
    public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_FIRST_LOCKOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_LOCKOUT = Duration.ofMinutes(15);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(5);

    public AuthSettings {
        positive("session_idle_timeout", sessionIdleTimeout);
        positive("session_max_lifetime", sessionMaxLifetime);
        if (sessionIdleTimeout.compareTo(sessionMaxLifetime) > 0) {
            throw new IllegalArgumentException("session_idle_timeout: " + sessionIdleTimeout
                    + " is longer than session_max_lifetime " + sessionMaxLifetime);
        }
        if (loginFailuresPerUser < 1 || loginFailuresPerUser > 1000) {
            throw new IllegalArgumentException("login_failures_per_user: " + loginFailuresPerUser + " is not 1..1000");
        }
        if (loginFailuresPerAddress < 1 || loginFailuresPerAddress > 100_000) {
            throw new IllegalArgumentException("login_failures_per_address: " + loginFailuresPerAddress
                    + " is not 1..100000");
        }
        positive("login_failure_window", loginFailureWindow);
        positive("login_first_lockout", loginFirstLockout);
        positive("login_max_lockout", loginMaxLockout);
        if (loginFirstLockout.compareTo(loginMaxLockout) > 0) {
            throw new IllegalArgumentException("login_first_lockout: " + loginFirstLockout
                    + " is longer than login_max_lockout " + loginMaxLockout);
        }
        Objects.requireNonNull(lookupCacheTtl, "lookupCacheTtl");
        if (lookupCacheTtl.isNegative() || lookupCacheTtl.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("lookup_cache_ttl: " + lookupCacheTtl + " is not 0..60 s");
        }
    }

    /** 12 h idle, 7 days at most, 5 failures per user (20 per address) in 5 min, 30 s..15 min lockouts, 5 s cache. */
    public static AuthSettings defaults() {
        return new AuthSettings(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_LIFETIME, DEFAULT_FAILURES_PER_USER,
                DEFAULT_FAILURES_PER_ADDRESS, DEFAULT_FAILURE_WINDOW, DEFAULT_FIRST_LOCKOUT, DEFAULT_MAX_LOCKOUT,
                DEFAULT_CACHE_TTL);
    }

    public AuthSettings withSessionTimeouts(Duration idle, Duration max) {
        return new AuthSettings(idle, max, loginFailuresPerUser, loginFailuresPerAddress, loginFailureWindow,
                loginFirstLockout, loginMaxLockout, lookupCacheTtl);
    }

    public AuthSettings withLookupCacheTtl(Duration ttl) {
        return new AuthSettings(sessionIdleTimeout, sessionMaxLifetime, loginFailuresPerUser, loginFailuresPerAddress,
                loginFailureWindow, loginFirstLockout, loginMaxLockout, ttl);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " is not positive");
        }
    }
}
