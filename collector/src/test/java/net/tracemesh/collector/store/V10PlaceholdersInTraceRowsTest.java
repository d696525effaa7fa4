package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import net.tracemesh.collector.rtt.RttSummary;
import org.junit.jupiter.api.Test;

class V10PlaceholdersInTraceRowsTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private static RttSummary summary(List<Double> samples) {
        RttSummary s = new RttSummary();
        samples.forEach(ms -> s.add(ms, AT));
        return s;
    }

    @Test
    void upToThreeRttsComeBackExactlyFromTheirSummary() {
        for (List<Double> samples : List.of(List.<Double>of(), List.of(4.2), List.of(0.0, 12.345), List.of(3.0, 3.2,
                3.1), List.of(250.001, 0.004, 17.5), List.of(9.0, 9.0, 9.0))) {
            RttSummary s = summary(samples);
            assertThat(V10PlaceholdersInTraceRows.samples(s)).as("%s", samples)
                    .containsExactlyInAnyOrderElementsOf(samples);
            assertThat(summary(V10PlaceholdersInTraceRows.samples(s))).as("%s", samples).isEqualTo(s);
        }
    }

    @Test
    void moreRttsKeepTheirCountExtremesMeanAndLast() {
        RttSummary s = summary(List.of(1.0, 2.0, 2.5, 8.0, 30.001));
        RttSummary again = summary(V10PlaceholdersInTraceRows.samples(s));
        assertThat(again.count()).isEqualTo(5);
        assertThat(again.minMs()).isEqualTo(1.0);
        assertThat(again.maxMs()).isEqualTo(30.001);
        assertThat(again.meanMs()).isEqualTo(s.meanMs());
        assertThat(again.lastMs()).isEqualTo(s.lastMs());
        assertThat(V10PlaceholdersInTraceRows.samples(s)).hasSize(5).allSatisfy(ms -> assertThat(ms).isBetween(1.0,
                30.001));
    }
}
