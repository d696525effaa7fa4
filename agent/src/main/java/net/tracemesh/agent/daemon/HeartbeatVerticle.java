package net.tracemesh.agent.daemon;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.function.Supplier;
import net.tracemesh.agent.publish.MessageSink;
import net.tracemesh.agent.publish.Outgoing;
import net.tracemesh.message.HeartbeatMessage;
import net.tracemesh.message.Topics;

/** Publishes the agent's status at start and then every interval. */
public final class HeartbeatVerticle extends VerticleBase {
    private final Duration interval;
    private final Supplier<HeartbeatMessage> status;
    private final MessageSink sink;
    private long timer = -1;

    public HeartbeatVerticle(Duration interval, Supplier<HeartbeatMessage> status, MessageSink sink) {
        this.interval = interval;
        this.status = status;
        this.sink = sink;
    }

    @Override
    public Future<?> start() {
        beat();
        timer = vertx.setPeriodic(interval.toMillis(), id -> beat());
        return Future.succeededFuture();
    }

    private void beat() {
        HeartbeatMessage m = status.get();
        sink.publish(new Outgoing(Topics.HEARTBEATS, m.agentId(), m, 0));
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        // A last status, so the central side sees the counters at shutdown.
        beat();
        return Future.succeededFuture();
    }
}
