package net.tracemesh.collector.rtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RttSummaryTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    /** The documented bound, with room for floating-point rounding at bucket edges. */
    private static final double BOUND = RttSummary.RELATIVE_ACCURACY * (1 + 1e-9);
    private static final int SAMPLES = 20_001;

    private static double micros(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    static Stream<Arguments> distributions() {
        Random r = new Random(7);
        return Stream.of(
                Arguments.of("uniform 1..100 ms", (DoubleSupplier) () -> 1 + 99 * r.nextDouble()),
                Arguments.of("exponential, mean 20 ms", (DoubleSupplier) () -> -20 * Math.log(1 - r.nextDouble())),
                Arguments.of("log-normal around 30 ms", (DoubleSupplier) () -> Math.exp(Math.log(30)
                        + 0.8 * r.nextGaussian())),
                Arguments.of("bimodal 5 ms / 150 ms", (DoubleSupplier) () -> r.nextDouble() < 0.45
                        ? 5 + r.nextGaussian() * 0.3 : 150 + r.nextGaussian() * 10),
                Arguments.of("sub-millisecond LAN", (DoubleSupplier) () -> 0.05 + 0.2 * r.nextDouble()),
                Arguments.of("constant 12.345 ms", (DoubleSupplier) () -> 12.345),
                Arguments.of("mostly zero", (DoubleSupplier) () -> r.nextDouble() < 0.6 ? 0 : r.nextDouble()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void quantilesAreWithinTheRelativeAccuracy(String name, DoubleSupplier source) {
        double[] samples = new double[SAMPLES];
        RttSummary s = new RttSummary();
        for (int i = 0; i < samples.length; i++) {
            samples[i] = micros(Math.abs(source.getAsDouble()));
            s.add(samples[i], T0.plusSeconds(i));
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);

        for (double q : new double[] {0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 1}) {
            double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
            assertThat(s.quantileMs(q)).as("%s q=%s", name, q).isCloseTo(exact, within(exact * BOUND));
        }
        double median = sorted[(sorted.length - 1) / 2];
        assertThat(s.medianMs()).isCloseTo(median, within(median * BOUND));
        assertThat(s.count()).isEqualTo(SAMPLES);
        assertThat(s.minMs()).isEqualTo(sorted[0]);
        assertThat(s.maxMs()).isEqualTo(sorted[sorted.length - 1]);
        assertThat(s.lastMs()).isEqualTo(samples[samples.length - 1]);
        assertThat(s.meanMs()).isCloseTo(Arrays.stream(samples).average().orElseThrow(), within(1e-6));
        assertThat(s.buckets()).isLessThanOrEqualTo(RttSummary.MAX_BUCKETS);
    }

    @Test
    void exactStatisticsOfAFewSamples() {
        RttSummary s = new RttSummary();
        s.add(10.5, T0);
        s.add(2.25, T0.plusSeconds(2));
        s.add(7, T0.plusSeconds(1));

        assertThat(s.count()).isEqualTo(3);
        assertThat(s.minMs()).isEqualTo(2.25);
        assertThat(s.maxMs()).isEqualTo(10.5);
        assertThat(s.meanMs()).isCloseTo(6.583333, within(1e-6));
        assertThat(s.lastMs()).isEqualTo(2.25);
        assertThat(s.lastAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(s.medianMs()).isCloseTo(7, within(7 * BOUND));
        assertThat(s).hasToString("rtt{n=3 min=2.250 median~7.029 max=10.500 last=2.250}");
    }

    @Test
    void mergingGivesTheSameSummaryAsAddingEverySample() {
        Random r = new Random(3);
        List<double[]> samples = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            samples.add(new double[] {micros(Math.exp(r.nextGaussian() * 2)), i});
        }
        RttSummary whole = new RttSummary();
        samples.forEach(x -> whole.add(x[0], T0.plusSeconds((long) x[1])));
        RttSummary left = new RttSummary();
        RttSummary right = new RttSummary();
        List<double[]> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(9));
        for (int i = 0; i < shuffled.size(); i++) {
            double[] x = shuffled.get(i);
            (i % 3 == 0 ? left : right).add(x[0], T0.plusSeconds((long) x[1]));
        }

        RttSummary merged = right.copy();
        merged.merge(left);
        RttSummary mergedOtherWay = left.copy();
        mergedOtherWay.merge(right);

        assertThat(merged).isEqualTo(whole);
        assertThat(mergedOtherWay).isEqualTo(whole);
        assertThat(merged.toBytes()).isEqualTo(whole.toBytes());
        RttSummary withEmpty = whole.copy();
        withEmpty.merge(new RttSummary());
        assertThat(withEmpty).isEqualTo(whole);
    }

    @Test
    void theLastSampleIsTheLatestAndTheLargerOnATie() {
        RttSummary a = new RttSummary();
        a.add(5, T0.plusSeconds(10));
        a.add(9, T0.plusSeconds(1));
        RttSummary b = new RttSummary();
        b.add(3, T0.plusSeconds(10));

        a.merge(b);

        assertThat(a.lastMs()).isEqualTo(5);
        b.add(8, T0.plusSeconds(10));
        assertThat(b.lastMs()).isEqualTo(8);
    }

    @Test
    void theBinaryFormRoundTripsAndIsCompact() {
        RttSummary s = new RttSummary();
        Random r = new Random(11);
        for (int i = 0; i < 1000; i++) {
            s.add(micros(20 + r.nextGaussian()), T0.plusMillis(i));
        }
        s.add(0, T0);

        byte[] bytes = s.toBytes();
        RttSummary back = RttSummary.fromBytes(bytes);

        assertThat(back).isEqualTo(s);
        assertThat(back.medianMs()).isEqualTo(s.medianMs());
        assertThat(back.lastAt()).isEqualTo(s.lastAt());
        assertThat(bytes.length).isLessThan(120);
        assertThat(RttSummary.fromBytes(new RttSummary().toBytes()).isEmpty()).isTrue();
        assertThat(new RttSummary().toBytes()).hasSize(2);
    }

    @Test
    void malformedBinaryFormsAreRefused() {
        RttSummary s = new RttSummary();
        s.add(1.5, T0);
        byte[] good = s.toBytes();

        assertThatThrownBy(() -> RttSummary.fromBytes(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RttSummary.fromBytes(new byte[] {9, 0}))
                .hasMessage("RTT summary format 9 is not supported (this build reads 1)");
        assertThatThrownBy(() -> RttSummary.fromBytes(Arrays.copyOf(good, good.length - 1)))
                .hasMessage("RTT summary is truncated");
        assertThatThrownBy(() -> RttSummary.fromBytes(Arrays.copyOf(good, good.length + 1)))
                .hasMessage("RTT summary has trailing bytes");
        byte[] wrongCount = good.clone();
        wrongCount[1] = 2;
        assertThatThrownBy(() -> RttSummary.fromBytes(wrongCount)).hasMessage("RTT summary is inconsistent");
    }

    @Test
    void extremeValuesStayBoundedAndExact() {
        RttSummary s = new RttSummary();
        s.add(0, T0);
        s.add(0.001, T0);
        s.add(10_000_000, T0);
        s.add(50, T0);

        assertThat(s.buckets()).isLessThanOrEqualTo(RttSummary.MAX_BUCKETS);
        assertThat(s.minMs()).isZero();
        assertThat(s.maxMs()).isEqualTo(10_000_000);
        assertThat(s.quantileMs(0)).isZero();
        assertThat(s.quantileMs(1)).isCloseTo(RttSummary.MAX_TRACKED_MS, within(RttSummary.MAX_TRACKED_MS * BOUND));
        assertThat(RttSummary.fromBytes(s.toBytes())).isEqualTo(s);
    }

    @Test
    void badInputIsRefused() {
        RttSummary s = new RttSummary();
        assertThatThrownBy(s::medianMs).hasMessage("the RTT summary has no samples");
        assertThatThrownBy(() -> s.add(-1, T0))
                .hasMessage("an RTT is a finite number of milliseconds >= 0, got -1.0");
        assertThatThrownBy(() -> s.add(Double.NaN, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.add(1, null)).hasMessage("the time of the sample is missing");
        s.add(1, T0);
        assertThatThrownBy(() -> s.quantileMs(1.5)).hasMessage("quantile must be in [0, 1], got 1.5");
    }
}
