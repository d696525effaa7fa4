package net.tracemesh.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
    private final MutableClock clock = MutableClock.atNow();
    private final LoginLimiter limiter = new LoginLimiter(AuthSettings.defaults(), clock);

    private void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(limiter.refusal(user, address)).isEmpty();
            limiter.failed(user, address);
        }
    }

    @Test
    void fiveFailuresLockTheUserWithExponentialBackOff() {
        fail("alice", "192.0.2.1", 4);
        assertThat(limiter.refusal("alice", "192.0.2.1")).isEmpty();
        limiter.failed("alice", "192.0.2.1");
        assertThat(limiter.refusal("alice", "192.0.2.2")).contains(Duration.ofSeconds(30));
        assertThat(limiter.refusal("bob", "192.0.2.2")).isEmpty();

        clock.advance(Duration.ofSeconds(31));
        assertThat(limiter.refusal("alice", "192.0.2.1")).isEmpty();
        limiter.failed("alice", "192.0.2.1");
        assertThat(limiter.refusal("alice", "192.0.2.1")).contains(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(61));
        limiter.failed("alice", "192.0.2.1");
        assertThat(limiter.refusal("alice", "192.0.2.1")).contains(Duration.ofSeconds(120));
        Duration expected = Duration.ofSeconds(120);
        for (int i = 0; i < 6; i++) {
            clock.advance(limiter.refusal("alice", "192.0.2.1").orElseThrow().plusSeconds(1));
            limiter.failed("alice", "192.0.2.1");
            expected = expected.multipliedBy(2).compareTo(Duration.ofMinutes(15)) > 0 ? Duration.ofMinutes(15)
                    : expected.multipliedBy(2);
            assertThat(limiter.refusal("alice", "192.0.2.1")).contains(expected);
        }
        assertThat(expected).isEqualTo(Duration.ofMinutes(15));
        clock.advance(Duration.ofMinutes(15).plus(Duration.ofMinutes(5)));
        fail("alice", "192.0.2.1", 4); // a quiet window after the lockout forgets everything
        assertThat(limiter.refusal("alice", "192.0.2.1")).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        fail("alice", "192.0.2.1", 4);
        clock.advance(Duration.ofMinutes(6));
        fail("alice", "192.0.2.1", 4);
        assertThat(limiter.refusal("alice", "192.0.2.1")).isEmpty();
    }

    @Test
    void successClearsTheUsersCount() {
        fail("alice", "192.0.2.1", 4);
        limiter.succeeded("alice", "192.0.2.1");
        fail("alice", "192.0.2.1", 4);
        assertThat(limiter.refusal("alice", "192.0.2.1")).isEmpty();
    }

    @Test
    void parallelAttemptsCannotOutrunTheLimit() {
        for (int i = 0; i < AuthSettings.DEFAULT_FAILURES_PER_USER; i++) {
            assertThat(limiter.begin("alice", "192.0.2." + i)).isEmpty();
        }
        assertThat(limiter.begin("alice", "192.0.2.99")).contains(Duration.ofSeconds(1));
        assertThat(limiter.begin("bob", "192.0.2.99")).isEmpty();
        limiter.abandoned("alice", "192.0.2.0");
        assertThat(limiter.begin("alice", "192.0.2.0")).isEmpty();
        for (int i = 0; i < AuthSettings.DEFAULT_FAILURES_PER_USER; i++) {
            limiter.failed("alice", "192.0.2." + i);
        }
        assertThat(limiter.begin("alice", "192.0.2.99")).contains(Duration.ofSeconds(30));
        limiter.succeeded("bob", "192.0.2.99");
        assertThat(limiter.begin("bob", "192.0.2.99")).isEmpty();
    }

    @Test
    void oneAddressSprayingManyNamesIsLocked() {
        for (int i = 0; i < AuthSettings.DEFAULT_FAILURES_PER_ADDRESS; i++) {
            fail("user" + i, "198.51.100.7", 1);
        }
        assertThat(limiter.refusal("someone-else", "198.51.100.7")).isPresent();
        assertThat(limiter.refusal("someone-else", "198.51.100.8")).isEmpty();
    }

    @Test
    void tablesStayBounded() {
        for (int i = 0; i < LoginLimiter.MAX_ENTRIES + 50; i++) {
            limiter.failed("user" + i, "addr" + (i % 100));
        }
        // the newest entries are still there
        for (int i = 0; i < 4; i++) {
            limiter.failed("user" + (LoginLimiter.MAX_ENTRIES + 49), "x");
        }
        assertThat(limiter.refusal("user" + (LoginLimiter.MAX_ENTRIES + 49), "y")).isPresent();
    }
}
