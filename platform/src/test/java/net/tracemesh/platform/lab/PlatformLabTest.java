package net.tracemesh.platform.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import net.tracemesh.agent.daemon.AgentDaemonProcess;
import net.tracemesh.agent.daemon.AgentYaml;
import net.tracemesh.agent.lab.EcmpMeshLab;
import net.tracemesh.agent.lab.LabPath;
import net.tracemesh.agent.lab.Netns;
import net.tracemesh.agent.lab.NetnsLab;
import net.tracemesh.agent.scenario.AgentClasspath;
import net.tracemesh.broker.EmbeddedKafka;
import net.tracemesh.collector.history.Route;
import net.tracemesh.collector.history.RouteChangeEvent;
import net.tracemesh.collector.history.RouteHop;
import net.tracemesh.collector.history.RouteKey;
import net.tracemesh.collector.ingest.CollectorIngest;
import net.tracemesh.collector.ingest.IngestStats;
import net.tracemesh.collector.query.TopologyQueries;
import net.tracemesh.collector.query.VantageComparison;
import net.tracemesh.web.ui.Browser;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import net.tracemesh.collector.store.CollectorStore;
import net.tracemesh.collector.store.LinkSummary;
import net.tracemesh.collector.topology.LinkKind;
import net.tracemesh.collector.topology.NodeId;
import net.tracemesh.collector.topology.NodeKind;
import net.tracemesh.measurement.DefinitionSigning;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.message.AgentMessage;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import net.tracemesh.record.StopReason;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The platform end to end on a real network: three agent daemons in three vantage namespaces of an
 * {@link EcmpMeshLab} trace five destinations with udp-paris and icmp-paris every few seconds through a per-flow ECMP
 * diamond, publishing to a real (embedded) Kafka broker; collectors consume the topics into embedded stores.
 *
 * <p>One lab, one broker and one set of agents serve every step, in order: the merged graph is the lab's real
 * adjacencies; a route swapped in a router shows as exactly one route change; the web over the live store, driven in
 * a headless Chromium, shows the lab's map, the vantage comparison, that change, and the first routes of a measurement
 * created in the browser (screenshots under {@code target/screenshots}); a collector process killed with
 * SIGKILL mid-stream and restarted ends with the graph of one that never stopped; duplicated records change
 * nothing; a second collector replaying the topics builds the identical graph. Needs root (network namespaces);
 * skipped with the reason elsewhere. Every wait has a deadline and says what it waited for; waits are not asserted
 * on, what the stores hold afterwards is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformLabTest {
    private static final String PREFIX = "collab.";
    private static final String LIVE_GROUP = "collab-live";
    private static final String FORKED_GROUP = "collab-forked";
    private static final String REPLAY_GROUP = "collab-replay";
    private static final int INTERVAL_SECONDS = 3;
    private static final Duration INTERVAL = Duration.ofSeconds(INTERVAL_SECONDS);
    /** Short waits for replies: every lab router answers; max TTL well past the destinations (TTL 4 or 5). */
    private static final String TRACE_SETTINGS = "wait_ms: 1000, max_ttl: 10, probes_per_hop: 2";
    private static final int PROBE_RATE = 500;
    private static final Map<String, MeasurementMethod> MEASUREMENTS = Map.of(
            "mesh-udp", MeasurementMethod.UDP_PARIS,
            "mesh-icmp", MeasurementMethod.ICMP_PARIS);
    /** Rounds of every (agent, destination, method) the graph step waits for. */
    private static final int ROUNDS_BEFORE_GRAPH = 2;
    /** Traces with the new route the route change step waits for. */
    private static final int TRACES_AFTER_SWAP = 2;
    /** A route swap keeps this far from any round's traces of the detour vantage. */
    private static final Duration SWAP_MARGIN = Duration.ofMillis(300);
    /** How many of the latest rounds tell how long a round of the detour vantage point keeps it busy. */
    private static final int RECENT_ROUNDS = 4;
    /** The duplicates step re-publishes every record of this many traces ... */
    private static final int COPIED_TRACES = 10;
    /** ... and this many hop records from the end of the hops topic. */
    private static final int COPIED_LOOSE_HOPS = 20;
    private static final Duration ROUNDS_WAIT = Duration.ofSeconds(90);
    private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(90);
    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile(
            "\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b");

    private EcmpMeshLab lab;
    private EmbeddedKafka kafka;
    private LabKafka topics;
    private Path work;
    private final Map<String, Netns> vantageOf = new LinkedHashMap<>();
    private final List<AgentDaemonProcess> agents = new ArrayList<>();
    private CollectorStore liveStore;
    private CollectorIngest live;
    private Path forkedDir;
    private ForkedCollector forked;
    private boolean agentsStopped;

    @BeforeAll
    void startLabBrokerAgentsAndCollectors() throws IOException {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        work = Files.createTempDirectory("tracemesh-collector-lab-");
        lab = EcmpMeshLab.start();
        kafka = EmbeddedKafka.builder().dataDir(work.resolve("kafka")).port(0).listenHost("0.0.0.0")
                .advertisedHost(EcmpMeshLab.BROKER_HOST).build().start();
        for (Topics.Spec spec : Topics.ALL) {
            kafka.ensureTopic(spec.fullName(PREFIX), spec.partitions(),
                    spec.compacted() ? Map.of("cleanup.policy", "compact") : Map.of());
        }
        topics = new LabKafka(kafka.bootstrapServers(), PREFIX);

        liveStore = CollectorStore.openEmbedded(work.resolve("live"));
        live = new CollectorIngest(CollectorProcess.settings(kafka.bootstrapServers(), PREFIX, LIVE_GROUP), liveStore)
                .start();
        forkedDir = work.resolve("forked");
        forked = ForkedCollector.start(forkedDir, kafka.bootstrapServers(), PREFIX, FORKED_GROUP);

        List<String> targets = new ArrayList<>(EcmpMeshLab.ECMP_DESTINATIONS);
        targets.add(EcmpMeshLab.DETOUR_DESTINATION);
        String measurements = MEASUREMENTS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(m -> AgentYaml.trace(m.getKey(), m.getValue().wireName(), INTERVAL_SECONDS, targets,
                        TRACE_SETTINGS))
                .collect(Collectors.joining());
        // The web started later on work/web signs with this pair (its default key in its store directory); the
        // agents trust its public key, so measurements made in the browser run on them.
        Path signingKey = work.resolve("web").resolve(DefinitionSigning.PRIVATE_KEY_FILE);
        DefinitionSigning.createKeyPairIfAbsent(signingKey);
        String trust = AgentYaml.definitions(DefinitionSigning.publicKeyFile(signingKey));
        List<Netns> vantages = lab.vantages();
        for (int i = 0; i < vantages.size(); i++) {
            String id = "mesh-v" + (i + 1);
            vantageOf.put(id, vantages.get(i));
            agents.add(AgentDaemonProcess.start(vantages.get(i), id,
                    AgentYaml.config(id, "lab " + id, PREFIX, kafka.bootstrapServers(), PROBE_RATE, "",
                            measurements) + trust));
        }
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        List<RuntimeException> failures = new ArrayList<>();
        Runnable[] steps = {
            () -> agents.forEach(AgentDaemonProcess::close),
            () -> {
                if (forked != null) {
                    forked.close();
                }
            },
            () -> {
                if (live != null) {
                    live.close();
                }
            },
            () -> {
                if (liveStore != null) {
                    liveStore.close();
                }
            },
            () -> {
                if (topics != null) {
                    topics.close();
                }
            },
            () -> {
                if (kafka != null) {
                    kafka.close();
                }
            },
            () -> {
                if (lab != null) {
                    lab.close();
                }
            },
            () -> {
                if (work != null) {
                    AgentClasspath.deleteTree(work);
                }
            }
        };
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("cleaning up the collector lab failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    // ---------------------------------------------------------------- 1. the merged graph

    @Test
    @Order(1)
    void mergedGraphHoldsExactlyTheLabAdjacenciesEachWithTheVantagePointsThatCrossIt() throws InterruptedException {
        awaitLive("every agent to trace every destination with every method " + ROUNDS_BEFORE_GRAPH + " times",
                traces -> everyPathTracedAtLeast(traces, ROUNDS_BEFORE_GRAPH));
        List<ObservedTrace> traces = appliedTraces(liveStore);
        List<LinkSummary> links = liveStore.links();

        // Expected: for every trace, the lab path it took (each trace must follow exactly one of the lab's paths
        // for its vantage point and destination); its links are the agent to the first responder and each
        // responder to the next, annotated with the agents whose traces took them.
        Map<String, Set<String>> expected = new TreeMap<>();
        Set<String> branchesUsed = new TreeSet<>();
        for (ObservedTrace t : traces) {
            LabPath path = labPathOf(t, lab.paths(vantageOf.get(t.agent()), t.destination()));
            expectedLinks(t.agent(), path).forEach(l -> expected.computeIfAbsent(l, k -> new TreeSet<>())
                    .add(t.agent()));
            path.responders().stream().map(lab::owner).flatMap(Optional::stream)
                    .filter(lab.branchRouters()::contains).forEach(n -> branchesUsed.add(n.role()));
        }
        Map<String, Set<String>> merged = new TreeMap<>();
        for (LinkSummary l : links) {
            if (l.id().kind() == LinkKind.DIRECT && l.id().to().kind() == NodeKind.ADDRESS
                    && l.id().from().kind() != NodeKind.ANONYMOUS) {
                merged.put(l.id().toString(), new TreeSet<>(l.agents().keySet()));
            }
        }

        assertThat(branchesUsed).as("the flows of the three agents spread over both branches of the diamond")
                .containsExactly("a1", "b1");
        assertThat(merged).as("direct links of the merged graph (link -> agents that saw it)")
                .containsExactlyInAnyOrderEntriesOf(expected);
        for (LinkSummary l : links) {
            NodeId from = l.id().from();
            NodeId to = l.id().to();
            if (from.kind() == NodeKind.ADDRESS && to.kind() == NodeKind.ADDRESS) {
                assertThat(onDifferentBranches(from.key(), to.key()))
                        .as("link %s joins the two branches of the diamond", l.id()).isFalse();
                if (l.id().kind() == LinkKind.DIRECT) {
                    assertThat(lab.adjacent(from.key(), to.key()))
                            .as("link %s joins namespaces that are cabled together", l.id()).isTrue();
                }
            }
        }
    }

    // ---------------------------------------------------------------- 2. a route change

    @Test
    @Order(2)
    void swappedRouteShowsAsOneChangeAtTheFirstHopThatDiffers() throws InterruptedException {
        Netns v3 = lab.detourVantage();
        String agent = agentOf(v3);
        String destination = EcmpMeshLab.DETOUR_DESTINATION;
        LabPath before = lab.paths(v3, destination).get(0);
        awaitLive("the detour vantage point to trace the detour destination " + ROUNDS_BEFORE_GRAPH
                        + " times with every method",
                traces -> MEASUREMENTS.values().stream().allMatch(m -> traces.stream()
                        .filter(t -> t.agent().equals(agent) && t.destination().equals(destination)
                                && t.method() == m).count() >= ROUNDS_BEFORE_GRAPH));

        Instant swapAt = quietMomentForDetourVantage(agent);
        sleepUntil(swapAt);
        Instant swapStart = Instant.now();
        lab.takeDetour();
        Instant swapEnd = Instant.now();
        LabPath after = lab.paths(v3, destination).get(0);
        int divergenceTtl = firstDifferingTtl(before, after);

        awaitLive(TRACES_AFTER_SWAP + " traces of every method from the detour vantage after the swap",
                traces -> MEASUREMENTS.values().stream().allMatch(m -> traces.stream()
                        .filter(t -> t.agent().equals(agent) && t.destination().equals(destination)
                                && t.method() == m && t.start().isAfter(swapEnd)).count() >= TRACES_AFTER_SWAP));
        List<ObservedTrace> traces = appliedTraces(liveStore);
        for (ObservedTrace t : traces) {
            boolean detourKey = t.agent().equals(agent) && t.destination().equals(destination);
            if (!detourKey) {
                labPathOf(t, lab.paths(vantageOf.get(t.agent()), t.destination()));
                continue;
            }
            boolean straddles = !t.start().isAfter(swapEnd) && !t.end().isBefore(swapStart);
            assertThat(straddles).as("precondition: trace %s of %s ran while the route was being swapped (%s..%s)",
                    t.traceId(), t.agent(), swapStart, swapEnd).isFalse();
            labPathOf(t, List.of(t.start().isAfter(swapEnd) ? after : before));
        }

        for (MeasurementMethod method : MEASUREMENTS.values()) {
            RouteKey key = new RouteKey(agent, destination, method);
            List<ObservedTrace> mine = traces.stream().filter(t -> t.routeKey().equals(key))
                    .sorted(Comparator.comparing(ObservedTrace::start)).toList();
            List<ObservedTrace> old = mine.stream().filter(t -> t.start().isBefore(swapStart)).toList();
            List<ObservedTrace> fresh = mine.stream().filter(t -> t.start().isAfter(swapEnd)).toList();

            List<RouteChangeEvent> changes = liveStore.routeChanges(key);
            assertThat(changes).as("route changes of %s", key).hasSize(1);
            RouteChangeEvent change = changes.get(0);
            assertThat(change.divergenceTtl()).as("divergence TTL of %s", key).isEqualTo(divergenceTtl);
            assertThat(hops(change.oldRoute())).as("old route of %s", key).isEqualTo(before.responders());
            assertThat(hops(change.newRoute())).as("new route of %s", key).isEqualTo(after.responders());
            assertThat(change.time()).as("change time of %s: the start of its first trace after the swap (the store"
                    + " keeps microseconds)", key).isCloseTo(fresh.get(0).start(), within(1, ChronoUnit.MICROS));

            Instant inOld = midpoint(old.get(0).start(), old.get(old.size() - 1).start());
            Instant inNew = midpoint(fresh.get(0).start(), fresh.get(fresh.size() - 1).start());
            TopologyQueries queries = new TopologyQueries(liveStore.readDataSource());
            for (Instant t : List.of(inOld, swapStart)) {
                assertThat(queries.routeAt(key, t).map(r -> hops(r.route()))).as("route of %s at %s", key, t)
                        .contains(before.responders());
            }
            assertThat(queries.routeAt(key, inNew).map(r -> hops(r.route()))).as("route of %s at %s", key, inNew)
                    .contains(after.responders());
        }
        for (RouteKey key : allRouteKeys()) {
            if (!key.agentId().equals(agent) || !key.destination().equals(destination)) {
                assertThat(liveStore.routeChanges(key)).as("route changes of %s (its route never changed)", key)
                        .isEmpty();
            }
        }
    }

    // ---------------------------------------------------------------- 3. the web, in a real browser

    @Test
    @Order(3)
    void browserShowsTheLabMapTheComparisonTheRouteChangeAndTheFirstRoutesOfANewMeasurement() throws Exception {
        assertThat(agentsStopped).as("precondition: the agents are still publishing").isFalse();
        try (LabWeb web = LabWeb.start(work.resolve("web"), kafka.bootstrapServers(), PREFIX,
                liveStore.readDataSource()); Browser browser = Browser.open()) {
            browser.get(web.url() + "/login.html");
            browser.waitVisible("#login-user").sendKeys(LabWeb.ADMIN);
            browser.find("#login-password").sendKeys(LabWeb.PASSWORD);
            browser.find("#login-submit").click();
            browser.waitVisible("#map-canvas");

            // Map: every address the agents' traces met, and every vantage point, is a node.
            Set<String> responders = new TreeSet<>();
            appliedTraces(liveStore).forEach(t -> t.responders().values().forEach(responders::addAll));
            @SuppressWarnings("unchecked")
            List<String> mapNodes = (List<String>) browser.waitFor("const m = window.tracemeshMap;"
                    + " const cy = m && m.cy(); return cy && cy.nodes().length > 0 ? cy.nodes().map(n => n.id())"
                    + " : null");
            assertThat(mapNodes).as("nodes of the map").containsAll(responders)
                    .containsAll(vantageOf.keySet().stream().map(a -> "agent:" + a).toList());
            browser.screenshot("lab-map");

            // Compare two vantage points toward one ECMP destination: the shared hops are marked as shared.
            String destination = EcmpMeshLab.ECMP_DESTINATIONS.get(0);
            List<String> pair = List.copyOf(vantageOf.keySet()).subList(0, 2);
            VantageComparison expected = new TopologyQueries(liveStore.readDataSource())
                    .compare(destination, MeasurementMethod.UDP_PARIS, pair, null);
            browser.find("#nav .tab[data-view=compare]").click();
            browser.waitVisible("#compare-destination").sendKeys(destination);
            new Select(browser.find("#compare-method"))
                    .selectByVisibleText(MeasurementMethod.UDP_PARIS.wireName());
            browser.waitFor("return document.querySelectorAll('#compare-agents option').length >= 2");
            Select agentsSelect = new Select(browser.find("#compare-agents"));
            pair.forEach(agentsSelect::selectByValue);
            browser.find("#compare-run").click();
            browser.waitFor("return document.querySelectorAll('#compare-table tbody tr').length > 0");
            Set<String> sharedShown = new TreeSet<>();
            for (WebElement cell : browser.findAll("#compare-table td.shared")) {
                java.util.regex.Matcher m = ADDRESS.matcher(cell.getText());
                while (m.find()) {
                    sharedShown.add(m.group());
                }
            }
            Set<String> sharedExpected = expected.sharedHops().stream().map(VantageComparison.SharedHop::address)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(sharedExpected).as("precondition: %s share hops toward %s", pair, destination).isNotEmpty();
            assertThat(sharedShown).as("addresses in the cells marked shared").containsAll(sharedExpected);
            assertThat(browser.findAll("#compare-table tr.convergence"))
                    .as("the convergence row").hasSize(expected.convergence() == null ? 0 : 1);
            browser.screenshot("lab-compare");

            // Route history of the detour vantage point: the one change, diverging where the lab's route does.
            String detourAgent = agentOf(lab.detourVantage());
            RouteKey detourKey = new RouteKey(detourAgent, EcmpMeshLab.DETOUR_DESTINATION, MeasurementMethod.UDP_PARIS);
            List<RouteChangeEvent> changes = liveStore.routeChanges(detourKey);
            assertThat(changes).as("precondition: the route change of step 2").hasSize(1);
            browser.get(web.url() + "/index.html#/history?agent=" + detourAgent + "&destination="
                    + EcmpMeshLab.DETOUR_DESTINATION + "&method=" + MeasurementMethod.UDP_PARIS.wireName());
            browser.waitFor("return document.querySelectorAll('#history-changes .change-event').length > 0");
            List<WebElement> events = browser.findAll("#history-changes .change-event");
            assertThat(events).as("change events shown").hasSize(1);
            assertThat(events.get(0).getText()).contains("diverges at TTL " + changes.get(0).divergenceTtl());
            browser.screenshot("lab-history");

            // A measurement made in the browser: its first traces arrive and show as a route of the new method.
            // It traces a router of the lab (which answers classic UDP probes with port unreachable), a path
            // no other measurement of the agent traces.
            String newAgent = List.copyOf(vantageOf.keySet()).get(0);
            List<String> newAgentPath = lab.paths(vantageOf.get(newAgent), EcmpMeshLab.DETOUR_DESTINATION).get(0)
                    .responders();
            String newTarget = newAgentPath.get(newAgentPath.size() - 2);
            browser.find("#nav .tab[data-view=measurements]").click();
            browser.waitVisible("#measurement-new").click();
            browser.waitVisible("#m-id").sendKeys("web-made");
            new Select(browser.find("#m-method")).selectByVisibleText(MeasurementMethod.UDP.wireName());
            browser.find("#m-targets").sendKeys(newTarget);
            browser.find("#m-interval").clear();
            browser.find("#m-interval").sendKeys(Integer.toString(INTERVAL_SECONDS));
            if (browser.find("#m-agents-all").isSelected()) {
                browser.find("#m-agents-all").click();
            }
            browser.find("#m-agents").sendKeys(newAgent);
            browser.find("#measurement-submit").click();
            browser.waitVisible("#measurements-table tr[data-measurement=web-made]");
            browser.screenshot("lab-measurement-created");

            String history = web.url() + "/index.html#/history?agent=" + newAgent + "&destination="
                    + newTarget + "&method=" + MeasurementMethod.UDP.wireName();
            long deadline = System.nanoTime() + ROUNDS_WAIT.toNanos();
            boolean arrived = false;
            while (!arrived && System.nanoTime() < deadline) {
                browser.get("about:blank");
                browser.get(history);
                browser.waitFor("return !/loading/.test(document.getElementById('history-status').textContent)");
                arrived = browser.findAll("#history-periods tr.clickable").size() > 0;
                if (!arrived) {
                    Thread.sleep(INTERVAL.toMillis());
                }
            }
            browser.screenshot("lab-measurement-first-route");
            assertThat(arrived).as("a route period of %s -> %s by %s, from the measurement made in the browser",
                    newAgent, newTarget, MeasurementMethod.UDP.wireName()).isTrue();
            assertThat(browser.consoleErrors(e -> false)).as("errors in the browser's console").isEmpty();

            // Deleted in the browser, it leaves the agents (the later steps count on the lab's own measurements).
            browser.find("#nav .tab[data-view=measurements]").click();
            browser.waitVisible("#measurements-table tr[data-measurement=web-made] button.danger").click();
            browser.driver().switchTo().alert().accept();
            browser.waitFor("return !document.querySelector('#measurements-table tr[data-measurement=\"web-made\"]')");
        }
    }

    // ---------------------------------------------------------------- 3c. kill and restart

    @Test
    @Order(4)
    void collectorProcessKilledMidStreamEndsWithTheGraphOfOneThatNeverStopped() throws InterruptedException {
        assertThat(agentsStopped).as("precondition: the agents are still publishing").isFalse();
        // Kill it right after it applied a batch of traces (and committed their offsets): mid-stream.
        assertThat(forked.awaitApplied(1, ROUNDS_WAIT)).as("the forked collector applies traces; its output:\n%s",
                forked.log()).isTrue();
        assertThat(forked.awaitApplied(forked.tracesApplied() + 1, ROUNDS_WAIT))
                .as("the forked collector applies the next round; its output:\n%s", forked.log()).isTrue();
        long appliedBeforeKill = forked.tracesApplied();
        Instant killedAt = Instant.now();
        assertThat(forked.kill()).as("exit status of the SIGKILLed collector").isEqualTo(
                ForkedCollector.KILLED_BY_SIGKILL);
        Thread.sleep(INTERVAL.toMillis()); // the agents publish a round while no one consumes for that group
        forked = ForkedCollector.start(forkedDir, kafka.bootstrapServers(), PREFIX, FORKED_GROUP);
        assertThat(forked.awaitApplied(1, ROUNDS_WAIT)).as("the restarted collector applies traces; its output:\n%s",
                forked.log()).isTrue();

        stopAgents();
        awaitCaughtUp(LIVE_GROUP);
        awaitCaughtUp(FORKED_GROUP);
        assertThat(forked.stop()).as("exit status of the collector stopped by SIGTERM; its output:\n%s",
                forked.log()).isEqualTo(ForkedCollector.STOPPED_BY_SIGTERM);

        Map<String, Instant> published = publishedTraces();
        GraphSnapshot neverStopped = GraphSnapshot.of(liveStore, allRouteKeys());
        try (CollectorStore restarted = CollectorStore.openEmbedded(forkedDir)) {
            Map<String, Instant> missing = new TreeMap<>();
            published.forEach((trace, start) -> {
                String[] agentAndTrace = trace.split("/", 2);
                if (!restarted.applied(agentAndTrace[0], agentAndTrace[1])) {
                    missing.put(trace, start);
                }
            });
            assertThat(appliedBeforeKill).as("traces applied before the kill").isPositive();
            assertThat(missing).as("published traces missing from the store of the collector killed at %s"
                    + " (trace -> start)", killedAt).isEmpty();
            assertThat(neverStopped.counts().appliedTraces()).as("traces in the live collector's store")
                    .isEqualTo(published.size());
            GraphSnapshot killed = GraphSnapshot.of(restarted, allRouteKeys());
            assertThat(neverStopped.differencesFrom(killed))
                    .as("differences between the live store and the killed-and-restarted one").isEmpty();
        }
    }

    // ---------------------------------------------------------------- 3b. duplicates

    @Test
    @Order(5)
    void republishedCopiesOfConsumedRecordsChangeNothing() throws InterruptedException {
        stopAgents();
        awaitCaughtUp(LIVE_GROUP);
        GraphSnapshot before = GraphSnapshot.of(liveStore, allRouteKeys());
        IngestStats statsBefore = live.stats();

        // Whole traces (their hops and completions) and a tail of loose hop records, copied into their partitions.
        List<ConsumerRecord<byte[], byte[]>> hops = topics.readAll(topics.topic(Topics.HOPS));
        List<ConsumerRecord<byte[], byte[]>> ends = topics.readAll(topics.topic(Topics.TRACES));
        Set<String> chosen = new TreeSet<>();
        ends.stream().limit(COPIED_TRACES).forEach(r -> chosen.add(decode(r, TraceCompletionMessage.class).traceId()));
        List<ConsumerRecord<byte[], byte[]>> copies = new ArrayList<>();
        hops.stream().filter(r -> chosen.contains(decode(r, HopMessage.class).traceId())).forEach(copies::add);
        ends.stream().filter(r -> chosen.contains(decode(r, TraceCompletionMessage.class).traceId()))
                .forEach(copies::add);
        hops.stream().skip(Math.max(0, hops.size() - COPIED_LOOSE_HOPS)).forEach(copies::add);
        int republished = topics.republish(copies);

        awaitCaughtUp(LIVE_GROUP);
        long deadline = System.nanoTime() + CATCH_UP_WAIT.toNanos();
        while (live.stats().recordsRead() < statsBefore.recordsRead() + republished && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        IngestStats statsAfter = live.stats();
        assertThat(statsAfter.recordsRead() - statsBefore.recordsRead()).as("copies read by the live collector")
                .isEqualTo(republished);
        assertThat(statsAfter.tracesApplied()).as("traces newly applied because of the copies")
                .isEqualTo(statsBefore.tracesApplied());
        assertThat(statsAfter.duplicateMessages() - statsBefore.duplicateMessages())
                .as("copies recognised as duplicates or late messages of closed traces").isEqualTo(republished);
        assertThat(live.failure()).isEmpty();
        assertThat(before.differencesFrom(GraphSnapshot.of(liveStore, allRouteKeys())))
                .as("what the copies changed in the store").isEmpty();
    }

    // ---------------------------------------------------------------- 3a. replay

    @Test
    @Order(6)
    void secondCollectorReplayingTheTopicsBuildsTheIdenticalGraph() throws InterruptedException {
        stopAgents();
        awaitCaughtUp(LIVE_GROUP);
        GraphSnapshot original = GraphSnapshot.of(liveStore, allRouteKeys());
        long published = publishedTraces().size();
        try (CollectorStore store = CollectorStore.openEmbedded(work.resolve("replay"))) {
            IngestStats stats;
            try (CollectorIngest replay = new CollectorIngest(
                    CollectorProcess.settings(kafka.bootstrapServers(), PREFIX, REPLAY_GROUP), store).start()) {
                awaitCaughtUp(REPLAY_GROUP);
                stats = replay.stats();
                assertThat(replay.failure()).isEmpty();
            }
            assertThat(stats.tracesApplied()).as("traces the replaying collector applied").isEqualTo(published);
            GraphSnapshot replayed = GraphSnapshot.of(store, allRouteKeys());
            assertThat(original.graphDifferencesFrom(replayed))
                    .as("nodes and links that differ between the live store and the one rebuilt from the topics")
                    .isEmpty();
            assertThat(stats.tracesTimedOut()).as("traces the replay closed by timeout although every trace on the"
                    + " topics is complete (their completion then counts for nothing in the route history)").isZero();
            assertThat(original.differencesFrom(replayed))
                    .as("differences between the live store and the one rebuilt from the topics (replay: %s)", stats)
                    .isEmpty();
        }
    }

    // ---------------------------------------------------------------- what the topics hold

    /** A trace as the agents published it: its completion and, by TTL, the addresses that answered. */
    record ObservedTrace(String agent, String traceId, String destination, MeasurementMethod method, Instant start,
                         Instant end, StopReason stopReason, int stopTtl, Map<Integer, Set<String>> responders) {
        RouteKey routeKey() {
            return new RouteKey(agent, destination, method);
        }
    }

    private List<TraceCompletionMessage> completions() {
        return topics.readAll(topics.topic(Topics.TRACES)).stream()
                .map(r -> decode(r, TraceCompletionMessage.class)).toList();
    }

    /** Every trace (agent/trace id) the hops and traces topics hold messages of, with when it started. */
    private Map<String, Instant> publishedTraces() {
        Map<String, Instant> traces = new TreeMap<>();
        topics.readAll(topics.topic(Topics.HOPS)).stream().map(r -> decode(r, HopMessage.class))
                .forEach(h -> traces.put(h.agentId() + "/" + h.traceId(), h.traceStart()));
        completions().forEach(c -> traces.put(c.agentId() + "/" + c.traceId(), c.start()));
        return traces;
    }

    /**
     * Every trace on the topics that {@code store} has applied, with its hops. Completions are read first: a trace
     * the store applied complete had all its hops on the topic before it was applied.
     */
    private List<ObservedTrace> appliedTraces(CollectorStore store) {
        List<TraceCompletionMessage> applied = completions().stream()
                .filter(c -> store.applied(c.agentId(), c.traceId())).toList();
        Map<String, Map<Integer, Set<String>>> byTrace = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : topics.readAll(topics.topic(Topics.HOPS))) {
            HopMessage h = decode(r, HopMessage.class);
            byTrace.computeIfAbsent(h.agentId() + "/" + h.traceId(), k -> new TreeMap<>())
                    .computeIfAbsent(h.hop().ttl(), t -> new TreeSet<>()).add(h.hop().addr());
        }
        List<ObservedTrace> out = new ArrayList<>();
        for (TraceCompletionMessage c : applied) {
            MeasurementMethod method = MeasurementMethod.fromWireName(c.method()).orElseThrow();
            Map<Integer, Set<String>> seen = new TreeMap<>(byTrace.getOrDefault(c.agentId() + "/" + c.traceId(),
                    Map.of()));
            seen.keySet().removeIf(ttl -> ttl > c.stopTtl());
            out.add(new ObservedTrace(c.agentId(), c.traceId(), c.dst(), method, c.start(), c.end(), c.stopReason(),
                    c.stopTtl(), seen));
        }
        return out;
    }

    private boolean everyPathTracedAtLeast(List<ObservedTrace> traces, int times) {
        Map<String, Integer> counts = new HashMap<>();
        traces.forEach(t -> counts.merge(t.agent() + " " + t.destination() + " " + t.method(), 1, Integer::sum));
        long paths = (long) vantageOf.size() * (EcmpMeshLab.ECMP_DESTINATIONS.size() + 1) * MEASUREMENTS.size();
        return counts.size() == paths && counts.values().stream().allMatch(n -> n >= times);
    }

    /**
     * The one path of {@code possible} that trace {@code t} followed: it reached its destination and every TTL up to
     * it was answered by exactly the lab path's responder. Fails, naming the trace, when there is none.
     */
    private static LabPath labPathOf(ObservedTrace t, List<LabPath> possible) {
        for (LabPath p : possible) {
            Map<Integer, Set<String>> wanted = new TreeMap<>();
            for (int ttl = 1; ttl <= p.lastTtl(); ttl++) {
                wanted.put(ttl, Set.of(p.responderAt(ttl)));
            }
            if (t.stopReason() == StopReason.COMPLETED && t.stopTtl() == p.lastTtl()
                    && t.responders().equals(wanted)) {
                return p;
            }
        }
        return fail("trace %s of %s toward %s (%s) stopped %s at TTL %d having seen %s, which is none of the lab's"
                + " paths %s", t.traceId(), t.agent(), t.destination(), t.method().wireName(), t.stopReason(),
                t.stopTtl(), t.responders(), possible);
    }

    /** The links a Paris trace along {@code path} shows, as {@link net.tracemesh.collector.topology.LinkId} text. */
    private static List<String> expectedLinks(String agent, LabPath path) {
        List<String> links = new ArrayList<>();
        links.add(NodeId.agent(agent) + " -> " + path.responderAt(1));
        for (int ttl = 1; ttl < path.lastTtl(); ttl++) {
            links.add(path.responderAt(ttl) + " -> " + path.responderAt(ttl + 1));
        }
        return links;
    }

    /** Whether one address belongs to the left branch router of the diamond and the other to the right one. */
    private boolean onDifferentBranches(String x, String y) {
        Optional<Netns> a = lab.owner(x);
        Optional<Netns> b = lab.owner(y);
        List<Netns> branches = lab.branchRouters();
        return a.isPresent() && b.isPresent() && branches.contains(a.get()) && branches.contains(b.get())
                && !a.get().equals(b.get());
    }

    private static int firstDifferingTtl(LabPath a, LabPath b) {
        int ttl = 1;
        while (ttl <= Math.min(a.lastTtl(), b.lastTtl()) && a.responderAt(ttl).equals(b.responderAt(ttl))) {
            ttl++;
        }
        return ttl;
    }

    private static List<String> hops(Route route) {
        assertThat(route.firstTtl()).as("first TTL of route %s", route).isEqualTo(1);
        assertThat(route.stopReason()).as("ending of route %s", route).isEqualTo(StopReason.COMPLETED);
        return route.hops().stream().map(RouteHop::toString).toList();
    }

    private List<RouteKey> allRouteKeys() {
        List<RouteKey> keys = new ArrayList<>();
        List<String> destinations = new ArrayList<>(EcmpMeshLab.ECMP_DESTINATIONS);
        destinations.add(EcmpMeshLab.DETOUR_DESTINATION);
        for (String agent : vantageOf.keySet()) {
            for (String d : destinations) {
                MEASUREMENTS.values().stream().sorted().forEach(m -> keys.add(new RouteKey(agent, d, m)));
            }
        }
        return keys;
    }

    private String agentOf(Netns vantage) {
        return vantageOf.entrySet().stream().filter(e -> e.getValue().equals(vantage)).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    private static <T extends AgentMessage> T decode(ConsumerRecord<byte[], byte[]> r, Class<T> type) {
        return MessageJson.decode(r.value(), type);
    }

    // ---------------------------------------------------------------- timing helpers (bounded waits)

    /**
     * A moment in the next two intervals at which no round of the detour vantage point's measurements is running:
     * each measurement runs on a fixed grid of round starts, and its traces end within the longest time its recent
     * rounds took (the first rounds, while the agent warms up, take longer).
     */
    private Instant quietMomentForDetourVantage(String agent) {
        List<TraceCompletionMessage> mine = completions().stream().filter(c -> c.agentId().equals(agent)).toList();
        long interval = INTERVAL.toMillis();
        Instant latest = mine.stream().map(TraceCompletionMessage::roundStart).max(Comparator.naturalOrder())
                .orElseThrow();
        Instant recent = latest.minus(INTERVAL.multipliedBy(RECENT_ROUNDS));
        Map<String, Long> phase = new HashMap<>();
        Map<String, Long> busy = new HashMap<>();
        for (TraceCompletionMessage c : mine) {
            if (c.roundStart().isAfter(recent)) {
                phase.put(c.measurementId(), Math.floorMod(c.roundStart().toEpochMilli(), interval));
                busy.merge(c.measurementId(), Duration.between(c.roundStart(), c.end()).toMillis(), Math::max);
            }
        }
        long margin = SWAP_MARGIN.toMillis();
        long from = Instant.now().plus(SWAP_MARGIN).toEpochMilli();
        for (long t = from; t < from + 2 * interval; t += 20) {
            boolean quiet = true;
            for (Map.Entry<String, Long> e : phase.entrySet()) {
                long sinceRound = Math.floorMod(t - e.getValue(), interval);
                quiet &= sinceRound > busy.get(e.getKey()) + margin && sinceRound < interval - margin;
            }
            if (quiet) {
                return Instant.ofEpochMilli(t);
            }
        }
        return fail("the rounds of %s leave no quiet moment of %s to swap a route in (round phases %s ms, busiest %s"
                + " ms, interval %d ms)", agent, SWAP_MARGIN, phase, busy, interval);
    }

    private static void sleepUntil(Instant t) throws InterruptedException {
        long millis = Duration.between(Instant.now(), t).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static Instant midpoint(Instant a, Instant b) {
        return a.plus(Duration.between(a, b).dividedBy(2));
    }

    /** Waits until the traces the live collector applied satisfy {@code done}; fails naming {@code what}. */
    private void awaitLive(String what, Predicate<List<ObservedTrace>> done) throws InterruptedException {
        long deadline = System.nanoTime() + ROUNDS_WAIT.toNanos();
        while (!done.test(appliedTraces(liveStore))) {
            assertThat(live.failure()).as("live collector failure").isEmpty();
            if (System.nanoTime() > deadline) {
                fail("waited %s for %s; agent logs:\n%s", ROUNDS_WAIT, what, agentLogs());
            }
            Thread.sleep(500);
        }
    }

    private void awaitCaughtUp(String group) throws InterruptedException {
        Map<TopicPartition, Long> lag = topics.awaitCaughtUp(group, CATCH_UP_WAIT);
        assertThat(lag).as("records group %s has not committed after %s", group, CATCH_UP_WAIT).isEmpty();
    }

    /** Stops every agent (SIGTERM; they flush what they hold); the later steps need topics that no longer grow. */
    private void stopAgents() {
        if (agentsStopped) {
            return;
        }
        for (AgentDaemonProcess a : agents) {
            int status = a.stop();
            assertThat(status).as("exit status of %s stopped by SIGTERM; its log:\n%s", a, a.log())
                    .isEqualTo(ForkedCollector.STOPPED_BY_SIGTERM);
        }
        agentsStopped = true;
    }

    private String agentLogs() {
        StringBuilder b = new StringBuilder();
        agents.forEach(a -> b.append("--- ").append(a).append('\n').append(a.log()));
        return b.toString();
    }
}
