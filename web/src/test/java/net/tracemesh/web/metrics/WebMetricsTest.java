package net.tracemesh.web.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WebMetricsTest {
    @Test
    void unknownFiguresAreNaNForGaugesAndTheLastValueForCounters() {
        AtomicReference<Long> merged = new AtomicReference<>();
        AtomicReference<Double> lag = new AtomicReference<>();
        WebMetrics metrics = new WebMetrics(new WebMetrics.Sources(merged::get, null, lag::get, () -> 7));

        assertThat(metrics.scrape()).contains("tracemesh_records_merged_total 0.0", "tracemesh_ingest_lag_seconds NaN",
                "tracemesh_agents_online 7.0");
        merged.set(40L);
        lag.set(1.5);
        assertThat(metrics.scrape()).contains("tracemesh_records_merged_total 40.0",
                "tracemesh_ingest_lag_seconds 1.5");
        merged.set(null);
        lag.set(null);
        assertThat(metrics.scrape()).contains("tracemesh_records_merged_total 40.0",
                "tracemesh_ingest_lag_seconds NaN");
    }

    @Test
    void figuresWithoutASourceAreNotExported() {
        WebMetrics metrics = new WebMetrics();
        metrics.recordRequest("getAgents", 200, 3_000_000);

        assertThat(metrics.scrape()).doesNotContain("tracemesh_records_merged", "tracemesh_agents_online")
                .contains("tracemesh_api_request_seconds_count{operation=\"getAgents\",status=\"200\"} 1")
                .contains("tracemesh_api_request_seconds_sum{operation=\"getAgents\",status=\"200\"} 0.003");
    }
}
