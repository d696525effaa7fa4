package net.tracemesh.agent.schedule;

import io.vertx.core.Future;

/** Runs rounds of measurements (the prober); the scheduler decides when. */
public interface RoundRunner {
    /** Starts a round; the future completes when every target is done, on the caller's context. */
    Future<RoundOutcome> runRound(RoundPlan plan);
}
