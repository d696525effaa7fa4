package net.tracemesh.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.tracemesh.collector.assemble.AssembledTrace;
import net.tracemesh.collector.history.CurrentRoute;
import net.tracemesh.collector.history.RouteKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL (see {@link PostgresBackend} for which server), and what the scale-out store must
 * do besides: several collectors writing one database at once.
 */
class PostgresCollectorStoreTest extends CollectorStoreContract {
    private PostgresBackend backend;

    @BeforeEach
    void connect() {
        backend = PostgresBackend.connect();
    }

    @AfterEach
    void dropDatabases() {
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    StoreBackend backend() {
        return backend;
    }

    @Test
    void collectorsWritingOneDatabaseAtOnceBuildTheGraphOneWriterBuilds() throws Exception {
        List<AssembledTrace> traces = manyTraces();
        StoreCounts counts;
        List<NodeSummary> nodes;
        List<LinkSummary> links;
        Map<RouteKey, CurrentRoute> routes;
        Map<RouteKey, List<RoutePeriod>> periods = new HashMap<>();
        try (CollectorStore serial = open("serial")) {
            assertThat(serial.applyAll(traces)).isEqualTo(traces.size());
            counts = serial.counts();
            nodes = serial.nodes();
            links = serial.links();
            routes = serial.loadCurrentRoutes();
            for (RouteKey key : routes.keySet()) {
                periods.put(key, serial.routePeriods(key));
            }
        }

        // as a consumer group splits the keys: two writers own two agents each and read them in order; a third
        // replays the whole stream in order at the same time, as a collector handed the partitions after a rebalance
        String url = backend.url("shared");
        List<List<AssembledTrace>> parts = List.of(
                traces.stream().filter(t -> Set.of("fra1", "ams1").contains(t.agentId())).toList(),
                traces.stream().filter(t -> Set.of("par1", "lon1").contains(t.agentId())).toList(),
                traces);
        ExecutorService pool = Executors.newFixedThreadPool(parts.size());
        try {
            List<Future<Integer>> applied = new ArrayList<>();
            for (List<AssembledTrace> mine : parts) {
                Callable<Integer> writer = () -> {
                    int n = 0;
                    try (CollectorStore store = CollectorStore.open(url, backend.user(), backend.password())) {
                        for (int i = 0; i < mine.size(); i += 5) {
                            n += store.applyAll(mine.subList(i, Math.min(mine.size(), i + 5)));
                        }
                    }
                    return n;
                };
                applied.add(pool.submit(writer));
            }
            int total = 0;
            for (Future<Integer> f : applied) {
                total += f.get();
            }
            assertThat(total).as("each trace is applied by exactly one writer").isEqualTo(traces.size());
        } finally {
            pool.shutdownNow();
        }
        try (CollectorStore shared = open("shared")) {
            assertThat(shared.counts()).isEqualTo(counts);
            assertThat(shared.nodes()).isEqualTo(nodes);
            assertThat(shared.links()).isEqualTo(links);
            assertThat(shared.loadCurrentRoutes()).isEqualTo(routes);
            for (RouteKey key : routes.keySet()) {
                assertThat(shared.routePeriods(key)).isEqualTo(periods.get(key));
            }
        }
    }

    /** Traces of four agents over shared hops, in order of time. */
    private static List<AssembledTrace> manyTraces() {
        List<AssembledTrace> out = new ArrayList<>();
        String[] agents = {"fra1", "ams1", "par1", "lon1"};
        for (int minute = 0; minute < 30; minute++) {
            for (int a = 0; a < agents.length; a++) {
                String second = minute % 10 < 5 ? B : D;
                out.add(assemble(trace(agents[a], agents[a] + "-" + minute, minute).hop(a % 2 == 0 ? A : C)
                        .hop(second).rtt(1.0 + a + minute / 10.0).destination()));
            }
        }
        return out;
    }
}
