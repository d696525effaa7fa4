package net.tracemesh.web.bench;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.collector.query.RouteList;
import net.tracemesh.collector.query.RouteSummary;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.collector.config.StoreConfig;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.StoreCounts;
import net.tracemesh.web.WebApp;
import net.tracemesh.web.auth.AccountStore;
import net.tracemesh.web.auth.Role;
import net.tracemesh.web.config.WebConfig;
import net.tracemesh.web.ui.Browser;

/**
 * Benchmark of issue 5 over a filled collector store (one kept by {@code collector/bench/collector-throughput.sh
 * --keep-data}): the real web (every module, real accounts, an embedded broker) on loopback, loaded open-loop at a
 * fixed rate with the main API routes (route now / at / history, compare, route list, agents, measurements) for
 * route keys sampled from the store; then single calls of the heavy routes (topology, traces through an address);
 * then the time for headless Chromium to fetch and draw an interactive map of the store's first N nodes.
 *
 * <p>Usage: {@code WebBench --store DIR [--rate 200] [--seconds 30] [--warmup-seconds 10] [--map-nodes 5000]
 * [--store-cache-mb 64]}.
 */
public final class WebBench {
    private static final String ADMIN_PASSWORD = "bench-admin-password";

    private WebBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!options.containsKey("store")) {
            System.err.println("usage: WebBench --store DIR [--rate 200] [--seconds 30] [--warmup-seconds 10]"
                    + " [--map-nodes 5000]");
            System.exit(2);
        }
        Path storeDir = Path.of(options.get("store"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "200"));
        Duration measured = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "30")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-seconds", "10")));
        int mapNodes = Integer.parseInt(options.getOrDefault("map-nodes", "5000"));
        int cacheMb = Integer.parseInt(options.getOrDefault("store-cache-mb",
                Integer.toString(StoreConfig.DEFAULT_CACHE_MB)));
        Path work = Files.createTempDirectory("tracemesh-webbench-");

        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(work.resolve("kafka")).port(0).build().start();
             CollectorStore store = CollectorStore.openEmbedded(storeDir, cacheMb);
             AccountStore accounts = AccountStore.openEmbedded(work.resolve("web"))) {
            StoreCounts counts = store.counts();
            System.out.println("store " + storeDir + " (page cache " + cacheMb + " MiB): " + counts);
            accounts.ensureAdmin("admin", ADMIN_PASSWORD);
            String token = accounts.createToken("admin", "bench", Role.READER, null).secret();
            WebConfig config = WebConfig.fromYaml("", Map.of(
                    "TRACEMESH_HTTP_PORT", "0",
                    "TRACEMESH_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "TRACEMESH_STORE_TYPE", "embedded",
                    "TRACEMESH_STORE_DATA_DIR", work.resolve("web").toString()));
            Vertx vertx = Vertx.vertx();
            WebApp app = WebApp.start(vertx, config, store.readDataSource(), accounts, null).toCompletionStage()
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            try {
                URI base = URI.create("http://127.0.0.1:" + app.port());
                List<ApiLoad.Target> targets = targets(new TopologyQueries(store.readDataSource()));
                ApiLoad load = new ApiLoad(base, token);
                ApiLoad.print("warm-up", load.run(targets, rate, warmup), rate);
                ApiLoad.print("measured", load.run(targets, rate, measured), rate);
                heavyRoutes(load, targets);
                mapRender(base, mapNodes);
            } finally {
                WebApp.stopBlocking(app, vertx, Duration.ofSeconds(30));
            }
        }
    }

    /** Main-route requests for route keys sampled from the store (a fixed seed: the same mix every run). */
    static List<ApiLoad.Target> targets(TopologyQueries queries) {
        RouteList list = queries.currentRoutes(null, null, null, TopologyQueries.MAX_ROUTE_LIMIT);
        List<RouteSummary> routes = new ArrayList<>(list.routes());
        if (routes.isEmpty()) {
            throw new IllegalStateException("the store holds no route");
        }
        Random random = new Random(5);
        Collections.shuffle(routes, random);
        Map<String, List<RouteSummary>> byDestination = new LinkedHashMap<>();
        for (RouteSummary r : routes) {
            byDestination.computeIfAbsent(r.key().destination() + "|" + r.key().method().wireName(),
                    k -> new ArrayList<>()).add(r);
        }
        List<List<RouteSummary>> shared = byDestination.values().stream().filter(l -> l.size() >= 2).toList();
        List<ApiLoad.Target> targets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RouteSummary r = routes.get(i % routes.size());
            String key = "agent=" + enc(r.key().agentId()) + "&destination=" + r.key().destination() + "&method="
                    + r.key().method().wireName();
            Instant first = r.firstSeen();
            Instant last = r.lastSeen();
            Instant at = first.plusMillis((long) (random.nextDouble() * Math.max(1, last.toEpochMilli()
                    - first.toEpochMilli())));
            targets.add(new ApiLoad.Target("GET /routes/now", "/api/v1/routes/now?" + key));
            targets.add(new ApiLoad.Target("GET /routes/at", "/api/v1/routes/at?" + key + "&time=" + at));
            targets.add(new ApiLoad.Target("GET /routes/history", "/api/v1/routes/history?" + key + "&from="
                    + first.minus(Duration.ofDays(1)) + "&to=" + last));
            if (!shared.isEmpty()) {
                List<RouteSummary> group = shared.get(i % shared.size());
                StringBuilder agents = new StringBuilder();
                group.stream().limit(8).forEach(g -> agents.append("&agent=").append(enc(g.key().agentId())));
                targets.add(new ApiLoad.Target("GET /compare", "/api/v1/compare?destination="
                        + group.get(0).key().destination() + "&method=" + group.get(0).key().method().wireName()
                        + agents));
            }
            if (i % 10 == 0) {
                targets.add(new ApiLoad.Target("GET /routes (agent, 100)", "/api/v1/routes?agent="
                        + enc(r.key().agentId()) + "&limit=100"));
                targets.add(new ApiLoad.Target("GET /agents", "/api/v1/agents"));
                targets.add(new ApiLoad.Target("GET /measurements", "/api/v1/measurements"));
            }
        }
        Collections.shuffle(targets, random);
        return targets;
    }

    /** Topology and traces-through, a few calls each, one at a time. */
    private static void heavyRoutes(ApiLoad load, List<ApiLoad.Target> mainTargets) throws InterruptedException {
        String someDestination = mainTargets.stream().filter(t -> t.route().equals("GET /routes/now")).findFirst()
                .map(t -> t.pathAndQuery().replaceAll(".*destination=([0-9.]+).*", "$1")).orElseThrow();
        String prefix24 = someDestination.replaceAll("\\.[0-9]+$", ".0") + "/24";
        List<ApiLoad.Target> heavy = List.of(
                new ApiLoad.Target("GET /topology (limit 2000)", "/api/v1/topology?limit=2000"),
                new ApiLoad.Target("GET /topology (/24, 500)", "/api/v1/topology?prefix=" + prefix24 + "&limit=500"),
                new ApiLoad.Target("GET /traces (dst /32, 100)", "/api/v1/traces?address=" + someDestination
                        + "&limit=100"));
        ApiLoad.print("heavy routes, one call at a time (1/s)", load.run(heavy, 1, Duration.ofSeconds(9)), 1);
    }

    /** Fetch and draw the first {@code nodes} nodes of the store's map in headless Chromium; three times. */
    private static void mapRender(URI base, int nodes) {
        try (Browser browser = Browser.open()) {
            browser.get(base + "/login.html");
            browser.waitVisible("#login-user").sendKeys("admin");
            browser.find("#login-password").sendKeys(ADMIN_PASSWORD);
            browser.find("#login-submit").click();
            browser.waitVisible("#map-canvas");
            // the map tab draws its default view first: measure once it is on screen, not beside it
            browser.waitFor("return /links$/.test(document.getElementById('map-status').textContent)");
            System.out.printf("%nmap of up to %d nodes (fetch + layout + first painted frame, headless Chromium)%n",
                    nodes);
            for (int i = 0; i < 3; i++) {
                Object result = browser.asyncScript(Duration.ofSeconds(120), """
                        const done = arguments[arguments.length - 1];
                        const t0 = performance.now();
                        fetch('/api/v1/topology?limit=' + arguments[0], {headers: {'X-Requested-With': 'tracemesh'}})
                          .then(r => r.json())
                          .then(json => {
                            const fetched = performance.now() - t0;
                            return window.tracemeshMap.render(json).then(r => done({fetchMs: fetched,
                              layoutMs: r.layoutMs, drawMs: r.totalMs, nodes: r.nodes, links: r.links,
                              totalMs: performance.now() - t0}));
                          })
                          .catch(e => done({error: String(e)}));
                        """, nodes);
                System.out.println("  run " + (i + 1) + ": " + result);
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
