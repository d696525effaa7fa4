package net.tracemesh.web.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every account store does, on H2 and on PostgreSQL. */
abstract class AccountStoreContract {
    static final String PASSWORD = "a long enough password";
    static final AuthSettings SETTINGS = AuthSettings.defaults().withSessionTimeouts(Duration.ofHours(1),
            Duration.ofHours(3));

    protected final MutableClock clock = MutableClock.atNow();
    protected AccountStore store;

    /** A fresh, empty store using {@link #clock}, {@link #SETTINGS} and cheap hashing. */
    abstract AccountStore open(String name);

    @BeforeEach
    void openStore() {
        store = open("main");
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void ensureAdminCreatesTheFirstUserOnce() {
        Optional<String> generated = store.ensureAdmin("admin", null);
        assertThat(generated).isPresent();
        assertThat(generated.get()).hasSizeGreaterThanOrEqualTo(AccountStore.MIN_PASSWORD_LENGTH);
        assertThat(store.login("admin", generated.get())).isPresent();
        assertThat(store.ensureAdmin("admin", null)).isEmpty();
        assertThat(store.ensureAdmin("other", PASSWORD)).isEmpty();
        assertThat(store.users()).extracting(UserAccount::user, UserAccount::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("admin", Role.ADMIN));
    }

    @Test
    void ensureAdminWithAGivenPassword() {
        assertThat(store.ensureAdmin("root", PASSWORD)).contains(PASSWORD);
        assertThat(store.login("root", PASSWORD)).map(s -> s.account().role()).contains(Role.ADMIN);
    }

    @Test
    void usersAreCreatedListedAndValidated() {
        store.createUser("bob", PASSWORD, Role.READER);
        store.createUser("alice@example.org", PASSWORD, Role.ADMIN);
        assertThat(store.users()).extracting(UserAccount::user).containsExactly("alice@example.org", "bob");
        assertThat(store.user("bob")).map(UserAccount::role).contains(Role.READER);
        assertThat(store.user("nobody")).isEmpty();
        assertThatThrownBy(() -> store.createUser("bob", PASSWORD, Role.ADMIN)).isInstanceOf(AccountException.class)
                .hasMessageContaining("exists");
        assertThatThrownBy(() -> store.createUser("carol", "short", Role.READER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("password:");
        assertThatThrownBy(() -> store.createUser("bad name", PASSWORD, Role.READER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("user:");
    }

    @Test
    void loginChecksThePassword() {
        store.createUser("bob", PASSWORD, Role.READER);
        assertThat(store.login("bob", PASSWORD + "x")).isEmpty();
        assertThat(store.login("nobody", PASSWORD)).isEmpty();
        NewSession s = store.login("bob", PASSWORD).orElseThrow();
        assertThat(s.secret()).hasSize(Secrets.SECRET_CHARS);
        assertThat(s.expiresAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                .plus(Duration.ofHours(3)));
        assertThat(store.session(s.secret())).map(c -> c.principal())
                .contains(new WebPrincipal("bob", Role.READER, WebPrincipal.Via.SESSION, null));
    }

    @Test
    void sessionsEndWhenIdle() {
        store.createUser("bob", PASSWORD, Role.READER);
        String id = store.login("bob", PASSWORD).orElseThrow().secret();
        clock.advance(Duration.ofMinutes(50));
        assertThat(store.session(id)).isPresent(); // use refreshes the idle timeout
        clock.advance(Duration.ofMinutes(50));
        assertThat(store.session(id)).isPresent();
        clock.advance(Duration.ofMinutes(61));
        assertThat(store.session(id)).isEmpty();
        assertThat(store.session(id)).isEmpty();
    }

    @Test
    void sessionsEndAfterTheirMaximumLifetimeEvenWhenUsed() {
        store.createUser("bob", PASSWORD, Role.READER);
        String id = store.login("bob", PASSWORD).orElseThrow().secret();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(35));
            assertThat(store.session(id)).isPresent();
        }
        clock.advance(Duration.ofMinutes(6));
        assertThat(store.session(id)).isEmpty();
    }

    @Test
    void logoutEndsTheSessionAndJunkIsRejected() {
        store.createUser("bob", PASSWORD, Role.READER);
        String id = store.login("bob", PASSWORD).orElseThrow().secret();
        store.endSession(id);
        assertThat(store.session(id)).isEmpty();
        assertThat(store.session("not-a-session")).isEmpty();
        assertThat(store.session(Secrets.newSessionId())).isEmpty();
        assertThat(store.token(Secrets.newToken())).isEmpty();
        assertThat(store.token(id)).isEmpty();
    }

    @Test
    void tokensAuthenticateUntilRevokedOrExpired() {
        store.createUser("bob", PASSWORD, Role.ADMIN);
        CreatedToken forever = store.createToken("bob", "ci", Role.READER, null);
        clock.advance(Duration.ofSeconds(1));
        CreatedToken shortLived = store.createToken("bob", "tmp", Role.ADMIN, clock.instant()
                .plus(Duration.ofHours(1)));
        assertThat(forever.secret()).startsWith("tm_").hasSize(3 + Secrets.SECRET_CHARS);
        Credential c = store.token(forever.secret()).orElseThrow();
        assertThat(c.principal()).isEqualTo(new WebPrincipal("bob", Role.READER, WebPrincipal.Via.TOKEN,
                forever.token().id()));
        assertThat(c.validUntil()).isNull();
        assertThat(store.token(shortLived.secret()).orElseThrow().principal().role()).isEqualTo(Role.ADMIN);
        assertThat(store.tokens("bob")).extracting(ApiToken::name).containsExactly("ci", "tmp");
        assertThat(store.tokens(null)).hasSize(2);
        assertThat(store.tokens("nobody")).isEmpty();

        clock.advance(Duration.ofMinutes(61));
        assertThat(store.token(shortLived.secret())).isEmpty();
        assertThat(store.deleteToken(forever.token().id(), "someone-else")).isFalse();
        assertThat(store.token(forever.secret())).isPresent();
        assertThat(store.deleteToken(forever.token().id(), "bob")).isTrue();
        assertThat(store.token(forever.secret())).isEmpty();
        assertThat(store.deleteToken(forever.token().id(), null)).isFalse();
    }

    @Test
    void tokenUseIsRecordedAtMostOnceAMinute() {
        store.createUser("bob", PASSWORD, Role.READER);
        CreatedToken t = store.createToken("bob", "ci", Role.READER, null);
        assertThat(store.tokens("bob").get(0).lastUsed()).isNull();
        store.token(t.secret());
        java.time.Instant first = store.tokens("bob").get(0).lastUsed();
        assertThat(first).isNotNull();
        clock.advance(Duration.ofSeconds(30));
        store.token(t.secret());
        assertThat(store.tokens("bob").get(0).lastUsed()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(31));
        store.token(t.secret());
        assertThat(store.tokens("bob").get(0).lastUsed()).isAfter(first);
    }

    @Test
    void tokenRulesAreEnforced() {
        store.createUser("bob", PASSWORD, Role.READER);
        assertThatThrownBy(() -> store.createToken("bob", "x", Role.ADMIN, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("role:");
        assertThatThrownBy(() -> store.createToken("bob", "x", Role.READER, clock.instant().minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("expires_at:");
        assertThatThrownBy(() -> store.createToken("bob", " ", Role.READER, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> store.createToken("nobody", "x", Role.READER, null))
                .isInstanceOf(AccountException.class);
        for (int i = 0; i < AccountStore.MAX_TOKENS_PER_USER; i++) {
            store.createToken("bob", "t" + i, Role.READER, null);
        }
        assertThatThrownBy(() -> store.createToken("bob", "one too many", Role.READER, null))
                .isInstanceOf(AccountException.class).hasMessageContaining("tokens already");
    }

    @Test
    void theLastAdminCannotBeDeletedAndDeletionTakesSessionsAndTokens() {
        store.createUser("root", PASSWORD, Role.ADMIN);
        store.createUser("bob", PASSWORD, Role.ADMIN);
        String session = store.login("bob", PASSWORD).orElseThrow().secret();
        CreatedToken token = store.createToken("bob", "ci", Role.ADMIN, null);
        store.deleteUser("bob");
        assertThat(store.session(session)).isEmpty();
        assertThat(store.token(token.secret())).isEmpty();
        assertThat(store.tokens(null)).isEmpty();
        assertThatThrownBy(() -> store.deleteUser("root")).isInstanceOf(AccountException.class)
                .extracting(e -> ((AccountException) e).kind()).isEqualTo(AccountException.Kind.CONFLICT);
        assertThatThrownBy(() -> store.deleteUser("bob")).isInstanceOf(AccountException.class)
                .extracting(e -> ((AccountException) e).kind()).isEqualTo(AccountException.Kind.NOT_FOUND);
        store.createUser("reader", PASSWORD, Role.READER);
        store.deleteUser("reader");
        assertThat(store.users()).extracting(UserAccount::user).containsExactly("root");
    }

    @Test
    void weakerHashesAreUpgradedAtLogin() {
        store.createUser("bob", PASSWORD, Role.READER);
        store.close();
        store = reopenWithHashing("main", new PasswordHashing(PasswordHashing.MIN_ITERATIONS * 2));
        assertThat(store.login("bob", PASSWORD)).isPresent();
        assertThat(store.login("bob", PASSWORD)).isPresent();
    }

    /** The same store as {@link #open} gave, opened again with another hasher. */
    abstract AccountStore reopenWithHashing(String name, PasswordHashing hashing);
}
