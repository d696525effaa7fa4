package net.tracemesh.collector.assemble;

import static net.tracemesh.collector.fixture.TraceScript.T0;
import static net.tracemesh.measurement.MeasurementMethod.ICMP_PARIS;
import static net.tracemesh.measurement.MeasurementMethod.UDP_PARIS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.tracemesh.collector.fixture.Feed;
import net.tracemesh.collector.fixture.TraceScript;
import net.tracemesh.measurement.MeasurementMethod;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.TraceCompletionMessage;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceAssemblerTest {
    private static final String DST = "198.18.9.9";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final AssemblerSettings SETTINGS = AssemblerSettings.defaults().withOpenTimeout(TIMEOUT)
            .withClosedRetention(Duration.ofMinutes(30), 1000);

    /** agent -> 198.18.0.1 -> * -> 198.18.0.3 (two of three probes) -> destination: 3 + 2 + 3 hops. */
    private static TraceScript.Trace sample() {
        return TraceScript.trace(UDP_PARIS, "fra1", DST).hop("198.18.0.1").silent()
                .hop("198.18.0.3", null, "198.18.0.3").destination().build();
    }

    @Test
    void assemblesATraceWhenItsCompletionAndEveryHopAreThere() {
        TraceScript.Trace t = sample();
        TraceAssembler a = new TraceAssembler(SETTINGS);
        Instant now = T0.plusSeconds(2);
        for (HopMessage h : t.hops()) {
            Acceptance r = a.accept(h, now);
            assertThat(r.disposition()).isEqualTo(Disposition.ACCEPTED);
            assertThat(r.closed()).isEmpty();
        }
        Acceptance r = a.accept(t.completion(), now);

        assertThat(r.disposition()).isEqualTo(Disposition.ACCEPTED);
        assertThat(r.closed()).hasSize(1);
        AssembledTrace trace = r.closed().get(0);
        assertThat(trace.complete()).isTrue();
        assertThat(trace.closure()).isEqualTo(Closure.COMPLETE);
        assertThat(trace.key()).isEqualTo(new TraceKey("fra1", "run1-1"));
        assertThat(trace.measurementId()).isEqualTo("m1");
        assertThat(trace.roundStart()).isEqualTo(T0);
        assertThat(trace.method()).isEqualTo(UDP_PARIS);
        assertThat(trace.paris()).isTrue();
        assertThat(trace.src()).isEqualTo(TraceScript.SRC);
        assertThat(trace.dst()).isEqualTo(DST);
        assertThat(trace.sport()).isEqualTo(TraceScript.SPORT);
        assertThat(trace.dport()).isEqualTo(33434);
        assertThat(trace.start()).isEqualTo(T0);
        assertThat(trace.closedAt()).isEqualTo(now);
        TraceEnding e = trace.ending();
        assertThat(e.end()).isEqualTo(T0.plusSeconds(1));
        assertThat(e.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(e.stopIcmpCode()).isNull();
        assertThat(e.stopTtl()).isEqualTo(4);
        assertThat(e.probesPerHop()).isEqualTo(3);
        assertThat(e.hopCount()).isEqualTo(8);
        assertThat(trace.hops()).hasSize(8);
        assertThat(trace.hops()).extracting(h -> h.ttl() + "/" + h.probe())
                .containsExactly("1/0", "1/1", "1/2", "3/0", "3/2", "4/0", "4/1", "4/2");
        assertThat(trace.missingHops()).isZero();

        AssemblerStats s = a.stats();
        assertThat(s.hopsAccepted()).isEqualTo(8);
        assertThat(s.completionsAccepted()).isEqualTo(1);
        assertThat(s.tracesCompleted()).isEqualTo(1);
        assertThat(s.openTraces()).isZero();
        assertThat(s.closedRemembered()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void anyArrivalOrderGivesTheSameTrace(long seed) {
        TraceScript.Trace t = sample();
        AssembledTrace inOrder = Feed.assemble(t);
        List<Object> shuffled = new ArrayList<>(t.messages());
        Collections.shuffle(shuffled, new Random(seed));

        List<AssembledTrace> closed = Feed.all(new TraceAssembler(SETTINGS), shuffled, T0);

        assertThat(closed).containsExactly(inOrder);
    }

    @Test
    void aCompletionBeforeItsHopsWaitsForThem() {
        TraceScript.Trace t = sample();
        TraceAssembler a = new TraceAssembler(SETTINGS);
        assertThat(a.accept(t.completion(), T0).closed()).isEmpty();
        assertThat(a.openTraces()).isEqualTo(1);
        List<HopMessage> hops = t.hops();
        for (int i = 0; i < hops.size() - 1; i++) {
            assertThat(a.accept(hops.get(i), T0).closed()).isEmpty();
        }
        List<AssembledTrace> closed = a.accept(hops.get(hops.size() - 1), T0).closed();
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).complete()).isTrue();
        assertThat(a.openTraces()).isZero();
    }

    @Test
    void duplicatesChangeNothing() {
        TraceScript.Trace t = sample();
        TraceAssembler a = new TraceAssembler(SETTINGS);
        List<AssembledTrace> closed = new ArrayList<>();
        // every hop twice before the completion, and the completion twice before the last hop
        List<HopMessage> hops = t.hops();
        for (int i = 0; i < hops.size() - 1; i++) {
            assertThat(a.accept(hops.get(i), T0).disposition()).isEqualTo(Disposition.ACCEPTED);
            assertThat(a.accept(hops.get(i), T0).disposition()).isEqualTo(Disposition.DUPLICATE);
        }
        assertThat(a.accept(t.completion(), T0).disposition()).isEqualTo(Disposition.ACCEPTED);
        assertThat(a.accept(t.completion(), T0).disposition()).isEqualTo(Disposition.DUPLICATE);
        closed.addAll(a.accept(hops.get(hops.size() - 1), T0).closed());

        assertThat(closed).containsExactly(Feed.assemble(t));
        assertThat(a.stats().duplicates()).isEqualTo(hops.size() - 1 + 1);
        assertThat(a.stats().hopsAccepted()).isEqualTo(hops.size());
    }

    @Test
    void lateMessagesOfAClosedTraceAreDroppedAndCounted() {
        TraceScript.Trace t = sample();
        TraceAssembler a = new TraceAssembler(SETTINGS);
        Feed.all(a, t.messages(), T0);

        Acceptance lateHop = a.accept(t.hops().get(0), T0.plusSeconds(60));
        Acceptance lateEnd = a.accept(t.completion(), T0.plusSeconds(61));

        assertThat(lateHop.disposition()).isEqualTo(Disposition.LATE);
        assertThat(lateEnd.disposition()).isEqualTo(Disposition.LATE);
        assertThat(lateHop.closed()).isEmpty();
        assertThat(a.openTraces()).isZero();
        assertThat(a.expire(T0.plus(TIMEOUT).plusSeconds(120))).isEmpty();
        assertThat(a.stats().lateAfterClose()).isEqualTo(2);
        assertThat(a.stats().tracesCompleted()).isEqualTo(1);
        assertThat(a.stats().tracesTimedOut()).isZero();
    }

    @Test
    void closedTraceKeysAreForgottenAfterTheRetentionOrBeyondTheLimit() {
        TraceAssembler a = new TraceAssembler(AssemblerSettings.defaults().withOpenTimeout(TIMEOUT)
                .withClosedRetention(Duration.ofMinutes(30), 2));
        for (int i = 1; i <= 3; i++) {
            Feed.all(a, TraceScript.trace(UDP_PARIS, "fra1", DST).id("t" + i).hop("198.18.0.1").destination()
                    .build().messages(), T0.plusSeconds(i));
        }
        assertThat(a.stats().closedRemembered()).isEqualTo(2);

        a.expire(T0.plus(Duration.ofMinutes(29)));
        assertThat(a.stats().closedRemembered()).isEqualTo(2);
        a.expire(T0.plus(Duration.ofMinutes(40)));
        assertThat(a.stats().closedRemembered()).isZero();
    }

    @Test
    void aTraceWithoutCompletionIsClosedByTheTimeout() {
        TraceScript.Trace t = sample();
        TraceAssembler a = new TraceAssembler(SETTINGS);
        Instant opened = T0.plusSeconds(3);
        Feed.all(a, t.hops(), opened);

        assertThat(a.expire(opened.plus(TIMEOUT).minusMillis(1))).isEmpty();
        assertThat(a.oldestOpenedAt()).contains(opened);
        List<AssembledTrace> closed = a.expire(opened.plus(TIMEOUT));

        assertThat(closed).hasSize(1);
        AssembledTrace trace = closed.get(0);
        assertThat(trace.complete()).isFalse();
        assertThat(trace.closure()).isEqualTo(Closure.TIMED_OUT);
        assertThat(trace.ending()).isNull();
        assertThat(trace.endingIfKnown()).isEmpty();
        assertThat(trace.hops()).hasSize(8);
        assertThat(trace.missingHops()).isZero();
        assertThat(trace.closedAt()).isEqualTo(opened.plus(TIMEOUT));
        assertThat(a.stats().tracesTimedOut()).isEqualTo(1);
        assertThat(a.openTraces()).isZero();
        // the completion arriving later is late
        assertThat(a.accept(t.completion(), opened.plus(TIMEOUT)).disposition()).isEqualTo(Disposition.LATE);
    }

    @Test
    void aCompletionWhoseHopsNeverAllCameIsClosedByTheTimeout() {
        TraceScript.Trace t = sample();
        TraceAssembler a = new TraceAssembler(SETTINGS);
        a.accept(t.completion(), T0);
        Feed.all(a, t.hops().subList(0, 5), T0.plusSeconds(10));

        List<AssembledTrace> closed = a.expire(T0.plus(TIMEOUT));

        assertThat(closed).hasSize(1);
        AssembledTrace trace = closed.get(0);
        assertThat(trace.closure()).isEqualTo(Closure.TIMED_OUT);
        assertThat(trace.complete()).isFalse();
        assertThat(trace.ending().hopCount()).isEqualTo(8);
        assertThat(trace.hops()).hasSize(5);
        assertThat(trace.missingHops()).isEqualTo(3);
    }

    @Test
    void aTraceOfZeroHopsClosesWithItsCompletion() {
        TraceScript.Trace t = TraceScript.trace(ICMP_PARIS, "fra1", DST).silent().silent().silent()
                .stop(StopReason.GAP_LIMIT).build();
        assertThat(t.hops()).isEmpty();
        TraceAssembler a = new TraceAssembler(SETTINGS);

        List<AssembledTrace> closed = a.accept(t.completion(), T0).closed();

        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).complete()).isTrue();
        assertThat(closed.get(0).hops()).isEmpty();
        assertThat(closed.get(0).sport()).isNull();
        assertThat(closed.get(0).ending().stopReason()).isEqualTo(StopReason.GAP_LIMIT);
    }

    @Test
    void aFragmentationNeededReportAndTheReplyToTheResentProbeAreTwoHops() {
        // Path MTU discovery: probe 0 of TTL 2 first got "fragmentation needed" from 198.18.0.1, then its smaller
        // copy got time exceeded from 198.18.0.2; the agent publishes both as <trace>/2/0.
        TraceScript.Trace t = TraceScript.trace(UDP_PARIS, "fra1", DST).hop("198.18.0.1").hop("198.18.0.2")
                .fragmentationNeeded("198.18.0.1", 1400).destination().build();
        assertThat(t.hops().stream().filter(h -> h.recordId().equals("run1-1/2/0"))).hasSize(2);
        TraceAssembler a = new TraceAssembler(SETTINGS);

        List<AssembledTrace> closed = Feed.all(a, t.messages(), T0);
        assertThat(Feed.all(a, t.hops(), T0)).isEmpty();

        assertThat(closed).hasSize(1);
        AssembledTrace trace = closed.get(0);
        assertThat(trace.complete()).isTrue();
        assertThat(trace.hops()).hasSize(10);
        List<HopRecord> ttl2probe0 = trace.hops().stream().filter(h -> h.ttl() == 2 && h.probe() == 0).toList();
        assertThat(ttl2probe0).extracting(HopRecord::addr).containsExactly("198.18.0.1", "198.18.0.2");
        assertThat(ttl2probe0.get(0).mtu()).isEqualTo(1400);
        assertThat(trace.ending().pathMtu()).isEqualTo(1400);
    }

    @Test
    void messagesThatContradictTheirTraceAreRejectedWithAReason() {
        TraceScript.Trace t = sample();
        TraceAssembler a = new TraceAssembler(SETTINGS);
        a.accept(t.hops().get(0), T0);
        HopMessage h = t.hops().get(1);

        HopMessage otherDst = new HopMessage(h.type(), h.schema(), h.recordId(), h.agentId(), h.measurementId(),
                h.roundStart(), h.traceId(), h.method(), h.src(), "198.18.7.7", h.sport(), h.dport(), h.traceStart(),
                h.hop());
        HopMessage badId = new HopMessage(h.type(), h.schema(), "run1-1/9/0", h.agentId(), h.measurementId(),
                h.roundStart(), h.traceId(), h.method(), h.src(), h.dst(), h.sport(), h.dport(), h.traceStart(),
                h.hop());
        HopMessage ping = new HopMessage(h.type(), h.schema(), h.recordId(), h.agentId(), h.measurementId(),
                h.roundStart(), "other", "ping", h.src(), h.dst(), h.sport(), h.dport(), h.traceStart(),
                new HopRecord(1, "198.18.0.1", 1, 11, 0, 64, 0, null, null, null));
        Acceptance r1 = a.accept(otherDst, T0);
        Acceptance r2 = a.accept(badId, T0);
        Acceptance r3 = a.accept(ping, T0);

        assertThat(r1.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(r1.reason()).isEqualTo("trace fra1/run1-1 has dst 198.18.9.9 but this message says 198.18.7.7");
        assertThat(r2.reason()).isEqualTo("record_id run1-1/9/0 does not match its trace, ttl and probe (expected "
                + "run1-1/1/1)");
        assertThat(r3.reason()).contains("record_id");
        TraceCompletionMessage c = t.completion();
        TraceCompletionMessage otherCount = new TraceCompletionMessage(c.type(), c.schema(), c.recordId(),
                c.agentId(), c.measurementId(), c.roundStart(), c.traceId(), c.method(), c.src(), c.dst(), c.sport(),
                c.dport(), c.start(), c.end(), c.firstTtl(), c.maxTtl(), c.probesPerHop(), c.probeSize(),
                c.stopReason(), c.stopIcmpCode(), c.stopTtl(), c.probesSent(), c.pathMtu(), 99);
        assertThat(a.accept(otherCount, T0).disposition()).isEqualTo(Disposition.ACCEPTED);
        Acceptance r4 = a.accept(c, T0);
        assertThat(r4.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(r4.reason()).isEqualTo("trace fra1/run1-1 already has a different completion");
        assertThat(a.stats().rejected()).isEqualTo(4);
        assertThat(a.stats().hopsAccepted()).isEqualTo(1);
    }

    @Test
    void aMethodThatIsNotATraceMethodIsRejected() {
        HopMessage h = sample().hops().get(0);
        HopMessage ping = new HopMessage(h.type(), MessageJson.SCHEMA_VERSION, h.recordId(), h.agentId(),
                h.measurementId(), h.roundStart(), h.traceId(), "ping", h.src(), h.dst(), h.sport(), h.dport(),
                h.traceStart(), h.hop());
        Acceptance r = new TraceAssembler(SETTINGS).accept(ping, T0);
        assertThat(r.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(r.reason()).isEqualTo("method \"ping\" is not a trace method");
    }

    @Test
    void tracesOfDifferentAgentsWithTheSameTraceIdAreKeptApart() {
        TraceScript.Trace a1 = TraceScript.trace(UDP_PARIS, "fra1", DST).hop("198.18.0.1").destination().build();
        TraceScript.Trace a2 = TraceScript.trace(UDP_PARIS, "ams1", DST).hop("198.18.1.1").destination().build();
        List<Object> both = new ArrayList<>(a1.hops());
        both.addAll(a2.hops());
        both.add(a2.completion());
        both.add(a1.completion());

        List<AssembledTrace> closed = Feed.all(new TraceAssembler(SETTINGS), both, T0);

        assertThat(closed).extracting(AssembledTrace::agentId).containsExactly("ams1", "fra1");
        assertThat(closed).allMatch(AssembledTrace::complete);
    }

    @Test
    void hopsBeyondTheLimitOfATraceAreDroppedAndCounted() {
        TraceScript.Trace t = sample();
        TraceAssembler a = new TraceAssembler(SETTINGS.withMaxHopsPerTrace(5));

        List<AssembledTrace> closed = Feed.all(a, t.messages(), T0);

        assertThat(closed).isEmpty();
        assertThat(a.stats().overflow()).isEqualTo(3);
        assertThat(a.stats().hopsAccepted()).isEqualTo(5);
        // a duplicate of a held hop is still a duplicate, not an overflow
        assertThat(a.accept(t.hops().get(0), T0).disposition()).isEqualTo(Disposition.DUPLICATE);
        List<AssembledTrace> timedOut = a.expire(T0.plus(TIMEOUT));
        assertThat(timedOut).hasSize(1);
        assertThat(timedOut.get(0).missingHops()).isEqualTo(3);
    }

    @Test
    void theOldestOpenTraceIsEvictedBeyondTheOpenTraceLimit() {
        TraceAssembler a = new TraceAssembler(SETTINGS.withMaxOpenTraces(2));
        for (int i = 1; i <= 2; i++) {
            TraceScript.Trace t = TraceScript.trace(UDP_PARIS, "fra1", DST).id("t" + i).hop("198.18.0.1")
                    .destination().build();
            assertThat(a.accept(t.hops().get(0), T0.plusSeconds(i)).closed()).isEmpty();
        }
        TraceScript.Trace third = TraceScript.trace(UDP_PARIS, "fra1", DST).id("t3").hop("198.18.0.1")
                .destination().build();

        Acceptance r = a.accept(third.hops().get(0), T0.plusSeconds(3));

        assertThat(r.disposition()).isEqualTo(Disposition.ACCEPTED);
        assertThat(r.closed()).hasSize(1);
        assertThat(r.closed().get(0).traceId()).isEqualTo("t1");
        assertThat(r.closed().get(0).closure()).isEqualTo(Closure.EVICTED);
        assertThat(a.openTraces()).isEqualTo(2);
        assertThat(a.stats().tracesEvicted()).isEqualTo(1);
    }

    @Test
    void theClockNeverGoesBackwards() {
        TraceScript.Trace t = sample();
        TraceAssembler a = new TraceAssembler(SETTINGS);
        a.accept(t.hops().get(0), T0.plusSeconds(100));
        a.accept(t.hops().get(1), T0);

        assertThat(a.clock()).isEqualTo(T0.plusSeconds(100));
        assertThat(a.expire(T0.plus(TIMEOUT))).isEmpty();
        assertThat(a.expire(T0.plus(TIMEOUT).plusSeconds(100))).hasSize(1);
    }

    @Test
    void aTraceExpiresATimeoutAfterItsOwnFirstMessageWhateverOtherPartitionsAreAt() {
        // a replay reads one partition ahead: its records move the clock, but a trace opened by an older record
        // of a partition read behind expires by its own opening time, at the time the caller expires at
        TraceScript.Trace behind = TraceScript.trace(MeasurementMethod.UDP_PARIS, "fra1", DST).id("behind")
                .hop("198.18.0.1").destination().build();
        TraceScript.Trace ahead = TraceScript.trace(MeasurementMethod.UDP_PARIS, "ams1", DST).id("ahead")
                .hop("198.18.0.2").destination().build();
        TraceAssembler a = new TraceAssembler(SETTINGS);
        Feed.all(a, ahead.hops(), T0.plus(Duration.ofMinutes(30)));
        Feed.all(a, behind.hops(), T0);

        assertThat(a.clock()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(a.oldestOpenedAt()).contains(T0);
        // expiring at the time no partition is behind of (T0 + 1 min) closes nothing
        assertThat(a.expire(T0.plus(Duration.ofMinutes(1)))).isEmpty();
        assertThat(a.accept(behind.completion(), T0.plusSeconds(70)).closed()).extracting(AssembledTrace::traceId)
                .containsExactly("behind");
        // the trace opened at T0 + 30 min expires by its own time, not before
        assertThat(a.expire(T0.plus(Duration.ofMinutes(34)))).isEmpty();
        assertThat(a.expire(T0.plus(Duration.ofMinutes(35)))).extracting(AssembledTrace::traceId)
                .containsExactly("ahead");
    }

    @Test
    void settingsAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> AssemblerSettings.defaults().withOpenTimeout(Duration.ZERO))
                .hasMessage("open timeout must be a positive duration, got PT0S");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AssemblerSettings.defaults().withMaxOpenTraces(0))
                .hasMessage("max open traces must be >= 1, got 0");
    }
}
