package net.tracemesh.agent.schedule;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import net.tracemesh.agent.daemon.AgentIdentity;
import net.tracemesh.agent.measurement.PlannedTargets;
import net.tracemesh.agent.measurement.PolicyViolation;
import net.tracemesh.agent.measurement.TargetPolicy;
import net.tracemesh.agent.publish.MessageSink;
import net.tracemesh.agent.publish.Outgoing;
import net.tracemesh.measurement.DefinitionException;
import net.tracemesh.measurement.MeasurementCodec;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.message.AgentErrorMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when each measurement runs. Definitions come from the agent's config (local) and from the
 * measurement-definitions topic (central); each is checked against the agent's safety policy before it runs,
 * and a refused one is reported on the errors topic while the others go on. A measurement runs a round every
 * interval, on a fixed grid from its start, each round delayed by a random jitter; a round that is due while
 * the previous one still runs is skipped, so two rounds of one measurement never overlap (not even when the
 * measurement is deleted and defined again meanwhile). Updates and deletions take effect at once; a definition
 * received again unchanged changes nothing.
 */
public final class SchedulerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final AgentIdentity identity;
    private final TargetPolicy policy;
    private final RoundRunner runner;
    private final MessageSink sink;
    private final List<MeasurementDefinition> localDefinitions;
    private final Supplier<Instant> clock;
    private final Map<String, Scheduled> measurements = new HashMap<>();
    /** Ids of the measurements with a round under way (outlives a deletion of the measurement). */
    private final Set<String> running = new HashSet<>();
    private final AtomicLong roundsStarted = new AtomicLong();
    private final AtomicLong roundsSkipped = new AtomicLong();
    private final AtomicLong definitionsRefused = new AtomicLong();
    private final AtomicLong errorIds = new AtomicLong();
    private volatile List<String> activeIds = List.of();
    private boolean stopped;

    public SchedulerVerticle(AgentIdentity identity, TargetPolicy policy, RoundRunner runner, MessageSink sink,
                             List<MeasurementDefinition> localDefinitions) {
        this.identity = identity;
        this.policy = policy;
        this.runner = runner;
        this.sink = sink;
        this.localDefinitions = List.copyOf(localDefinitions);
        this.clock = Instant::now;
    }

    @Override
    public Future<?> start() {
        for (MeasurementDefinition d : localDefinitions) {
            apply(d, Source.LOCAL);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        for (Scheduled s : measurements.values()) {
            s.cancelTimer();
        }
        return Future.succeededFuture();
    }

    /** A value on the definitions topic (thread-safe); a null value deletes the measurement. */
    public void definitionRecord(String key, byte[] value) {
        context.runOnContext(v -> {
            if (value == null) {
                deleteCentral(key);
            } else {
                receiveCentral(key, value);
            }
        });
    }

    public long roundsStarted() {
        return roundsStarted.get();
    }

    public long roundsSkipped() {
        return roundsSkipped.get();
    }

    public long definitionsRefused() {
        return definitionsRefused.get();
    }

    /** Ids of the measurements this agent runs. */
    public List<String> measurementIds() {
        return activeIds;
    }

    private void receiveCentral(String key, byte[] value) {
        MeasurementDefinition d;
        try {
            d = MeasurementCodec.decode(value);
        } catch (DefinitionException e) {
            refuse(e.reason().name().toLowerCase(Locale.ROOT), idOrNull(key), null,
                    "measurement definition" + (key == null ? "" : " '" + key + "'") + " refused: " + e.getMessage());
            dropCentral(key);
            return;
        }
        if (key != null && !key.equals(d.id())) {
            refuse("bad_value", d.id(), null, "measurement definition under key '" + key + "' has id '" + d.id()
                    + "': key and id must match");
            // The record replaces whatever the key defined before, as a bad value does.
            dropCentral(key);
            return;
        }
        Scheduled existing = measurements.get(d.id());
        if (!d.agents().matches(identity.id(), identity.site())) {
            // Meant for other agents: none of this agent's business, not even when a local one has its id.
            if (existing != null && existing.source == Source.CENTRAL) {
                LOG.info("measurement {} no longer selects this agent: stopped", d.id());
                remove(d.id());
            }
            return;
        }
        if (existing != null && existing.source == Source.LOCAL) {
            refuse("conflict", d.id(), null, "measurement '" + d.id()
                    + "' is defined in this agent's config; the central definition is ignored");
            return;
        }
        apply(d, Source.CENTRAL);
    }

    private void deleteCentral(String key) {
        Scheduled existing = key == null ? null : measurements.get(key);
        if (existing != null && existing.source == Source.CENTRAL) {
            LOG.info("measurement {} deleted", key);
            remove(key);
        }
    }

    private void dropCentral(String key) {
        Scheduled existing = key == null ? null : measurements.get(key);
        if (existing != null && existing.source == Source.CENTRAL) {
            remove(key);
        }
    }

    private void apply(MeasurementDefinition d, Source source) {
        Scheduled current = measurements.get(d.id());
        if (current != null && current.source == source && d.equals(current.definition)) {
            // Received again unchanged (the definitions topic is read again from its beginning after a
            // reconnect): restarting the grid would run an extra round at once.
            LOG.debug("measurement {} received again unchanged", d.id());
            return;
        }
        String problem = MeasurementSettings.problem(d);
        if (problem != null) {
            refuse("bad_value", d.id(), null, "measurement '" + d.id() + "' refused: " + problem);
            dropIfFrom(d.id(), source);
            return;
        }
        PlannedTargets planned;
        try {
            planned = policy.check(d);
        } catch (PolicyViolation v) {
            refuse(v.reason().name().toLowerCase(Locale.ROOT), d.id(), null,
                    "measurement '" + d.id() + "' refused: " + v.getMessage());
            dropIfFrom(d.id(), source);
            return;
        }
        Scheduled s = measurements.get(d.id());
        if (s == null) {
            s = new Scheduled(d.id(), source);
            measurements.put(d.id(), s);
            LOG.info("measurement {} ({} {} targets every {} s) scheduled", d.id(), d.method().wireName(),
                    planned.addresses().length, d.interval().toSeconds());
        } else {
            s.cancelTimer();
            LOG.info("measurement {} updated", d.id());
        }
        s.definition = d;
        s.targets = planned.addresses();
        s.gridStart = d.start() != null ? d.start() : clock.get();
        s.slot = 0;
        updateActiveIds();
        scheduleNext(s);
    }

    private void dropIfFrom(String id, Source source) {
        Scheduled existing = measurements.get(id);
        if (existing != null && existing.source == source) {
            remove(id);
        }
    }

    private void remove(String id) {
        Scheduled s = measurements.remove(id);
        if (s != null) {
            s.cancelTimer();
            s.removed = true;
        }
        updateActiveIds();
    }

    private void updateActiveIds() {
        List<String> ids = new ArrayList<>(measurements.keySet());
        ids.sort(null);
        activeIds = List.copyOf(ids);
    }

    /** Sets the timer for the next slot of the grid that is not in the past. */
    private void scheduleNext(Scheduled s) {
        if (stopped || s.removed) {
            return;
        }
        MeasurementDefinition d = s.definition;
        Instant now = clock.get();
        Duration interval = d.interval();
        Instant slotTime = s.gridStart.plus(interval.multipliedBy(s.slot));
        if (slotTime.isBefore(now)) {
            long behind = Duration.between(slotTime, now).toMillis() / Math.max(1, interval.toMillis());
            s.slot += behind;
            slotTime = s.gridStart.plus(interval.multipliedBy(s.slot));
            if (slotTime.isBefore(now.minusMillis(1))) {
                s.slot++;
                slotTime = slotTime.plus(interval);
            }
        }
        if (d.stop() != null && !slotTime.isBefore(d.stop())) {
            LOG.info("measurement {} has reached its stop time", d.id());
            return;
        }
        long jitterMillis = d.jitter().toMillis();
        long jitter = jitterMillis > 0 ? ThreadLocalRandom.current().nextLong(jitterMillis + 1) : 0;
        long delay = Math.max(1, Duration.between(now, slotTime).toMillis() + jitter);
        long slot = s.slot;
        s.timer = vertx.setTimer(delay, id -> due(s, slot));
    }

    private void due(Scheduled s, long slot) {
        s.timer = -1;
        if (stopped || s.removed || slot != s.slot) {
            return;
        }
        s.slot++;
        MeasurementDefinition d = s.definition;
        if (d.paused()) {
            scheduleNext(s);
            return;
        }
        if (running.contains(d.id())) {
            roundsSkipped.incrementAndGet();
            LOG.warn("measurement {}: a round is due while the previous one still runs; skipped", d.id());
            scheduleNext(s);
            return;
        }
        running.add(d.id());
        roundsStarted.incrementAndGet();
        RoundPlan plan = new RoundPlan(d, s.targets, clock.get());
        Future<RoundOutcome> round;
        try {
            round = runner.runRound(plan);
        } catch (RuntimeException e) {
            // A runner that throws must not leave the measurement "running" for ever.
            round = Future.failedFuture(e);
        }
        round.onComplete(ar -> {
            running.remove(d.id());
            if (ar.failed()) {
                LOG.error("measurement {}: round failed: {}", d.id(), ar.cause().getMessage());
                report("round_failed", d.id(), null, "round of measurement '" + d.id() + "' failed: "
                        + ar.cause().getMessage());
            }
        });
        scheduleNext(s);
    }

    /** Reports a refused definition (counted in {@link #definitionsRefused()}). */
    private void refuse(String kind, String measurementId, String target, String message) {
        definitionsRefused.incrementAndGet();
        LOG.warn(message);
        report(kind, measurementId, target, message);
    }

    /** Publishes an error on the errors topic. */
    private void report(String kind, String measurementId, String target, String message) {
        AgentErrorMessage m = new AgentErrorMessage(AgentErrorMessage.TYPE, MessageJson.SCHEMA_VERSION,
                identity.runNonce() + "-e" + Long.toHexString(errorIds.incrementAndGet()), identity.id(),
                clock.get(), kind, measurementId, target, message);
        sink.publish(new Outgoing(Topics.ERRORS, identity.id(), m, 0));
    }

    private static String idOrNull(String key) {
        return key != null && ID.matcher(key).matches() ? key : null;
    }

    /** Where a definition came from. */
    private enum Source { LOCAL, CENTRAL }

    /** A measurement's schedule (owned by the verticle's context). */
    private final class Scheduled {
        final String id;
        final Source source;
        MeasurementDefinition definition;
        int[] targets;
        Instant gridStart;
        long slot;
        long timer = -1;
        boolean removed;

        Scheduled(String id, Source source) {
            this.id = id;
            this.source = source;
        }

        void cancelTimer() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
