package net.tracemesh.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import net.tracemesh.collector.query.SubgraphFilter;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.web.http.ApiJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyCacheTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String DST = "198.18.9.9";
    private static final String A = "198.18.0.1";
    private static final String B = "198.18.0.2";
    private static final String NEW = "198.18.0.77";
    /** The map's default view: taken from the whole map's reading. */
    private static final SubgraphFilter ALL = new SubgraphFilter(Set.of(), null, null, null,
            QueryRoutes.DEFAULT_NODE_LIMIT);
    /** A view of its own: what both agents saw. */
    private static final SubgraphFilter VIEW = new SubgraphFilter(Set.of("fra1", "ams1"), null, null, null,
            QueryRoutes.DEFAULT_NODE_LIMIT);
    private static final TopologyCache.Settings SETTINGS = new TopologyCache.Settings(4, 1_000,
            Duration.ofSeconds(30), Duration.ofMinutes(5), 10);

    @TempDir
    Path dir;

    private CollectorStore store;
    private TopologyQueries queries;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void open() {
        store = CollectorStore.openEmbedded(dir.resolve("store"));
        store.applyAll(List.of(
                TraceFixture.trace("fra1", DST, "f-1", T0).hop(A).hop(B).destination().build(),
                TraceFixture.trace("ams1", DST, "a-1", T0.plusSeconds(60)).hop(B).destination().build()));
        queries = new TopologyQueries(store.readDataSource());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private TopologyCache cache(TopologyCache.Settings settings) {
        // every reading of the clock moves it on a millisecond: a reading of the store takes time
        return new TopologyCache(queries, ApiJson.mapper(), settings, () -> nanos.getAndAdd(1_000_000));
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** A trace through a new address, closed after every trace in the store. */
    private void mergeTraceThroughNewAddress(String traceId, int minutes) {
        store.applyAll(List.of(TraceFixture.trace("fra1", DST, traceId, T0.plus(Duration.ofMinutes(minutes)))
                .hop(A).hop(NEW).destination().build()));
    }

    private static boolean shows(TopologyCache.Answer a, String address) {
        return a.subgraph().nodes().stream().anyMatch(n -> n.id().equals(NodeId.address(address)))
                && new String(a.json(), StandardCharsets.UTF_8).contains("\"" + address + "\"");
    }

    @Test
    void aViewAskedForAgainIsServedFromMemoryUntilATraceIsMerged() {
        TopologyCache cache = cache(SETTINGS);
        TopologyCache.Answer first = cache.get(VIEW);
        assertThat(first.subgraph().nodes()).extracting(n -> n.id()).contains(NodeId.address(A),
                NodeId.address(B), NodeId.address(DST), NodeId.agent("fra1"), NodeId.agent("ams1"));
        assertThat(shows(first, NEW)).isFalse();

        TopologyCache.Answer again = cache.get(VIEW);
        assertThat(again).isSameAs(first);
        assertThat(cache.stats()).isEqualTo(new TopologyCache.Stats(1, 0, 1, 0));

        mergeTraceThroughNewAddress("f-2", 10);
        TopologyCache.Answer after = cache.get(VIEW);
        assertThat(after).isNotSameAs(first);
        assertThat(shows(after, NEW)).isTrue();
        assertThat(after.subgraph()).isEqualTo(queries.subgraph(VIEW));
        assertThat(cache.stats()).isEqualTo(new TopologyCache.Stats(1, 0, 2, 0));
    }

    @Test
    void theJsonIsTheTopologyViewOfTheSubgraph() throws Exception {
        TopologyCache.Answer a = cache(SETTINGS).get(VIEW);
        assertThat(new String(a.json(), StandardCharsets.UTF_8))
                .isEqualTo(ApiJson.mapper().writeValueAsString(TopologyView.of(queries.subgraph(VIEW))));
    }

    @Test
    void eachFilterHasItsOwnAnswer() {
        TopologyCache cache = cache(SETTINGS);
        SubgraphFilter fra1 = new SubgraphFilter(Set.of("fra1"), null, null, null, 100);
        SubgraphFilter ams1 = new SubgraphFilter(Set.of("ams1"), null, null, null, 100);
        assertThat(cache.get(fra1).subgraph()).isEqualTo(queries.subgraph(fra1));
        assertThat(cache.get(ams1).subgraph()).isEqualTo(queries.subgraph(ams1));
        assertThat(cache.get(fra1).subgraph().nodes()).extracting(n -> n.id()).contains(NodeId.address(A))
                .doesNotContain(NodeId.agent("ams1"));
        assertThat(cache.stats().hits()).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void anAnswerIsReadAgainOnceOlderThanTheMaximumAge() {
        TopologyCache cache = cache(SETTINGS);
        TopologyCache.Answer first = cache.get(VIEW);
        advance(Duration.ofSeconds(29));
        assertThat(cache.get(VIEW)).isSameAs(first);
        advance(Duration.ofSeconds(2));
        TopologyCache.Answer later = cache.get(VIEW);
        assertThat(later).isNotSameAs(first);
        assertThat(later.subgraph()).isEqualTo(first.subgraph());
        assertThat(cache.stats().reads()).isEqualTo(2);
    }

    @Test
    void aRefreshReadsAheadTheViewsInUseWhoseGraphChanged() {
        TopologyCache cache = cache(SETTINGS);
        cache.get(VIEW);
        advance(Duration.ofSeconds(1));
        assertThat(cache.refresh()).as("nothing changed").isZero();

        mergeTraceThroughNewAddress("f-2", 10);
        assertThat(cache.refresh()).isEqualTo(1);
        TopologyCache.Answer served = cache.get(VIEW);
        assertThat(shows(served, NEW)).isTrue();
        assertThat(cache.stats()).isEqualTo(new TopologyCache.Stats(1, 0, 2, 1));
    }

    @Test
    void aRefreshReadsAgainTheViewsInUseAtHalfTheirMaximumAge() {
        TopologyCache cache = cache(SETTINGS);
        TopologyCache.Answer first = cache.get(VIEW);
        advance(Duration.ofSeconds(14));
        assertThat(cache.refresh()).isZero();
        advance(Duration.ofSeconds(2));
        assertThat(cache.refresh()).as("nothing merged, but 16 s old").isEqualTo(1);
        advance(Duration.ofSeconds(20));
        assertThat(cache.get(VIEW)).as("36 s after the first reading, 20 s after the refresh")
                .isNotSameAs(first);
        assertThat(cache.stats()).isEqualTo(new TopologyCache.Stats(1, 0, 2, 1));
    }

    @Test
    void aViewReadAheadButNotAskedForLeavesTheRefreshesOnceItsWindowPassed() {
        TopologyCache cache = cache(SETTINGS);
        cache.get(VIEW);
        for (int minute = 1; minute <= 4; minute++) {
            advance(Duration.ofMinutes(1));
            mergeTraceThroughNewAddress("f-" + (10 + minute), 10 + minute);
            assertThat(cache.refresh()).as("minute %d", minute).isEqualTo(1);
        }
        advance(Duration.ofMinutes(2));
        mergeTraceThroughNewAddress("f-20", 20);
        assertThat(cache.refresh()).as("six minutes after it was asked for").isZero();
    }

    @Test
    void aRefreshLeavesViewsNobodyAskedForLately() {
        TopologyCache cache = cache(SETTINGS);
        cache.get(VIEW);
        advance(Duration.ofMinutes(6));
        mergeTraceThroughNewAddress("f-2", 10);
        assertThat(cache.refresh()).isZero();
        assertThat(shows(cache.get(VIEW), NEW)).as("read when asked for").isTrue();
    }

    @Test
    void aRefreshWaitsLongerForSlowerViews() {
        TopologyCache cache = cache(new TopologyCache.Settings(4, 1_000, Duration.ofSeconds(30),
                Duration.ofMinutes(5), 1_000_000_000));
        cache.get(VIEW);
        mergeTraceThroughNewAddress("f-2", 10);
        assertThat(cache.refresh()).as("a billion times the last reading's time has not passed").isZero();
        assertThat(shows(cache.get(VIEW), NEW)).isTrue();
        // but at least once per half the maximum age
        mergeTraceThroughNewAddress("f-3", 20);
        advance(Duration.ofSeconds(14));
        assertThat(cache.refresh()).isZero();
        advance(Duration.ofSeconds(2));
        assertThat(cache.refresh()).isEqualTo(1);
    }

    @Test
    void warmingReadsAViewBeforeItIsAskedFor() {
        TopologyCache cache = cache(SETTINGS);
        cache.warm(VIEW);
        cache.warm(VIEW);
        assertThat(cache.stats()).isEqualTo(new TopologyCache.Stats(0, 0, 1, 1));
        cache.get(VIEW);
        assertThat(cache.stats().hits()).isEqualTo(1);
    }

    @Test
    void theDefaultViewAtAnyLimitIsTakenFromTheWholeMapsFreshReading() {
        TopologyCache cache = cache(SETTINGS);
        cache.warm(TopologyCache.wholeMap());
        for (int limit : new int[] {QueryRoutes.DEFAULT_NODE_LIMIT, 3, 1}) {
            SubgraphFilter f = new SubgraphFilter(Set.of(), null, null, null, limit);
            TopologyCache.Answer a = cache.get(f);
            assertThat(a.subgraph()).as("limit %d", limit).isEqualTo(queries.subgraph(f));
            assertThat(new String(a.json(), StandardCharsets.UTF_8)).isEqualTo(new String(cache.get(f).json(),
                    StandardCharsets.UTF_8));
        }
        assertThat(cache.stats()).isEqualTo(new TopologyCache.Stats(3, 3, 1, 1));

        // a merged trace: read directly until the refresh reads the whole map again (taken views are not read)
        mergeTraceThroughNewAddress("f-2", 10);
        assertThat(shows(cache.get(ALL), NEW)).isTrue();
        assertThat(cache.stats().reads()).isEqualTo(2);
        assertThat(cache.refresh()).as("the whole map was just read; taken views are not read").isZero();
        mergeTraceThroughNewAddress("f-3", 20);
        advance(Duration.ofSeconds(1));
        assertThat(cache.refresh()).as("the whole map").isEqualTo(1);
        long narrowedBefore = cache.stats().narrowed();
        SubgraphFilter three = new SubgraphFilter(Set.of(), null, null, null, 3);
        assertThat(cache.get(three).subgraph()).isEqualTo(queries.subgraph(three));
        assertThat(cache.stats().narrowed()).isEqualTo(narrowedBefore + 1);
        // filtered views are never taken from it
        SubgraphFilter fra1 = new SubgraphFilter(Set.of("fra1"), null, null, null, 3);
        assertThat(cache.get(fra1).subgraph()).isEqualTo(queries.subgraph(fra1));
        assertThat(cache.stats().narrowed()).isEqualTo(narrowedBefore + 1);
    }

    @Test
    void theLeastRecentlyAskedForAnswersGoFirst() {
        TopologyCache cache = cache(new TopologyCache.Settings(2, 1_000, Duration.ofSeconds(30),
                Duration.ofMinutes(5), 10));
        SubgraphFilter f1 = new SubgraphFilter(Set.of("fra1"), null, null, null, 1);
        SubgraphFilter f2 = new SubgraphFilter(Set.of("fra1"), null, null, null, 2);
        SubgraphFilter f3 = new SubgraphFilter(Set.of("fra1"), null, null, null, 3);
        cache.get(f1);
        cache.get(f2);
        cache.get(f1);
        cache.get(f3);
        assertThat(cache.size()).isEqualTo(2);
        long reads = cache.stats().reads();
        cache.get(f1);
        assertThat(cache.stats().reads()).as("f1 was kept").isEqualTo(reads);
        cache.get(f2);
        assertThat(cache.stats().reads()).as("f2 was dropped").isEqualTo(reads + 1);
    }

    @Test
    void anAnswerLargerThanHalfTheElementsIsServedButNotKept() {
        TopologyCache cache = cache(new TopologyCache.Settings(4, 10, Duration.ofSeconds(30),
                Duration.ofMinutes(5), 10));
        TopologyCache.Answer a = cache.get(VIEW);
        assertThat(a.subgraph().nodes().size() + a.subgraph().links().size()).isGreaterThan(5);
        assertThat(shows(a, B)).isTrue();
        assertThat(cache.size()).isZero();
        cache.get(VIEW);
        assertThat(cache.stats().reads()).isEqualTo(2);
    }

    @Test
    void requestsForTheSameViewAtOnceAllGetTheAnswer() throws Exception {
        TopologyCache cache = cache(SETTINGS);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<TopologyCache.Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> cache.get(ALL));
            }
            TopologyCache.Answer expected = null;
            for (Future<TopologyCache.Answer> f : pool.invokeAll(calls)) {
                TopologyCache.Answer a = f.get();
                expected = expected == null ? a : expected;
                assertThat(a.subgraph()).isEqualTo(expected.subgraph());
            }
            TopologyCache.Stats s = cache.stats();
            assertThat(s.hits() + s.reads()).isLessThanOrEqualTo(16);
            assertThat(s.reads()).isBetween(1L, 16L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new TopologyCache.Settings(0, 1, Duration.ofSeconds(1), Duration.ZERO, 1))
                .hasMessageContaining("maxEntries");
        assertThatThrownBy(() -> new TopologyCache.Settings(1, 0, Duration.ofSeconds(1), Duration.ZERO, 1))
                .hasMessageContaining("maxElements");
        assertThatThrownBy(() -> new TopologyCache.Settings(1, 1, Duration.ZERO, Duration.ZERO, 1))
                .hasMessageContaining("maxAge");
        assertThatThrownBy(() -> new TopologyCache.Settings(1, 1, Duration.ofSeconds(1), Duration.ofSeconds(-1), 1))
                .hasMessageContaining("hotWindow");
        assertThatThrownBy(() -> new TopologyCache.Settings(1, 1, Duration.ofSeconds(1), Duration.ZERO, 0))
                .hasMessageContaining("refreshSpacing");
        assertThatThrownBy(() -> cache(SETTINGS).get(null)).hasMessageContaining("filter is missing");
    }
}
