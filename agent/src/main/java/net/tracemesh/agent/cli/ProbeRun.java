package net.tracemesh.agent.cli;

import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.tracemesh.agent.capture.PacketChannels;
import net.tracemesh.agent.capture.PacketIoException;
import net.tracemesh.agent.engine.EngineConfig;
import net.tracemesh.agent.engine.EngineStats;
import net.tracemesh.agent.engine.ProbeEngine;
import net.tracemesh.agent.engine.ProbeTask;
import net.tracemesh.agent.engine.ResultSink;
import net.tracemesh.agent.route.EgressResolver;
import net.tracemesh.wire.Ipv4Address;

/**
 * Runs a one-shot command's tasks on a probing engine and hands their results to the main thread, which
 * prints them as they come (the prober thread never waits for the terminal).
 */
final class ProbeRun<T> {
    /** Measurement tags are picked at random from here, away from the traceroute port range. */
    private static final int TAG_MIN = 40_000;
    private static final int TAG_MAX = 65_000;
    private static final long POLL_MILLIS = 100;
    private static final Object DRAINED = new Object();

    private final BlockingQueue<Object> results = new LinkedBlockingQueue<>();
    private int failures;
    private int delivered;
    private Runnable whileProbing = () -> { };

    /** Work for the main thread while the engine starts and the first results are still to come. */
    ProbeRun<T> whileProbing(Runnable work) {
        this.whileProbing = work;
        return this;
    }

    /** A sink that queues results for the main thread. */
    ResultSink<T> sink() {
        return new ResultSink<>() {
            @Override
            public void accept(T result) {
                results.add(result);
            }

            @Override
            public void failed(int destination, String reason) {
                results.add(new Failure(destination, reason));
            }
        };
    }

    /**
     * Runs until every task has finished, calling {@code onResult} for each result and {@code onTick} about
     * ten times a second; failures of single tasks are reported through {@code onFailure}.
     *
     * @throws UsageException when probing is impossible (no permission, no libpcap)
     */
    void run(Iterator<? extends ProbeTask> tasks, double rate, int maxActive, Consumer<T> onResult,
             Consumer<String> onFailure, Consumer<EngineStats> onTick) {
        int tag = ThreadLocalRandom.current().nextInt(TAG_MIN, TAG_MAX);
        try (ProbeEngine engine = new ProbeEngine(new EngineConfig(rate, maxActive, tag),
                EgressResolver.forThisHost(), PacketChannels::open, tasks).start()) {
            // The engine's last result is queued before it reports itself drained, so the marker comes last.
            engine.drained().whenComplete((ok, error) -> results.add(DRAINED));
            whileProbing.run();
            boolean done = false;
            while (!done) {
                Object next = results.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                while (next != null && !done) {
                    if (next == DRAINED) {
                        done = true;
                    } else {
                        deliver(next, onResult, onFailure);
                        next = results.poll();
                    }
                }
                onTick.accept(engine.stats());
            }
            engine.drained().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PacketIoException p) {
                throw new UsageException(p.getMessage());
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private void deliver(Object o, Consumer<T> onResult, Consumer<String> onFailure) {
        delivered++;
        if (o instanceof Failure f) {
            failures++;
            onFailure.accept(Ipv4Address.format(f.destination) + ": " + f.reason);
        } else {
            onResult.accept((T) o);
        }
    }

    int failures() {
        return failures;
    }

    int delivered() {
        return delivered;
    }

    private record Failure(int destination, String reason) {
    }
}
