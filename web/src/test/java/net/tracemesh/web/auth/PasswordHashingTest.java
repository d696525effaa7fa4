package net.tracemesh.web.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHashingTest {
    private final PasswordHashing hashing = new PasswordHashing(PasswordHashing.MIN_ITERATIONS);

    @Test
    void roundTrip() {
        String stored = hashing.hash("correct horse battery");
        assertThat(stored).startsWith("pbkdf2-sha256$" + PasswordHashing.MIN_ITERATIONS + "$")
                .doesNotContain("correct horse");
        assertThat(hashing.verify("correct horse battery", stored)).isTrue();
    }

    @Test
    void saltMakesEveryHashDifferent() {
        assertThat(hashing.hash("same password")).isNotEqualTo(hashing.hash("same password"));
    }

    @Test
    void wrongPasswordFails() {
        String stored = hashing.hash("correct horse battery");
        assertThat(hashing.verify("correct horse batterY", stored)).isFalse();
        assertThat(hashing.verify("", stored)).isFalse();
        assertThat(hashing.verify(null, stored)).isFalse();
    }

    @Test
    void tamperedOrMalformedHashMatchesNothing() {
        String stored = hashing.hash("correct horse battery");
        String[] parts = stored.split("\\$");
        byte[] key = Base64.getDecoder().decode(parts[3]);
        key[0] ^= 1;
        String flipped = parts[0] + "$" + parts[1] + "$" + parts[2] + "$"
                + Base64.getEncoder().withoutPadding().encodeToString(key);
        assertThat(hashing.verify("correct horse battery", flipped)).isFalse();
        String otherSalt = parts[0] + "$" + parts[1] + "$" + Base64.getEncoder().withoutPadding()
                .encodeToString(new byte[16]) + "$" + parts[3];
        assertThat(hashing.verify("correct horse battery", otherSalt)).isFalse();
        String fewerIterations = parts[0] + "$" + (PasswordHashing.MIN_ITERATIONS + 1) + "$" + parts[2] + "$"
                + parts[3];
        assertThat(hashing.verify("correct horse battery", fewerIterations)).isFalse();
        assertThat(hashing.verify("correct horse battery", parts[0] + "$1$" + parts[2] + "$" + parts[3])).isFalse();
        assertThat(hashing.verify("correct horse battery", "plain text")).isFalse();
        assertThat(hashing.verify("correct horse battery", "md5$1$2$3")).isFalse();
        assertThat(hashing.verify("correct horse battery", parts[0] + "$x$" + parts[2] + "$" + parts[3])).isFalse();
        assertThat(hashing.verify("correct horse battery", parts[0] + "$" + parts[1] + "$!!$" + parts[3])).isFalse();
    }

    @Test
    void iterationCountTravelsWithTheHash() {
        String old = hashing.hash("correct horse battery");
        PasswordHashing stronger = new PasswordHashing(PasswordHashing.MIN_ITERATIONS * 2);
        assertThat(stronger.verify("correct horse battery", old)).isTrue();
        assertThat(stronger.needsRehash(old)).isTrue();
        assertThat(stronger.needsRehash(stronger.hash("x"))).isFalse();
    }

    @Test
    void iterationsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new PasswordHashing(1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iterations");
    }

    @Test
    void defaultCostIsAFewTensOfMilliseconds() {
        PasswordHashing real = new PasswordHashing();
        String stored = real.hash("correct horse battery");
        real.verify("correct horse battery", stored);
        long start = System.nanoTime();
        int rounds = 3;
        for (int i = 0; i < rounds; i++) {
            assertThat(real.verify("correct horse battery", stored)).isTrue();
        }
        long millis = (System.nanoTime() - start) / rounds / 1_000_000;
        System.out.println("PBKDF2 " + PasswordHashing.DEFAULT_ITERATIONS + " iterations: " + millis
                + " ms per verification");
        assertThat(millis).isBetween(10L, 2000L);
    }
}
