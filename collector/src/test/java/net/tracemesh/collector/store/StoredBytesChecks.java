package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/** Checks every binary column format of the store must pass, whatever it holds. */
final class StoredBytesChecks {
    private StoredBytesChecks() {
    }

    /** Every proper prefix of {@code whole} is refused with an {@link IllegalArgumentException}. */
    static void everyTruncationIsRefused(byte[] whole, Function<byte[], ?> decode) {
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = Arrays.copyOf(whole, n);
            assertThatThrownBy(() -> decode.apply(cut)).as("%d bytes", n)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Random bytes, and {@code whole} with one byte changed, either decode to values that encode and decode to
     * themselves, or are refused with an {@link IllegalArgumentException} that says why.
     */
    static <T> void randomAndMutatedBytesDecodeOrAreRefused(byte[] whole, long seed, Function<byte[], T> decode,
                                                           Function<T, byte[]> encode) {
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[random.nextInt(64)];
                random.nextBytes(b);
            } else {
                b = whole.clone();
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            try {
                T decoded = decode.apply(b);
                assertThat(decode.apply(encode.apply(decoded))).isEqualTo(decoded);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
