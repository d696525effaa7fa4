package net.tracemesh.agent.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 123_456_789_000L;

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, -0.001, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void refusesRatesThatAreNotPositiveNumbers(double rate) {
        assertThatThrownBy(() -> new TokenBucket(rate, 1, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
        assertThatThrownBy(() -> TokenBucket.perSecond(rate, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.5, -3, Double.NaN})
    void refusesBurstsBelowOne(double burst) {
        assertThatThrownBy(() -> new TokenBucket(100, burst, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
    }

    @Test
    void startsWithOneTokenThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(1_000, 10, T0);
        assertThat(bucket.rate()).isEqualTo(1_000);

        assertThat(bucket.tryTake(T0)).isTrue();
        assertThat(bucket.tryTake(T0)).isFalse();
        assertThat(bucket.tryTake(T0 + 999_000)).isFalse();
        assertThat(bucket.tryTake(T0 + 1_000_000)).isTrue();
        assertThat(bucket.tryTake(T0 + 1_000_000)).isFalse();
    }

    @Test
    void savesUpAtMostTheBurst() {
        TokenBucket bucket = new TokenBucket(1_000, 10, T0);
        long later = T0 + 60 * SECOND;
        int taken = 0;
        while (bucket.tryTake(later)) {
            taken++;
        }
        assertThat(taken).isEqualTo(10);
    }

    @Test
    void perSecondSavesAHundredthOfASecondButAtLeastOneToken() {
        TokenBucket fast = TokenBucket.perSecond(10_000, T0);
        TokenBucket slow = TokenBucket.perSecond(50, T0);
        long later = T0 + 10 * SECOND;
        int fastTaken = 0;
        while (fast.tryTake(later)) {
            fastTaken++;
        }
        int slowTaken = 0;
        while (slow.tryTake(later)) {
            slowTaken++;
        }
        assertThat(fastTaken).isEqualTo(100);
        assertThat(slowTaken).isEqualTo(1);
    }

    @Test
    void aClockGoingBackwardsAddsNothing() {
        TokenBucket bucket = new TokenBucket(1_000, 5, T0);
        assertThat(bucket.tryTake(T0)).isTrue();
        assertThat(bucket.tryTake(T0 - SECOND)).isFalse();
        assertThat(bucket.tryTake(T0 + 500_000)).isFalse();
        assertThat(bucket.tryTake(T0 + 1_000_000)).isTrue();
    }

    @Test
    void neverMoreThanRateTimesTimePlusBurstInAnyWindow() {
        Random random = new Random(11);
        for (double rate : new double[] {1, 7.5, 100, 333.3, 10_000, 250_000}) {
            double burst = Math.max(1, rate / 100);
            TokenBucket bucket = new TokenBucket(rate, burst, T0);
            List<Long> takes = new ArrayList<>();
            long now = T0;
            long meanStep = (long) (SECOND / rate / 3) + 1;
            while (takes.size() < 1_500) {
                // Idle now and then so the bucket fills up, otherwise poll often.
                now += random.nextInt(50) == 0 ? (long) (SECOND / rate * burst * 3) : random.nextLong(meanStep * 2);
                while (bucket.tryTake(now)) {
                    takes.add(now);
                }
            }
            long[] at = takes.stream().mapToLong(Long::longValue).toArray();
            for (int i = 0; i < at.length; i++) {
                for (int j = i; j < at.length; j++) {
                    double allowed = rate * (at[j] - at[i]) / SECOND + burst + 1e-6;
                    if (j - i + 1 > allowed) {
                        throw new AssertionError("rate " + rate + ": " + (j - i + 1) + " tokens taken in "
                                + (at[j] - at[i]) + " ns, at most " + allowed + " allowed");
                    }
                }
            }
        }
    }

    @Test
    void aBusyTakerGetsTheFullRateOverTime() {
        for (double rate : new double[] {3, 100, 4_321.5, 1_000_000}) {
            TokenBucket bucket = new TokenBucket(rate, Math.max(1, rate / 100), T0);
            long step = Math.max(1, (long) (SECOND / rate / 4));
            long end = T0 + 2 * SECOND;
            long taken = 0;
            for (long now = T0; now <= end; now += step) {
                while (bucket.tryTake(now)) {
                    taken++;
                }
            }
            assertThat((double) taken).as("rate %s", rate).isBetween(rate * 2 - 1, rate * 2 + 1);
        }
    }

    @Test
    void nanosUntilTokenIsWhenTheNextTakeSucceeds() {
        Random random = new Random(5);
        for (double rate : new double[] {1, 13, 100, 999.9, 65_536}) {
            long interval = (long) Math.ceil(SECOND / rate);
            for (int i = 0; i < 300; i++) {
                // Two buckets with the same history: emptied at T0, asked after a random part of an interval.
                TokenBucket early = new TokenBucket(rate, 4, T0);
                TokenBucket onTime = new TokenBucket(rate, 4, T0);
                assertThat(early.tryTake(T0)).isTrue();
                assertThat(onTime.tryTake(T0)).isTrue();
                long now = T0 + random.nextLong(interval);
                long wait = early.nanosUntilToken(now);
                assertThat(onTime.nanosUntilToken(now)).isEqualTo(wait);
                assertThat(wait).as("rate %s", rate).isBetween(1L, interval);
                assertThat(now + wait - T0).as("rate %s", rate).isBetween(interval - 1, interval + 1);
                // Rounding may make the wait a nanosecond long, never more.
                if (wait > 2) {
                    assertThat(early.tryTake(now + wait - 2)).as("rate %s, wait %d", rate, wait).isFalse();
                }
                assertThat(onTime.tryTake(now + wait)).as("rate %s, wait %d", rate, wait).isTrue();
            }
        }
    }

    @Test
    void nanosUntilTokenIsZeroWhileTokensRemainAndTakesNothing() {
        TokenBucket bucket = new TokenBucket(10, 3, T0);
        assertThat(bucket.nanosUntilToken(T0)).isZero();
        assertThat(bucket.nanosUntilToken(T0)).isZero();
        assertThat(bucket.tryTake(T0)).isTrue();
        assertThat(bucket.nanosUntilToken(T0)).isEqualTo(100_000_000L);
        assertThat(bucket.nanosUntilToken(T0 + 40_000_000L)).isEqualTo(60_000_000L);
    }
}
