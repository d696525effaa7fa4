package net.tracemesh.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Throttles password guessing, in memory: per user name and per client address, the failed logins within the
 * failure window are counted; from the configured number on, further attempts for that name (or from that address)
 * are refused for a while: {@link AuthSettings#loginFirstLockout()} after reaching the limit, doubled by every
 * further failure up to {@link AuthSettings#loginMaxLockout()}. A successful login clears its user name's count.
 *
 * <p>Refused attempts do not check the password at all, so a refusal costs nothing and reveals nothing. The tables
 * are bounded: past {@link #MAX_ENTRIES} names or addresses, stale entries are dropped, then the oldest.
 * Thread-safe.
 */
public final class LoginLimiter {
    /** Most user names (and, separately, addresses) remembered. */
    public static final int MAX_ENTRIES = 10_000;
    /** Lockouts double at most this many times (keeps the shift in range; the maximum lockout caps them anyway). */
    private static final int MAX_DOUBLINGS = 20;
    /** Wait suggested while running attempts could use up the remaining tries. */
    private static final Duration BUSY_WAIT = Duration.ofSeconds(1);

    private final AuthSettings settings;
    private final Clock clock;
    private final Map<String, Failures> byUser = new HashMap<>();
    private final Map<String, Failures> byAddress = new HashMap<>();

    public LoginLimiter(AuthSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public LoginLimiter(AuthSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** Failures of one name or address, and its attempts whose password check is still running. */
    private static final class Failures {
        int count;
        int pending;
        Instant last;
        Instant lockedUntil;
    }

    /**
     * Whether a login for {@code user} from {@code address} may be tried now.
     *
     * @return empty when it may; else how long to wait (the longer of the user's and the address's lockout)
     */
    public synchronized Optional<Duration> refusal(String user, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (Failures f : new Failures[] {byUser.get(key(user)), byAddress.get(key(address))}) {
            if (f != null && f.lockedUntil != null && now.isBefore(f.lockedUntil)) {
                Duration d = Duration.between(now, f.lockedUntil);
                wait = d.compareTo(wait) > 0 ? d : wait;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    /**
     * Starts a login attempt: refused like {@link #refusal}, and also while the attempts already running for this
     * user name (or address) could, by failing, reach its limit; so parallel guesses cannot outrun the count. An
     * attempt that is not refused must end with {@link #failed}, {@link #succeeded} or {@link #abandoned}.
     *
     * @return empty when the attempt may go ahead; else how long to wait
     */
    public synchronized Optional<Duration> begin(String user, String address) {
        Optional<Duration> locked = refusal(user, address);
        if (locked.isPresent()) {
            return locked;
        }
        Instant now = clock.instant();
        if (saturated(byUser.get(key(user)), settings.loginFailuresPerUser(), now)
                || saturated(byAddress.get(key(address)), settings.loginFailuresPerAddress(), now)) {
            return Optional.of(BUSY_WAIT);
        }
        entry(byUser, key(user), now).pending++;
        entry(byAddress, key(address), now).pending++;
        return Optional.empty();
    }

    private boolean saturated(Failures f, int limit, Instant now) {
        if (f == null) {
            return false;
        }
        int failures = stale(f, now) ? 0 : f.count;
        // past the limit (a lockout just ended) one attempt at a time may run
        return f.pending >= Math.max(1, limit - failures);
    }

    /** Records a failed login (wrong password or unknown user). */
    public synchronized void failed(String user, String address) {
        Instant now = clock.instant();
        record(byUser, key(user), settings.loginFailuresPerUser(), now);
        record(byAddress, key(address), settings.loginFailuresPerAddress(), now);
    }

    /** Records a successful login: the user name's failures are forgotten (the address's decay on their own). */
    public synchronized void succeeded(String user, String address) {
        byUser.remove(key(user));
        release(byAddress.get(key(address)));
    }

    /** Ends an attempt that could not be decided (the account store failed): neither a failure nor a success. */
    public synchronized void abandoned(String user, String address) {
        release(byUser.get(key(user)));
        release(byAddress.get(key(address)));
    }

    private static void release(Failures f) {
        if (f != null && f.pending > 0) {
            f.pending--;
        }
    }

    private Failures entry(Map<String, Failures> table, String key, Instant now) {
        Failures f = table.get(key);
        if (f == null) {
            if (table.size() >= MAX_ENTRIES) {
                evict(table, now);
            }
            f = new Failures();
            f.last = now;
            table.put(key, f);
        }
        return f;
    }

    private void record(Map<String, Failures> table, String key, int limit, Instant now) {
        Failures f = table.get(key);
        if (f == null) {
            f = entry(table, key, now);
        } else if (stale(f, now)) {
            f.count = 0;
            f.lockedUntil = null;
        }
        release(f);
        f.count++;
        f.last = now;
        if (f.count >= limit) {
            int doublings = Math.min(f.count - limit, MAX_DOUBLINGS);
            Duration lockout = settings.loginFirstLockout().multipliedBy(1L << doublings);
            if (lockout.compareTo(settings.loginMaxLockout()) > 0) {
                lockout = settings.loginMaxLockout();
            }
            f.lockedUntil = now.plus(lockout);
        }
    }

    /**
     * Whether the failures are forgotten: a whole window has passed since the last failure and since the end of the
     * lockout (so back-off keeps growing while an attacker retries as soon as each lockout ends).
     */
    private boolean stale(Failures f, Instant now) {
        Instant quietSince = f.lockedUntil != null && f.lockedUntil.isAfter(f.last) ? f.lockedUntil : f.last;
        return !now.isBefore(quietSince.plus(settings.loginFailureWindow()));
    }

    private void evict(Map<String, Failures> table, Instant now) {
        table.values().removeIf(f -> f.pending == 0 && stale(f, now));
        if (table.size() < MAX_ENTRIES) {
            return;
        }
        String oldest = null;
        Instant oldestTime = null;
        for (Iterator<Map.Entry<String, Failures>> it = table.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Failures> e = it.next();
            if (oldestTime == null || e.getValue().last.isBefore(oldestTime)) {
                oldest = e.getKey();
                oldestTime = e.getValue().last;
            }
        }
        table.remove(oldest);
    }

    private static String key(String s) {
        return s == null ? "" : s;
    }
}
