package net.tracemesh.web.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The web's metrics, served in the Prometheus text format: API latency per operation and status
 * ({@code tracemesh_api_request_seconds}, with histogram buckets for percentiles), and the platform's progress fed
 * from {@link Sources}: {@code tracemesh_records_merged_total}, {@code tracemesh_traces_merged_total},
 * {@code tracemesh_ingest_lag_seconds} and {@code tracemesh_agents_online}.
 */
public final class WebMetrics {
    /** The Prometheus text exposition format that {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Prometheus writes this name as {@code tracemesh_api_request_seconds}. */
    static final String REQUEST_TIMER = "tracemesh.api.request";
    private static final Duration MIN_EXPECTED = Duration.ofMillis(1);
    private static final Duration MAX_EXPECTED = Duration.ofSeconds(60);

    /**
     * Where the platform's figures come from. A supplier may be null (the figure is not known in this process: it
     * is not exported) or return null (not known right now: a gauge reads NaN, a counter its last value).
     *
     * @param recordsMerged    hop records read and merged by the collector since it started
     * @param tracesMerged     traces merged into the store
     * @param ingestLagSeconds how far the merged data is behind now
     * @param agentsOnline     agents whose heartbeat is recent
     */
    public record Sources(Supplier<? extends Number> recordsMerged, Supplier<? extends Number> tracesMerged,
                          Supplier<? extends Number> ingestLagSeconds, Supplier<? extends Number> agentsOnline) {
        public static Sources none() {
            return new Sources(null, null, null, null);
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<LastKnown> counterSources = new ArrayList<>();

    public WebMetrics() {
        this(Sources.none());
    }

    public WebMetrics(Sources sources) {
        counter("tracemesh.records.merged", "hop records merged by the collector", sources.recordsMerged());
        counter("tracemesh.traces.merged", "traces merged into the store", sources.tracesMerged());
        gauge("tracemesh.ingest.lag", "seconds", "how far the merged data is behind now",
                sources.ingestLagSeconds());
        gauge("tracemesh.agents.online", null, "agents whose last heartbeat is recent", sources.agentsOnline());
    }

    /** Records how long one API request took, by the operation's id and the response status. */
    public void recordRequest(String operationId, int status, long nanos) {
        Timer.builder(REQUEST_TIMER)
                .description("API request latency by operation and status")
                .tag("operation", operationId)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(MIN_EXPECTED)
                .maximumExpectedValue(MAX_EXPECTED)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** Every metric in the Prometheus text format 0.0.4; reads the sources, so call it off the event loop. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private void counter(String name, String description, Supplier<? extends Number> source) {
        if (source == null) {
            return;
        }
        LastKnown last = new LastKnown(source);
        counterSources.add(last); // a function counter holds its object weakly
        FunctionCounter.builder(name, last, LastKnown::value).description(description).register(registry);
    }

    private void gauge(String name, String unit, String description, Supplier<? extends Number> source) {
        if (source == null) {
            return;
        }
        Gauge.builder(name, source, WebMetrics::valueOrNaN).description(description).baseUnit(unit)
                .strongReference(true) // the supplier is often a lambda held nowhere else
                .register(registry);
    }

    private static double valueOrNaN(Supplier<? extends Number> source) {
        Number n = source.get();
        return n == null ? Double.NaN : n.doubleValue();
    }

    /** A counter's source that keeps its last value while the source does not know. */
    private static final class LastKnown {
        private final Supplier<? extends Number> source;
        private double last;

        LastKnown(Supplier<? extends Number> source) {
            this.source = source;
        }

        synchronized double value() {
            Number n = source.get();
            if (n != null) {
                last = n.doubleValue();
            }
            return last;
        }
    }
}
