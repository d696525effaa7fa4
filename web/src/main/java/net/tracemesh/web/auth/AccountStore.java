package net.tracemesh.web.auth;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.tracemesh.collector.store.DirectoryLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The web's accounts: users with their password hashes, API tokens and browser sessions (tables {@code web_users},
 * {@code web_tokens}, {@code web_sessions}), created and upgraded by Flyway from {@code db/web} with its own history
 * table {@code web_schema_history}, so the tables can live in the collector's PostgreSQL database beside its own.
 *
 * <p>Secrets are never stored: passwords as {@link PasswordHashing} hashes, session ids and tokens as SHA-256. Every
 * method blocks on JDBC (and {@link #login} on a deliberately slow password check): call them off the event loop.
 * The store is thread-safe; it reads and writes through a small connection pool.
 */
public final class AccountStore implements AutoCloseable {
    /** The H2 database's base name in the data directory (H2 adds {@code .mv.db}). */
    public static final String DATABASE_NAME = "accounts";
    /** The file an embedded store locks in its data directory while it is open. */
    public static final String LOCK_FILE = "accounts.lock";
    /** Where the migrations are on the class path. */
    public static final String MIGRATIONS = "classpath:db/web";
    /** Flyway's history table: not the default one, which the collector's schema uses. */
    public static final String HISTORY_TABLE = "web_schema_history";
    /** Shortest password accepted for a new user. */
    public static final int MIN_PASSWORD_LENGTH = 12;
    /** Longest password accepted (bounds the hashing work a request can ask for). */
    public static final int MAX_PASSWORD_LENGTH = 1024;
    /** Most tokens one user may hold. */
    public static final int MAX_TOKENS_PER_USER = 100;
    /** A session's last use and a token's last use are written at most this often. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    /** Random bytes of a generated admin password (32 base64url characters). */
    private static final int GENERATED_PASSWORD_BYTES = 24;
    private static final int TOKEN_ID_BYTES = 8;
    /** PostgreSQL compatibility; commits on disk when they return; closed by its owner, not by H2's shutdown hook. */
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    private static final String H2_USER = "sa";
    private static final String H2_PASSWORD = "";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int POOL_SIZE = 4;

    private final HikariDataSource pool;
    private final AuthSettings settings;
    private final Clock clock;
    private final PasswordHashing hashing;
    /** The embedded store's directory lock, or null for a store at a JDBC URL. */
    private final DirectoryLock lock;
    private volatile boolean closed;

    private AccountStore(String url, String user, String password, AuthSettings settings, Clock clock,
                         PasswordHashing hashing, DirectoryLock lock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hashing = Objects.requireNonNull(hashing, "hashing");
        migrate(url, user, password);
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(POOL_SIZE);
        c.setMinimumIdle(1);
        c.setAutoCommit(true);
        c.setPoolName("tracemesh-web-accounts");
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        this.pool = new HikariDataSource(c);
        this.lock = lock;
    }

    /** {@link #openEmbedded(Path, AuthSettings, Clock, PasswordHashing)} with the default settings. */
    public static AccountStore openEmbedded(Path dataDir) {
        return openEmbedded(dataDir, AuthSettings.defaults(), Clock.systemUTC(), new PasswordHashing());
    }

    /**
     * Opens (creating if needed) the embedded H2 account database under {@code dataDir} and migrates it. Only one
     * store may have a data directory open at a time, in this process or another: a second open is refused with an
     * {@link IllegalStateException} until the first is closed.
     */
    public static AccountStore openEmbedded(Path dataDir, AuthSettings settings, Clock clock,
                                            PasswordHashing hashing) {
        DirectoryLock lock;
        try {
            lock = DirectoryLock.acquire(dataDir, LOCK_FILE, "the account store");
        } catch (UncheckedIOException e) {
            throw new AccountStoreException(e.getMessage(), e.getCause());
        }
        Path dir = lock.directory();
        try {
            String url = "jdbc:h2:file:" + dir.resolve(DATABASE_NAME) + H2_OPTIONS;
            return new AccountStore(url, H2_USER, H2_PASSWORD, settings, clock, hashing, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** {@link #open(String, String, String, AuthSettings, Clock, PasswordHashing)} with the default settings. */
    public static AccountStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, AuthSettings.defaults(), Clock.systemUTC(), new PasswordHashing());
    }

    /** Opens the account tables at any JDBC URL (PostgreSQL, or H2 in PostgreSQL mode) and migrates them. */
    public static AccountStore open(String jdbcUrl, String user, String password, AuthSettings settings, Clock clock,
                                    PasswordHashing hashing) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("a JDBC URL starts with \"jdbc:\", got " + jdbcUrl);
        }
        return new AccountStore(jdbcUrl, user, password, settings, clock, hashing, null);
    }

    private static void migrate(String url, String user, String password) {
        try {
            // baseline at 0 so that a database already holding the collector's tables still gets V1
            Flyway.configure().dataSource(url, user, password).locations(MIGRATIONS).table(HISTORY_TABLE)
                    .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        } catch (FlywayException e) {
            throw new AccountStoreException("migrating the account store at " + url + " failed: " + e.getMessage(),
                    e);
        }
    }

    public AuthSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- users

    /**
     * Bootstrap: when the store holds no user at all, creates {@code user} as an admin with the given password, or
     * a generated one when it is null.
     *
     * @return the new admin's password (so the caller can print it or write it to a private file); empty when users
     *         existed already and nothing was changed
     * @throws IllegalArgumentException when the user name or the given password is not valid
     */
    public Optional<String> ensureAdmin(String user, String passwordOrNull) {
        UserAccount.requireName(user);
        if (userCount() > 0) {
            return Optional.empty();
        }
        String password = passwordOrNull == null ? Secrets.randomText(GENERATED_PASSWORD_BYTES) : passwordOrNull;
        try {
            createUser(user, password, Role.ADMIN);
        } catch (AccountException e) {
            return Optional.empty(); // another process created it first
        }
        return Optional.of(password);
    }

    /**
     * Creates a user.
     *
     * @throws IllegalArgumentException naming the field ({@code user:}, {@code password:}) when one is not valid
     * @throws AccountException         (conflict) when the name is taken
     */
    public UserAccount createUser(String user, String password, Role role) {
        UserAccount.requireName(user);
        requirePassword(password);
        Objects.requireNonNull(role, "role");
        UserAccount account = new UserAccount(user, role, now());
        String hash = hashing.hash(password);
        return write("creating user " + user, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO web_users (user_name, role, password_hash, "
                    + "created_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, user);
                s.setString(2, role.wireName());
                s.setString(3, hash);
                setInstant(s, 4, account.created());
                s.executeUpdate();
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new AccountException(AccountException.Kind.CONFLICT, "user " + user + " exists already");
                }
                throw e;
            }
            return account;
        });
    }

    /** Throws an {@link IllegalArgumentException} ({@code password: ...}) for a password too short or too long. */
    public static void requirePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password: needs at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password: longer than " + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    /** Every user, by name. */
    public List<UserAccount> users() {
        return read("listing users", c -> {
            List<UserAccount> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT user_name, role, created_at FROM web_users "
                    + "ORDER BY user_name"); ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(account(r));
                }
            }
            return out;
        });
    }

    public Optional<UserAccount> user(String user) {
        return read("reading user " + user, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT user_name, role, created_at FROM web_users "
                    + "WHERE user_name = ?")) {
                q.setString(1, user);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(account(r)) : Optional.<UserAccount>empty();
                }
            }
        });
    }

    private long userCount() {
        return read("counting users", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM web_users");
                 ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /**
     * Deletes a user with its sessions and tokens.
     *
     * @throws AccountException not found, or conflict when it is the last admin
     */
    public void deleteUser(String user) {
        write("deleting user " + user, c -> {
            Role role;
            try (PreparedStatement q = c.prepareStatement("SELECT role FROM web_users WHERE user_name = ? "
                    + "FOR UPDATE")) {
                q.setString(1, user);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        throw new AccountException(AccountException.Kind.NOT_FOUND, "no user " + user);
                    }
                    role = role(r.getString(1));
                }
            }
            if (role == Role.ADMIN) {
                int admins = 0;
                // locks every admin row, so two deletions of two admins cannot both see another admin left
                try (PreparedStatement q = c.prepareStatement("SELECT user_name FROM web_users WHERE role = ? "
                        + "FOR UPDATE")) {
                    q.setString(1, Role.ADMIN.wireName());
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            admins++;
                        }
                    }
                }
                if (admins <= 1) {
                    throw new AccountException(AccountException.Kind.CONFLICT, user + " is the last admin; "
                            + "create another admin before deleting it");
                }
            }
            for (String table : List.of("web_sessions", "web_tokens", "web_users")) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE user_name = ?")) {
                    s.setString(1, user);
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- sessions

    /**
     * Checks a user's password and, when it matches, opens a session (and re-hashes the password if its hash uses
     * fewer iterations than today's). An unknown user costs the same time as a wrong password.
     *
     * @return the new session, or empty for an unknown user or a wrong password
     */
    public Optional<NewSession> login(String user, String password) {
        if (user == null || password == null || password.length() > MAX_PASSWORD_LENGTH) {
            hashing.burn("");
            return Optional.empty();
        }
        record Stored(UserAccount account, String hash) {
        }
        Optional<Stored> stored = read("reading user " + user, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT user_name, role, created_at, password_hash "
                    + "FROM web_users WHERE user_name = ?")) {
                q.setString(1, user);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(new Stored(account(r), r.getString("password_hash")))
                            : Optional.<Stored>empty();
                }
            }
        });
        if (stored.isEmpty()) {
            hashing.burn(password);
            return Optional.empty();
        }
        if (!hashing.verify(password, stored.get().hash())) {
            return Optional.empty();
        }
        String rehash = hashing.needsRehash(stored.get().hash()) ? hashing.hash(password) : null;
        Instant now = now();
        String secret = Secrets.newSessionId();
        Instant expires = now.plus(settings.sessionMaxLifetime());
        write("opening a session for " + user, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM web_sessions WHERE expires_at <= ? "
                    + "OR last_seen_at <= ?")) {
                setInstant(s, 1, now);
                setInstant(s, 2, now.minus(settings.sessionIdleTimeout()));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO web_sessions (session_hash, user_name, "
                    + "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, Secrets.hash(secret));
                s.setString(2, user);
                setInstant(s, 3, now);
                setInstant(s, 4, now);
                setInstant(s, 5, expires);
                s.executeUpdate();
            }
            if (rehash != null) {
                try (PreparedStatement s = c.prepareStatement("UPDATE web_users SET password_hash = ? "
                        + "WHERE user_name = ?")) {
                    s.setString(1, rehash);
                    s.setString(2, user);
                    s.executeUpdate();
                }
            }
            return null;
        });
        return Optional.of(new NewSession(stored.get().account(), secret, expires));
    }

    /**
     * The session with this id, if it exists and has neither been idle too long nor outlived its maximum lifetime;
     * records its use (at most once a minute). An ended session is deleted.
     */
    public Optional<Credential> session(String sessionId) {
        if (!Secrets.looksLikeSessionId(sessionId)) {
            return Optional.empty();
        }
        String hash = Secrets.hash(sessionId);
        Instant now = now();
        return write("checking a session", c -> {
            String user;
            Role role;
            Instant lastSeen;
            Instant expires;
            try (PreparedStatement q = c.prepareStatement("SELECT s.user_name, u.role, s.last_seen_at, s.expires_at "
                    + "FROM web_sessions s JOIN web_users u ON u.user_name = s.user_name WHERE s.session_hash = ?")) {
                q.setString(1, hash);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<Credential>empty();
                    }
                    user = r.getString(1);
                    role = role(r.getString(2));
                    lastSeen = instant(r, 3);
                    expires = instant(r, 4);
                }
            }
            Instant idleEnd = lastSeen.plus(settings.sessionIdleTimeout());
            if (!now.isBefore(expires) || !now.isBefore(idleEnd)) {
                deleteSession(c, hash);
                return Optional.<Credential>empty();
            }
            if (!now.isBefore(lastSeen.plus(TOUCH_INTERVAL))) {
                try (PreparedStatement s = c.prepareStatement("UPDATE web_sessions SET last_seen_at = ? "
                        + "WHERE session_hash = ?")) {
                    setInstant(s, 1, now);
                    s.setString(2, hash);
                    s.executeUpdate();
                }
                idleEnd = now.plus(settings.sessionIdleTimeout());
            }
            Instant validUntil = idleEnd.isBefore(expires) ? idleEnd : expires;
            return Optional.of(new Credential(new WebPrincipal(user, role, WebPrincipal.Via.SESSION, null),
                    validUntil));
        });
    }

    /** Ends a session (a logout); an unknown id is ignored. */
    public void endSession(String sessionId) {
        if (!Secrets.looksLikeSessionId(sessionId)) {
            return;
        }
        write("ending a session", c -> {
            deleteSession(c, Secrets.hash(sessionId));
            return null;
        });
    }

    private static void deleteSession(Connection c, String hash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM web_sessions WHERE session_hash = ?")) {
            s.setString(1, hash);
            s.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- tokens

    /**
     * Creates an API token for a user.
     *
     * @param role      at most the user's role
     * @param expiresAt null for a token that does not expire; else in the future
     * @throws IllegalArgumentException naming the field when the name, role or expiry is not valid
     * @throws AccountException         not found (no such user), or conflict when the user holds too many tokens
     */
    public CreatedToken createToken(String user, String name, Role role, Instant expiresAt) {
        ApiToken.requireName(name);
        Objects.requireNonNull(role, "role");
        Instant now = now();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("expires_at: " + expiresAt + " is not in the future");
        }
        String secret = Secrets.newToken();
        ApiToken token = new ApiToken(HexFormat.of().formatHex(Secrets.randomBytes(TOKEN_ID_BYTES)), user, name,
                role, now, expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS), null);
        return write("creating a token for " + user, c -> {
            Role userRole;
            try (PreparedStatement q = c.prepareStatement("SELECT role FROM web_users WHERE user_name = ? "
                    + "FOR UPDATE")) {
                q.setString(1, user);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        throw new AccountException(AccountException.Kind.NOT_FOUND, "no user " + user);
                    }
                    userRole = role(r.getString(1));
                }
            }
            if (!userRole.allows(role)) {
                throw new IllegalArgumentException("role: " + user + " is a " + userRole.wireName()
                        + " and cannot create a token with role " + role.wireName());
            }
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM web_tokens WHERE user_name = ?")) {
                q.setString(1, user);
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    if (r.getLong(1) >= MAX_TOKENS_PER_USER) {
                        throw new AccountException(AccountException.Kind.CONFLICT, user + " holds "
                                + MAX_TOKENS_PER_USER + " tokens already; delete some first");
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO web_tokens (token_id, token_hash, user_name, "
                    + "name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, token.id());
                s.setString(2, Secrets.hash(secret));
                s.setString(3, user);
                s.setString(4, name);
                s.setString(5, role.wireName());
                setInstant(s, 6, token.created());
                setInstant(s, 7, token.expiresAt());
                s.executeUpdate();
            }
            return new CreatedToken(token, secret);
        });
    }

    /** The tokens of one user, or of everyone when {@code userOrNull} is null; by user, then creation. */
    public List<ApiToken> tokens(String userOrNull) {
        return read("listing tokens", c -> {
            List<ApiToken> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT token_id, user_name, name, role, created_at, "
                    + "expires_at, last_used_at FROM web_tokens" + (userOrNull == null ? "" : " WHERE user_name = ?")
                    + " ORDER BY user_name, created_at, token_id")) {
                if (userOrNull != null) {
                    q.setString(1, userOrNull);
                }
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new ApiToken(r.getString(1), r.getString(2), r.getString(3), role(r.getString(4)),
                                instant(r, 5), instant(r, 6), instant(r, 7)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Deletes a token.
     *
     * @param ownerOrNull when not null, only a token of this user is deleted
     * @return whether a token was deleted
     */
    public boolean deleteToken(String id, String ownerOrNull) {
        return write("deleting token " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM web_tokens WHERE token_id = ?"
                    + (ownerOrNull == null ? "" : " AND user_name = ?"))) {
                s.setString(1, id);
                if (ownerOrNull != null) {
                    s.setString(2, ownerOrNull);
                }
                return s.executeUpdate() > 0;
            }
        });
    }

    /**
     * The token with this secret, if it exists and has not expired; acts with the lower of its role and its user's
     * current role. Records its use (at most once a minute).
     */
    public Optional<Credential> token(String secret) {
        if (!Secrets.looksLikeToken(secret)) {
            return Optional.empty();
        }
        String hash = Secrets.hash(secret);
        Instant now = now();
        return write("checking a token", c -> {
            String id;
            String user;
            Role role;
            Instant expires;
            Instant lastUsed;
            try (PreparedStatement q = c.prepareStatement("SELECT t.token_id, t.user_name, t.role, u.role, "
                    + "t.expires_at, t.last_used_at FROM web_tokens t JOIN web_users u ON u.user_name = t.user_name "
                    + "WHERE t.token_hash = ?")) {
                q.setString(1, hash);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<Credential>empty();
                    }
                    id = r.getString(1);
                    user = r.getString(2);
                    Role tokenRole = role(r.getString(3));
                    Role userRole = role(r.getString(4));
                    role = userRole.allows(tokenRole) ? tokenRole : userRole;
                    expires = instant(r, 5);
                    lastUsed = instant(r, 6);
                }
            }
            if (expires != null && !now.isBefore(expires)) {
                return Optional.<Credential>empty();
            }
            if (lastUsed == null || !now.isBefore(lastUsed.plus(TOUCH_INTERVAL))) {
                try (PreparedStatement s = c.prepareStatement("UPDATE web_tokens SET last_used_at = ? "
                        + "WHERE token_id = ?")) {
                    setInstant(s, 1, now);
                    s.setString(2, id);
                    s.executeUpdate();
                }
            }
            return Optional.of(new Credential(new WebPrincipal(user, role, WebPrincipal.Via.TOKEN, id), expires));
        });
    }

    // ---------------------------------------------------------------- plumbing

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static UserAccount account(ResultSet r) throws SQLException {
        return new UserAccount(r.getString("user_name"), role(r.getString("role")), instant(r, "created_at"));
    }

    private static Role role(String wireName) {
        return Role.fromWireName(wireName).orElseThrow(() -> new IllegalStateException("unknown role in the "
                + "account store: " + wireName));
    }

    private static void setInstant(PreparedStatement s, int index, Instant at) throws SQLException {
        if (at == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        }
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(String what, Work<T> work) {
        requireOpen();
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new AccountStoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    private <T> T write(String what, Work<T> work) {
        requireOpen();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new AccountStoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the account store is closed");
        }
    }

    /** Closes the connections and, for an embedded store, unlocks its data directory. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
        if (lock != null) {
            lock.close();
        }
    }

}
