package net.tracemesh.web.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import net.tracemesh.web.auth.AuthSettings;

/**
 * Accounts and sessions ({@code auth:} in web.yaml).
 *
 * @param adminUser         the administrator created when the account store holds no user [admin]
 * @param adminPasswordFile that administrator's password: read from this file if it exists, else generated and
 *                          written there (mode 0600); none: generated and printed once
 * @param sessionIdle       a browser session unused this long ends [12h]
 * @param sessionMax        a browser session ends this long after login [7d]
 */
public record AccountSettings(String adminUser, Path adminPasswordFile, Duration sessionIdle, Duration sessionMax) {
    public static final String DEFAULT_ADMIN_USER = "admin";
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    public AccountSettings {
        if (adminUser == null || !USER.matcher(adminUser).matches()) {
            throw new IllegalArgumentException("auth.admin-user: '" + adminUser + "' must be 1 to 64 letters, digits,"
                    + " '.', '_', '@' or '-'");
        }
        positive("auth.session-idle", sessionIdle);
        positive("auth.session-max", sessionMax);
        if (sessionIdle.compareTo(sessionMax) > 0) {
            throw new IllegalArgumentException("auth.session-idle: is longer than auth.session-max");
        }
    }

    public static AccountSettings defaults() {
        return new AccountSettings(DEFAULT_ADMIN_USER, null, AuthSettings.DEFAULT_IDLE_TIMEOUT,
                AuthSettings.DEFAULT_MAX_LIFETIME);
    }

    /** The account store's settings: the defaults with these session lifetimes. */
    public AuthSettings authSettings() {
        return AuthSettings.defaults().withSessionTimeouts(sessionIdle, sessionMax);
    }

    private static void positive(String path, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(path + ": must be more than 0");
        }
    }
}
