package net.tracemesh.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import net.tracemesh.agent.daemon.AgentIdentity;
import net.tracemesh.agent.measurement.TargetPolicy;
import net.tracemesh.agent.publish.MessageSink;
import net.tracemesh.agent.publish.Outgoing;
import net.tracemesh.measurement.DefinitionException;
import net.tracemesh.measurement.MeasurementCodec;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.message.AgentErrorMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import net.tracemesh.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SchedulerVerticle} on a real Vert.x instance, with a recording round runner and message sink: no
 * broker, no network. Rounds every interval, skipped slots, central definitions (run, update, delete, selectors),
 * refusals reported on the errors topic while other measurements go on, paused and time-limited definitions.
 *
 * <p>Negative checks ("never ran") wait for a control measurement, {@value #CLOCK}, to run more rounds: with the
 * same one-second interval, a measurement that would run has had its chance by then.
 */
class SchedulerVerticleTest {
    private static final String AGENT = "agent-a";
    private static final String SITE = "Frankfurt";
    private static final AgentIdentity IDENTITY = new AgentIdentity(AGENT, SITE, "0.1.0", Instant.now(), "abcd");
    private static final TargetPolicy POLICY = new TargetPolicy(false, List.of("198.51.100.0/24"), 1_000_000,
            65_536);
    private static final String CLOCK = "clock";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Vertx vertx;
    private RecordingRunner runner;
    private final RecordingSink sink = new RecordingSink();
    private SchedulerVerticle scheduler;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        assertThat(runner == null ? List.of() : runner.wrongThread()).as("rounds started off the event loop")
                .isEmpty();
    }

    @Test
    void aLocalDefinitionRunsARoundEveryIntervalOnItsExpandedTargets() throws Exception {
        MeasurementDefinition local = local(definition("local-1", "198.18.1.0/30", "198.18.2.7"));
        deploy(id -> true, local);

        await("two rounds of local-1", () -> runner.count("local-1") >= 2);
        List<RoundPlan> plans = runner.plans("local-1");
        for (RoundPlan plan : plans) {
            assertThat(plan.definition()).isEqualTo(local);
            assertThat(addresses(plan)).containsExactly("198.18.1.1", "198.18.1.2", "198.18.2.7");
        }
        assertThat(plans.get(1).roundStart()).isAfter(plans.get(0).roundStart());
        assertThat(plans.get(1).roundNumber()).isGreaterThan(plans.get(0).roundNumber());
        assertThat(scheduler.roundsStarted()).isGreaterThanOrEqualTo(2);
        assertThat(scheduler.roundsSkipped()).isZero();
        assertThat(scheduler.measurementIds()).containsExactly("local-1");
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void aRoundStillRunningWhenTheNextIsDueMakesThatOneSkipped() throws Exception {
        deploy(id -> false, local(definition("slow", "198.18.1.1")));

        await("two skipped slots", () -> scheduler.roundsSkipped() >= 2);
        assertThat(runner.count("slow")).isEqualTo(1);
        assertThat(scheduler.roundsStarted()).isEqualTo(1);

        runner.rounds("slow").get(0).complete();
        await("a round after the slow one finished", () -> runner.count("slow") >= 2);
        assertThat(runner.maxOutstanding("slow")).isEqualTo(1);
        assertThat(scheduler.roundsStarted()).isEqualTo(runner.count("slow"));
    }

    @Test
    void centralDefinitionsRunAreUpdatedAndDeleted() throws Exception {
        deploy(id -> true, local(definition(CLOCK, "198.18.9.9")));
        scheduler.definitionRecord("c1", json(definition("c1", "198.18.1.1")));
        await("a round of c1", () -> runner.count("c1") >= 1);
        assertThat(addresses(runner.plans("c1").get(0))).containsExactly("198.18.1.1");
        assertThat(scheduler.measurementIds()).containsExactly("c1", CLOCK);

        scheduler.definitionRecord("c1", json(definition("c1", "198.18.3.3")));
        await("a round of c1 on the new target",
                () -> runner.plans("c1").stream().anyMatch(p -> addresses(p).equals(List.of("198.18.3.3"))));
        int switched = firstIndexWithTarget(runner.plans("c1"), "198.18.3.3");
        assertThat(runner.plans("c1").subList(switched, runner.count("c1")))
                .allSatisfy(p -> assertThat(addresses(p)).containsExactly("198.18.3.3"));

        scheduler.definitionRecord("c1", null);
        await("c1 gone", () -> !scheduler.measurementIds().contains("c1"));
        int rounds = runner.count("c1");
        letClockRun(3);
        assertThat(runner.count("c1")).isEqualTo(rounds);
        assertThat(scheduler.measurementIds()).containsExactly(CLOCK);
        assertThat(sink.errors()).isEmpty();
    }

    @Test
    void aCentralDefinitionRunsOnlyOnTheAgentsItSelects() throws Exception {
        deploy(id -> true, local(definition(CLOCK, "198.18.9.9")));
        scheduler.definitionRecord("other-id", json(selecting(definition("other-id", "198.18.1.1"), "ids", "agent-b")));
        scheduler.definitionRecord("other-site", json(selecting(definition("other-site", "198.18.1.1"), "labels",
                "Paris")));
        scheduler.definitionRecord("by-id", json(selecting(definition("by-id", "198.18.1.1"), "ids", AGENT)));
        scheduler.definitionRecord("by-site", json(selecting(definition("by-site", "198.18.1.1"), "labels", SITE)));
        await("rounds of by-id and by-site", () -> runner.count("by-id") >= 1 && runner.count("by-site") >= 1);
        letClockRun(2);
        assertThat(runner.count("other-id")).isZero();
        assertThat(runner.count("other-site")).isZero();
        assertThat(scheduler.measurementIds()).containsExactly("by-id", "by-site", CLOCK);

        // An update that no longer selects this agent stops it here.
        scheduler.definitionRecord("by-id", json(selecting(definition("by-id", "198.18.1.1"), "ids", "agent-b")));
        await("by-id gone", () -> !scheduler.measurementIds().contains("by-id"));
        int rounds = runner.count("by-id");
        letClockRun(2);
        assertThat(runner.count("by-id")).isEqualTo(rounds);
        assertThat(sink.errors()).isEmpty();
    }

    @Test
    void refusedDefinitionsAreReportedAndOtherMeasurementsKeepRunning() throws Exception {
        deploy(id -> true, local(definition(CLOCK, "198.18.9.9")));
        scheduler.definitionRecord("keeper", json(definition("keeper", "198.18.4.4")));
        await("a round of keeper", () -> runner.count("keeper") >= 1);

        ObjectNode overBudget = definition("over-budget", "198.18.0.0/16");
        overBudget.putObject("trace").put("max_ttl", 30);
        ObjectNode unknownMethod = definition("pigeon", "198.18.1.1");
        unknownMethod.put("method", "carrier-pigeon");
        ObjectNode unknownField = definition("extra", "198.18.1.1");
        unknownField.put("colour", "blue");
        ObjectNode badValue = definition("zero", "198.18.1.1");
        badValue.put("interval_s", 0);
        List<Refusal> refusals = List.of(
                new Refusal("bad-json", "{\"schema\": 1, \"id\": ".getBytes(StandardCharsets.UTF_8), "bad_json",
                        "bad-json"),
                new Refusal("pigeon", json(unknownMethod), "unknown_method", "pigeon"),
                new Refusal("extra", json(unknownField), "unknown_field", "extra"),
                new Refusal("zero", json(badValue), "bad_value", "zero"),
                new Refusal("multicast", json(definition("multicast", "198.18.1.1", "224.0.0.1")),
                        "forbidden_target", "multicast"),
                new Refusal("denied", json(definition("denied", "198.51.100.7")), "forbidden_target", "denied"),
                new Refusal("over-budget", json(overBudget), "over_budget", "over-budget"),
                new Refusal("huge", json(definition("huge", "198.18.0.0/15")), "too_many_targets", "huge"),
                new Refusal("some-key", json(definition("mismatch", "198.18.1.1")), "bad_value", "mismatch"),
                new Refusal(CLOCK, json(definition(CLOCK, "198.18.5.5")), "conflict", CLOCK));
        for (Refusal r : refusals) {
            int before = sink.errors().size();
            scheduler.definitionRecord(r.key, r.value);
            await("an error for " + r.key, () -> sink.errors().size() > before);
            AgentErrorMessage error = sink.errors().get(before);
            assertThat(error.kind()).as("kind for %s", r.key).isEqualTo(r.kind);
            assertThat(error.measurementId()).as("measurement id for %s", r.key).isEqualTo(r.measurementId);
            assertThat(error.agentId()).isEqualTo(AGENT);
            assertThat(error.recordId()).startsWith(IDENTITY.runNonce());
            assertThat(error.message()).isNotBlank();
        }
        assertThat(sink.messages()).allSatisfy(o -> {
            assertThat(o.topic()).isEqualTo(Topics.ERRORS);
            assertThat(o.key()).isEqualTo(AGENT);
            assertThat(o.round()).isZero();
        });
        assertThat(sink.errors().stream().map(AgentErrorMessage::recordId).distinct()).hasSize(refusals.size());
        // Every error survives the JSON the publisher sends.
        for (AgentErrorMessage e : sink.errors()) {
            assertThat(MessageJson.decode(MessageJson.encode(e), AgentErrorMessage.class)).isEqualTo(e);
        }
        assertThat(scheduler.definitionsRefused()).isEqualTo(refusals.size());

        int clock = runner.count(CLOCK);
        int keeper = runner.count("keeper");
        await("clock and keeper go on", () -> runner.count(CLOCK) >= clock + 2 && runner.count("keeper") >= keeper + 2);
        assertThat(scheduler.measurementIds()).containsExactly(CLOCK, "keeper");
        for (Refusal r : refusals) {
            if (!r.measurementId.equals(CLOCK)) {
                assertThat(runner.count(r.measurementId)).as("rounds of %s", r.measurementId).isZero();
            }
        }
        // The local clock kept its own definition.
        assertThat(runner.plans(CLOCK)).allSatisfy(p -> assertThat(addresses(p)).containsExactly("198.18.9.9"));
    }

    @Test
    void aRefusedRecordStopsTheCentralMeasurementItReplaces() throws Exception {
        deploy(id -> true, local(definition(CLOCK, "198.18.9.9")));
        scheduler.definitionRecord("c2", json(definition("c2", "198.18.1.1")));
        scheduler.definitionRecord("c3", json(definition("c3", "198.18.1.1")));
        await("rounds of c2 and c3", () -> runner.count("c2") >= 1 && runner.count("c3") >= 1);

        // The latest value of a key is what a restarted agent would read: a refused one leaves nothing to run.
        scheduler.definitionRecord("c2", json(definition("c2", "224.0.0.1")));
        scheduler.definitionRecord("c3", json(definition("c3-renamed", "198.18.1.1")));
        await("errors for c2 and c3", () -> sink.errors().size() == 2);
        assertThat(sink.errors()).extracting(AgentErrorMessage::kind, AgentErrorMessage::measurementId)
                .containsExactly(tuple("forbidden_target", "c2"), tuple("bad_value", "c3-renamed"));
        await("c2 and c3 gone", () -> scheduler.measurementIds().equals(List.of(CLOCK)));
        int c2 = runner.count("c2");
        int c3 = runner.count("c3");
        letClockRun(2);
        assertThat(runner.count("c2")).isEqualTo(c2);
        assertThat(runner.count("c3")).isEqualTo(c3);
        assertThat(runner.count("c3-renamed")).isZero();
        assertThat(runner.plans("c2")).allSatisfy(p -> assertThat(addresses(p)).containsExactly("198.18.1.1"));
    }

    @Test
    void aRefusedLocalDefinitionIsReportedAndTheOthersRun() throws Exception {
        deploy(id -> true, local(definition("bad-local", "224.0.0.1")), local(definition(CLOCK, "198.18.9.9")));
        await("an error for bad-local", () -> !sink.errors().isEmpty());
        AgentErrorMessage error = sink.errors().get(0);
        assertThat(error.kind()).isEqualTo("forbidden_target");
        assertThat(error.measurementId()).isEqualTo("bad-local");
        assertThat(error.message()).contains("224.0.0.1");
        letClockRun(2);
        assertThat(runner.count("bad-local")).isZero();
        assertThat(scheduler.measurementIds()).containsExactly(CLOCK);
    }

    @Test
    void aCentralDefinitionForOtherAgentsWithALocalIdIsNoConflictHere() throws Exception {
        deploy(id -> true, local(definition(CLOCK, "198.18.9.9")));
        scheduler.definitionRecord(CLOCK, json(selecting(definition(CLOCK, "198.18.5.5"), "ids", "agent-b")));
        letClockRun(2);
        assertThat(sink.errors()).isEmpty();
        assertThat(runner.plans(CLOCK)).allSatisfy(p -> assertThat(addresses(p)).containsExactly("198.18.9.9"));
    }

    @Test
    void pausedStoppedAndNotYetStartedDefinitionsRunNoRounds() throws Exception {
        ObjectNode paused = definition("paused", "198.18.1.1");
        paused.put("paused", true);
        ObjectNode over = definition("over", "198.18.1.1");
        over.put("start", "2020-01-01T00:00:00Z");
        over.put("stop", "2020-01-02T00:00:00Z");
        ObjectNode stopOnly = definition("stop-only", "198.18.1.1");
        stopOnly.put("stop", Instant.now().minusSeconds(1).toString());
        ObjectNode later = definition("later", "198.18.1.1");
        later.put("start", Instant.now().plus(Duration.ofHours(1)).toString());
        deploy(id -> true, local(paused), local(over), local(stopOnly), local(later),
                local(definition(CLOCK, "198.18.9.9")));
        ObjectNode centralPaused = definition("central-paused", "198.18.1.1");
        centralPaused.put("paused", true);
        scheduler.definitionRecord("central-paused", json(centralPaused));

        letClockRun(3);
        for (String id : List.of("paused", "over", "stop-only", "later", "central-paused")) {
            assertThat(runner.count(id)).as("rounds of %s", id).isZero();
        }
        assertThat(sink.errors()).isEmpty();

        // Resuming is an update: it runs from then on.
        centralPaused.put("paused", false);
        scheduler.definitionRecord("central-paused", json(centralPaused));
        await("a round of central-paused once resumed", () -> runner.count("central-paused") >= 1);
    }

    @Test
    void aStartTimeInThePastDoesNotHoldRoundsBack() throws Exception {
        ObjectNode started = definition("started", "198.18.1.1");
        started.put("start", "2020-01-01T00:00:00Z");
        deploy(id -> true, local(started));
        await("two rounds of started", () -> runner.count("started") >= 2);
        assertThat(scheduler.roundsSkipped()).isZero();
    }

    @Test
    void theSameDefinitionReceivedAgainDoesNotRestartItsSchedule() throws Exception {
        deploy(id -> true, local(definition(CLOCK, "198.18.9.9")));
        ObjectNode hourly = definition("hourly", "198.18.1.1");
        hourly.put("interval_s", 3600);
        scheduler.definitionRecord("hourly", json(hourly));
        await("the first round of hourly", () -> runner.count("hourly") == 1);

        // The definitions consumer reads the compacted topic from the beginning again after a reconnect.
        scheduler.definitionRecord("hourly", json(hourly));
        letClockRun(2);
        assertThat(runner.count("hourly")).isEqualTo(1);

        // A real update takes effect at once.
        hourly.putArray("targets").add("198.18.2.2");
        scheduler.definitionRecord("hourly", json(hourly));
        await("a round of the updated hourly", () -> runner.count("hourly") == 2);
        assertThat(addresses(runner.plans("hourly").get(1))).containsExactly("198.18.2.2");
    }

    @Test
    void aMeasurementDeletedAndRecreatedWhileItsRoundRunsNeverHasTwoRoundsAtOnce() throws Exception {
        deploy(CLOCK::equals, local(definition(CLOCK, "198.18.9.9")));
        scheduler.definitionRecord("slow", json(definition("slow", "198.18.1.1")));
        await("a round of slow", () -> runner.count("slow") == 1);

        scheduler.definitionRecord("slow", null);
        scheduler.definitionRecord("slow", json(definition("slow", "198.18.1.1")));
        await("slow scheduled again", () -> scheduler.measurementIds().contains("slow"));
        letClockRun(2);
        assertThat(runner.maxOutstanding("slow")).isEqualTo(1);
        assertThat(runner.count("slow")).isEqualTo(1);

        runner.rounds("slow").get(0).complete();
        await("the next round of slow", () -> runner.count("slow") >= 2);
        assertThat(runner.maxOutstanding("slow")).isEqualTo(1);
    }

    @Test
    void aFailedRoundIsReportedAndTheMeasurementGoesOn() throws Exception {
        deploy(id -> false, local(definition("flaky", "198.18.1.1")));
        await("a round of flaky", () -> runner.count("flaky") == 1);
        runner.rounds("flaky").get(0).fail("no route");
        await("an error for the failed round", () -> !sink.errors().isEmpty());
        AgentErrorMessage error = sink.errors().get(0);
        assertThat(error.kind()).isEqualTo("round_failed");
        assertThat(error.measurementId()).isEqualTo("flaky");
        assertThat(error.message()).contains("no route");
        // A failed round is no refused definition.
        assertThat(scheduler.definitionsRefused()).isZero();
        await("the next round of flaky", () -> runner.count("flaky") >= 2);
    }

    @Test
    void aRunnerThatThrowsDoesNotStopTheMeasurement() throws Exception {
        runner = new RecordingRunner(id -> true);
        runner.throwOnNextRound("brittle");
        deployWith(runner, local(definition("brittle", "198.18.1.1")));
        await("an error for the round that could not start", () -> !sink.errors().isEmpty());
        assertThat(sink.errors().get(0).kind()).isEqualTo("round_failed");
        assertThat(sink.errors().get(0).measurementId()).isEqualTo("brittle");
        await("a round of brittle after that", () -> runner.count("brittle") >= 1);
    }

    @Test
    void noRoundsAfterTheSchedulerStops() throws Exception {
        deploy(id -> true, local(definition(CLOCK, "198.18.9.9")));
        await("a round of the clock", () -> runner.count(CLOCK) >= 1);
        vertx.undeploy(vertx.deploymentIDs().iterator().next()).await(30, TimeUnit.SECONDS);
        int rounds = runner.count(CLOCK);
        Thread.sleep(2_500); // more than two intervals
        assertThat(runner.count(CLOCK)).isEqualTo(rounds);
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** A refused central record and the error it must cause. */
    private record Refusal(String key, byte[] value, String kind, String measurementId) {
    }

    /** Messages handed to the publisher. */
    private static final class RecordingSink implements MessageSink {
        private final List<Outgoing> messages = new CopyOnWriteArrayList<>();

        @Override
        public void publish(Outgoing message) {
            messages.add(message);
        }

        List<Outgoing> messages() {
            return List.copyOf(messages);
        }

        List<AgentErrorMessage> errors() {
            return messages.stream().filter(o -> o.topic().equals(Topics.ERRORS))
                    .map(o -> (AgentErrorMessage) o.message()).toList();
        }
    }

    private void deploy(Predicate<String> autoComplete, MeasurementDefinition... local)
            throws Exception {
        deployWith(new RecordingRunner(autoComplete), local);
    }

    private void deployWith(RecordingRunner recording, MeasurementDefinition... local) throws Exception {
        runner = recording;
        scheduler = new SchedulerVerticle(IDENTITY, POLICY, runner, sink, List.of(local));
        vertx.deployVerticle(scheduler).await(30, TimeUnit.SECONDS);
    }

    /** A schema-1 ICMP Paris trace every second without jitter, for every agent. */
    private static ObjectNode definition(String id, String... targets) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("schema", 1);
        d.put("id", id);
        d.put("method", "icmp-paris");
        ArrayNode list = d.putArray("targets");
        Arrays.stream(targets).forEach(list::add);
        d.put("interval_s", 1);
        d.put("jitter_s", 0);
        d.putObject("agents").put("all", true);
        return d;
    }

    private static ObjectNode selecting(ObjectNode definition, String field, String value) {
        definition.putObject("agents").putArray(field).add(value);
        return definition;
    }

    /** The record value on the definitions topic: the JSON as the codec writes it. */
    private static byte[] json(ObjectNode definition) {
        byte[] text = definition.toString().getBytes(StandardCharsets.UTF_8);
        try {
            return MeasurementCodec.encode(MeasurementCodec.decode(text));
        } catch (DefinitionException e) {
            return text; // deliberately bad: sent as written
        }
    }

    private static MeasurementDefinition local(ObjectNode definition) throws DefinitionException {
        return MeasurementCodec.decode(definition.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> addresses(RoundPlan plan) {
        return Arrays.stream(plan.targets()).mapToObj(Ipv4Address::format).toList();
    }

    private static int firstIndexWithTarget(List<RoundPlan> plans, String target) {
        for (int i = 0; i < plans.size(); i++) {
            if (addresses(plans.get(i)).contains(target)) {
                return i;
            }
        }
        return -1;
    }

    /** Waits until the control measurement has started {@code rounds} more rounds. */
    private void letClockRun(int rounds) throws InterruptedException {
        int target = runner.count(CLOCK) + rounds;
        await(rounds + " more rounds of the clock", () -> runner.count(CLOCK) >= target);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
