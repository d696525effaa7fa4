package net.tracemesh.agent.daemon;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;
import net.tracemesh.agent.capture.PacketChannel;
import net.tracemesh.agent.engine.EngineConfig;
import net.tracemesh.agent.engine.ProbeTask;
import net.tracemesh.agent.engine.ProbeEngine;
import net.tracemesh.agent.engine.ResultSink;
import net.tracemesh.agent.ping.PingOptions;
import net.tracemesh.agent.probe.ProbeIdentity;
import net.tracemesh.agent.ping.PingTask;
import net.tracemesh.agent.publish.MessageSink;
import net.tracemesh.agent.publish.Outgoing;
import net.tracemesh.agent.route.EgressResolver;
import net.tracemesh.agent.schedule.MeasurementSettings;
import net.tracemesh.agent.schedule.RoundOutcome;
import net.tracemesh.agent.schedule.RoundPlan;
import net.tracemesh.agent.schedule.RoundRunner;
import net.tracemesh.agent.trace.TraceOptions;
import net.tracemesh.agent.trace.TraceTask;
import net.tracemesh.measurement.MeasurementDefinition;
import net.tracemesh.message.AgentErrorMessage;
import net.tracemesh.message.HopMessage;
import net.tracemesh.message.MessageJson;
import net.tracemesh.message.PingMessage;
import net.tracemesh.message.Topics;
import net.tracemesh.message.TraceCompletionMessage;
import net.tracemesh.record.HopRecord;
import net.tracemesh.record.PingRecord;
import net.tracemesh.record.TraceRecord;
import net.tracemesh.wire.Ipv4Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs measurement rounds on one probing engine shared by every measurement, so the agent's global rate
 * limit holds across all of them. The engine probes on its own thread; results are turned into messages
 * there (cheap records) and handed to the publisher, which encodes and sends them. Each hop goes out as
 * soon as its TTL is settled, and a completion message closes every trace.
 *
 * <p>If probing becomes impossible (capture rights lost, interface gone), the engine stops; the verticle
 * reports it on the errors topic and starts a fresh engine for the next round.
 */
public final class ProberVerticle extends VerticleBase implements RoundRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProberVerticle.class);

    private final EngineConfig engineConfig;
    private final AgentIdentity identity;
    private final MessageSink sink;
    private final Function<String, PacketChannel> channelOpener;
    private final AtomicLong taskIds = new AtomicLong();
    private final AtomicLong tracesCompleted = new AtomicLong();
    private final AtomicLong tracesFailed = new AtomicLong();
    private final AtomicLong probesSentByEarlierEngines = new AtomicLong();
    private final Set<Round> activeRounds = ConcurrentHashMap.newKeySet();
    private volatile ProbeEngine engine;

    public ProberVerticle(EngineConfig engineConfig, AgentIdentity identity, MessageSink sink,
                          Function<String, PacketChannel> channelOpener) {
        this.engineConfig = engineConfig;
        this.identity = identity;
        this.sink = sink;
        this.channelOpener = channelOpener;
    }

    @Override
    public Future<?> start() {
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        ProbeEngine e = engine;
        engine = null;
        if (e != null) {
            return vertx.executeBlocking(() -> {
                e.close();
                abandonRounds();
                return null;
            });
        }
        return Future.succeededFuture();
    }

    /** Rounds started and not yet finished. */
    public int activeRounds() {
        return activeRounds.size();
    }

    public long tracesCompleted() {
        return tracesCompleted.get();
    }

    public long tracesFailed() {
        return tracesFailed.get();
    }

    public long probesSent() {
        ProbeEngine e = engine;
        return probesSentByEarlierEngines.get() + (e == null ? 0 : e.stats().probesSent());
    }

    private synchronized ProbeEngine engine() {
        ProbeEngine e = engine;
        if (e == null) {
            ProbeEngine created = new ProbeEngine(engineConfig, EgressResolver.forThisHost(), channelOpener,
                    Collections.emptyIterator()).start();
            created.terminated().whenComplete((ok, error) -> {
                if (error != null) {
                    engineFailed(created, error);
                }
            });
            engine = created;
            e = created;
        } else {
            e.useResolver(EgressResolver.forThisHost());
        }
        return e;
    }

    private synchronized void engineFailed(ProbeEngine failed, Throwable error) {
        LOG.error("probing stopped: {}", error.getMessage());
        if (engine == failed) {
            engine = null;
        }
        probesSentByEarlierEngines.addAndGet(failed.stats().probesSent());
        publishError("probing_unavailable", null, null, "probing stopped: " + error.getMessage());
        failed.close();
        abandonRounds();
    }

    /** The engine is gone: its unfinished tasks never finish, so their rounds end now. */
    private void abandonRounds() {
        for (Round r : List.copyOf(activeRounds)) {
            r.abandon();
        }
    }

    /** Starts a round; callable from any Vert.x context, whose handlers then see its outcome. */
    @Override
    public Future<RoundOutcome> runRound(RoundPlan plan) {
        Context caller = vertx.getOrCreateContext();
        Promise<RoundOutcome> promise = Promise.promise();
        int[] targets = plan.targets();
        if (targets.length == 0) {
            promise.complete(new RoundOutcome(0, 0));
            return promise.future();
        }
        ProbeEngine e;
        try {
            e = engine();
        } catch (RuntimeException ex) {
            return Future.failedFuture(ex);
        }
        Round round = new Round(plan, e, outcome -> caller.runOnContext(v -> promise.complete(outcome)));
        activeRounds.add(round);
        // Tasks are made as the round goes, a window ahead of the engine's active set, so a round over many
        // targets never holds them all in memory.
        round.submitMore(Math.max(2 * engineConfig.maxActiveTasks(), 64));
        if (e.terminated().isDone()) {
            // The engine died while the tasks were handed over: they never finish.
            abandonRounds();
        }
        return promise.future();
    }

    private String nextId() {
        return identity.runNonce() + "-" + Long.toHexString(taskIds.incrementAndGet());
    }

    private void publishError(String kind, String measurementId, String target, String message) {
        AgentErrorMessage m = new AgentErrorMessage(AgentErrorMessage.TYPE, MessageJson.SCHEMA_VERSION, nextId(),
                identity.id(), Instant.now(), kind, measurementId, target, message);
        sink.publish(new Outgoing(Topics.ERRORS, identity.id(), m, 0));
    }

    /** A trace or ping of {@code round} finished: its result goes out keyed by its path. */
    private void taskCompleted(Round round, String topic, String destination, Object message) {
        sink.publish(new Outgoing(topic, Topics.pathKey(identity.id(), destination), message,
                round.plan.roundNumber()));
        tracesCompleted.incrementAndGet();
        round.taskDone(true);
    }

    /** A trace or ping of {@code round} could not run: reported on the errors topic. */
    private void taskFailed(Round round, String kind, int destination, String reason) {
        tracesFailed.incrementAndGet();
        publishError(kind, round.measurementId(), Ipv4Address.format(destination), reason);
        round.taskDone(false);
    }

    /** Feeds a round's tasks to the engine and counts them down to its outcome (on the prober thread). */
    private final class Round {
        final RoundPlan plan;
        final AtomicInteger remaining;
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final java.util.function.Consumer<RoundOutcome> done;
        final IntFunction<ProbeTask> feeder;
        final ProbeEngine engine;
        private int nextTarget;

        Round(RoundPlan plan, ProbeEngine engine, java.util.function.Consumer<RoundOutcome> done) {
            this.plan = plan;
            this.engine = engine;
            this.remaining = new AtomicInteger(plan.targets().length);
            this.done = done;
            MeasurementDefinition d = plan.definition();
            if (d.method().isTrace()) {
                TraceOptions options = MeasurementSettings.traceOptions(d);
                feeder = target -> {
                    TraceRun run = new TraceRun(this, nextId());
                    return new TraceTask(target, options, run, run::hopSettled);
                };
            } else {
                PingOptions options = MeasurementSettings.pingOptions(d);
                feeder = target -> new PingTask(target, options, new PingRun(this, nextId()));
            }
        }

        private void finish() {
            activeRounds.remove(this);
            done.accept(new RoundOutcome(completed.get(), failed.get()));
        }

        synchronized void submitMore(int count) {
            int[] targets = plan.targets();
            for (int i = 0; i < count && nextTarget < targets.length; i++) {
                engine.submit(feeder.apply(targets[nextTarget++]));
            }
        }

        void taskDone(boolean ok) {
            (ok ? completed : failed).incrementAndGet();
            submitMore(1);
            if (remaining.decrementAndGet() == 0) {
                finish();
            }
        }

        void abandon() {
            synchronized (this) {
                nextTarget = plan.targets().length;
            }
            int left = remaining.getAndSet(0);
            if (left > 0) {
                failed.addAndGet(left);
                finish();
            }
        }

        String measurementId() {
            return plan.definition().id();
        }
    }

    /** Turns one trace's hops and result into messages. */
    private final class TraceRun implements ResultSink<TraceRecord> {
        final Round round;
        final String traceId;
        int hopCount;

        TraceRun(Round round, String traceId) {
            this.round = round;
            this.traceId = traceId;
        }

        void hopSettled(TraceTask task, int ttl, List<HopRecord> replies) {
            String src = Ipv4Address.format(task.source());
            String dst = Ipv4Address.format(task.destination());
            Integer sport = task.sourcePort();
            Integer dport = sport == null ? null : task.options().port();
            String key = Topics.pathKey(identity.id(), dst);
            int[] repeats = new int[ProbeIdentity.MAX_PROBE_INDEX + 1];
            for (HopRecord hop : replies) {
                int repeat = repeats[hop.probe()]++;
                HopMessage m = new HopMessage(HopMessage.TYPE, MessageJson.SCHEMA_VERSION,
                        HopMessage.recordId(traceId, hop.ttl(), hop.probe(), repeat), identity.id(),
                        round.measurementId(),
                        round.plan.roundStart(), traceId, task.options().method().cliName(), src, dst, sport, dport,
                        task.startTime(), hop);
                sink.publish(new Outgoing(Topics.HOPS, key, m, round.plan.roundNumber()));
                hopCount++;
            }
        }

        @Override
        public void accept(TraceRecord r) {
            TraceCompletionMessage m = new TraceCompletionMessage(TraceCompletionMessage.TYPE,
                    MessageJson.SCHEMA_VERSION, TraceCompletionMessage.recordId(traceId), identity.id(),
                    round.measurementId(), round.plan.roundStart(), traceId, r.method(), r.src(), r.dst(), r.sport(),
                    r.dport(), r.start(), r.end(), r.firstTtl(), r.maxTtl(), r.probesPerHop(), r.probeSize(),
                    r.stopReason(), r.stopIcmpCode(), r.stopTtl(), r.probesSent(), r.pathMtu(), hopCount);
            taskCompleted(round, Topics.TRACES, r.dst(), m);
        }

        @Override
        public void failed(int destination, String reason) {
            taskFailed(round, "trace_failed", destination, reason);
        }
    }

    /** Turns one ping run's result into a message. */
    private final class PingRun implements ResultSink<PingRecord> {
        final Round round;
        final String id;

        PingRun(Round round, String id) {
            this.round = round;
            this.id = id;
        }

        @Override
        public void accept(PingRecord r) {
            PingMessage m = new PingMessage(PingMessage.TYPE, MessageJson.SCHEMA_VERSION, id, identity.id(),
                    round.measurementId(), round.plan.roundStart(), r);
            taskCompleted(round, Topics.PINGS, r.dst(), m);
        }

        @Override
        public void failed(int destination, String reason) {
            taskFailed(round, "ping_failed", destination, reason);
        }
    }
}
