package net.tracemesh.agent.schedule;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A {@link RoundRunner} that records every round it is asked to run. Rounds of the measurements chosen by
 * {@code autoComplete} finish at once; the others stay outstanding until the test completes or fails them.
 * Like the real prober, it completes a round on the context of the caller.
 */
final class RecordingRunner implements RoundRunner {
    private final Predicate<String> autoComplete;
    private final List<Round> rounds = new ArrayList<>();
    private final Map<String, Integer> outstanding = new HashMap<>();
    private final Map<String, Integer> maxOutstanding = new HashMap<>();
    private final Map<String, Integer> throwOnNext = new HashMap<>();
    private final List<String> wrongThread = new ArrayList<>();

    RecordingRunner(Predicate<String> autoComplete) {
        this.autoComplete = autoComplete;
    }

    /** One round asked of the runner. */
    final class Round {
        final RoundPlan plan;
        final Context context;
        final Promise<RoundOutcome> promise = Promise.promise();

        Round(RoundPlan plan, Context context) {
            this.plan = plan;
            this.context = context;
        }

        String id() {
            return plan.definition().id();
        }

        void complete() {
            context.runOnContext(v -> {
                finished(id());
                promise.complete(new RoundOutcome(plan.targets().length, 0));
            });
        }

        void fail(String why) {
            context.runOnContext(v -> {
                finished(id());
                promise.fail(new IllegalStateException(why));
            });
        }

        boolean done() {
            return promise.future().isComplete();
        }
    }

    @Override
    public Future<RoundOutcome> runRound(RoundPlan plan) {
        Context context = Vertx.currentContext();
        String id = plan.definition().id();
        Round round;
        synchronized (this) {
            if (context == null || !context.isEventLoopContext()) {
                wrongThread.add(id);
            }
            Integer throwing = throwOnNext.remove(id);
            if (throwing != null) {
                throw new IllegalStateException("runner broke while starting a round of " + id);
            }
            round = new Round(plan, context);
            rounds.add(round);
            int now = outstanding.merge(id, 1, Integer::sum);
            maxOutstanding.merge(id, now, Math::max);
        }
        if (autoComplete.test(id)) {
            round.complete();
        }
        return round.promise.future();
    }

    private synchronized void finished(String id) {
        outstanding.merge(id, -1, Integer::sum);
    }

    /** The next call for {@code id} throws instead of starting a round. */
    synchronized void throwOnNextRound(String id) {
        throwOnNext.put(id, 1);
    }

    synchronized List<Round> rounds(String id) {
        return rounds.stream().filter(r -> r.id().equals(id)).toList();
    }

    synchronized int count(String id) {
        return rounds(id).size();
    }

    synchronized List<RoundPlan> plans(String id) {
        return rounds(id).stream().map(r -> r.plan).toList();
    }

    /** The most rounds of {@code id} ever outstanding at once. */
    synchronized int maxOutstanding(String id) {
        return maxOutstanding.getOrDefault(id, 0);
    }

    /** Measurements whose rounds were started outside an event-loop context. */
    synchronized List<String> wrongThread() {
        return List.copyOf(wrongThread);
    }
}
